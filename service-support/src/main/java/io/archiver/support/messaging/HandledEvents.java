package io.archiver.support.messaging;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

import io.archiver.events.ArchiveEvent;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * One structured line per handled event: {@code event runId batchId stage outcome rows bytes ms [detail]}, also in the MDC
 * (and so as fields of the JSON log in prod), and counted in the service's {@link MeterRegistry}:
 * {@code archiver_rows_total} and {@code archiver_bytes_total} by stage and outcome, and the handling time
 * {@code archiver_event_duration_seconds}. Never logs payload values or settings.
 */
@ApplicationScoped
public class HandledEvents {

    /** What one handled event came to: its stage, its outcome (a stable code), the rows and bytes it concerned, a detail for a person. */
    public record Line(String stage, String outcome, long rows, long bytes, String detail) {
    }

    private final MeterRegistry registry;

    public HandledEvents(MeterRegistry registry) {
        this.registry = registry;
    }

    public void handled(Logger log, ArchiveEvent event, long startNanos, Line line) {
        long nanos = System.nanoTime() - startNanos;
        registry.counter("archiver.rows", "stage", line.stage(), "outcome", line.outcome()).increment(line.rows());
        registry.counter("archiver.bytes", "stage", line.stage(), "outcome", line.outcome()).increment(line.bytes());
        registry.timer("archiver.event.duration", "stage", line.stage(), "outcome", line.outcome()).record(Duration.ofNanos(nanos));
        MDC.put("runId", event.runId());
        if (event.batchId() != null) {
            MDC.put("batchId", event.batchId());
        }
        MDC.put("stage", line.stage());
        MDC.put("outcome", line.outcome());
        try {
            log.infof("event=%s runId=%s batchId=%s stage=%s outcome=%s rows=%d bytes=%d ms=%d%s", event.getClass().getSimpleName(),
                    event.runId(), event.batchId() == null ? "-" : event.batchId(), line.stage(), line.outcome(), line.rows(), line.bytes(),
                    nanos / 1_000_000, line.detail() == null || line.detail().isEmpty() ? "" : " detail=\"" + line.detail().replace('"', '\'') + "\"");
        } finally {
            MDC.remove("runId");
            MDC.remove("batchId");
            MDC.remove("stage");
            MDC.remove("outcome");
        }
    }
}
