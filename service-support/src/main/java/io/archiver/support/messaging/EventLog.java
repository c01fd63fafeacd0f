package io.archiver.support.messaging;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Metrics;
import org.jboss.logging.MDC;

import io.archiver.events.ArchiveEvent;

/**
 * One structured line per handled event: {@code event runId batchId stage outcome rows bytes ms},
 * also in the MDC (and so as fields of the JSON log in prod), and counted in Micrometer:
 * {@code archiver_rows_total} and {@code archiver_bytes_total} by stage and outcome, the handling time
 * {@code archiver_event_duration_seconds}, and {@code archiver_dead_lettered_total} by channel and cause.
 * Never logs payload values or settings.
 */
public final class EventLog {

    private EventLog() {
    }

    /** A handler body that may throw. */
    @FunctionalInterface
    public interface Body {
        void run() throws Exception;
    }

    /** One line for a transient failure that will be retried. */
    public static void retrying(Logger log, String channel, Throwable e, int attempt, java.time.Duration backoff) {
        Metrics.counter("archiver.retries", "channel", channel, "cause", e.getClass().getSimpleName()).increment();
        log.warnf("channel=%s outcome=RETRYING attempt=%d backoff=%s reason=\"%s\"", channel, attempt, backoff, reason(e));
    }

    private static String reason(Throwable e) {
        return (e.getClass().getSimpleName() + ": " + e.getMessage()).replace('"', '\'');
    }

    /** One line for a record that could not be handled: it goes to the channel's dead-letter topic. */
    public static void failed(Logger log, String channel, Throwable e) {
        Metrics.counter("archiver.dead.lettered", "channel", channel, "cause", e.getClass().getSimpleName()).increment();
        MDC.put("outcome", "DEAD_LETTERED");
        try {
            log.warnf("channel=%s outcome=DEAD_LETTERED reason=\"%s\"", channel, reason(e));
            log.debug("dead-lettered", e);
        } finally {
            MDC.remove("outcome");
        }
    }

    public static void handled(Logger log, ArchiveEvent event, String stage, String outcome, long rows, long bytes, long startNanos,
            String detail) {
        long ms = (System.nanoTime() - startNanos) / 1_000_000;
        Metrics.counter("archiver.rows", "stage", stage, "outcome", outcome).increment(rows);
        Metrics.counter("archiver.bytes", "stage", stage, "outcome", outcome).increment(bytes);
        Metrics.timer("archiver.event.duration", "stage", stage, "outcome", outcome).record(java.time.Duration.ofNanos(System.nanoTime() - startNanos));
        MDC.put("runId", event.runId());
        if (event.batchId() != null) {
            MDC.put("batchId", event.batchId());
        }
        MDC.put("stage", stage);
        MDC.put("outcome", outcome);
        try {
            log.infof("event=%s runId=%s batchId=%s stage=%s outcome=%s rows=%d bytes=%d ms=%d%s", event.getClass().getSimpleName(),
                    event.runId(), event.batchId() == null ? "-" : event.batchId(), stage, outcome, rows, bytes, ms,
                    detail == null || detail.isEmpty() ? "" : " detail=\"" + detail.replace('"', '\'') + "\"");
        } finally {
            MDC.remove("runId");
            MDC.remove("batchId");
            MDC.remove("stage");
            MDC.remove("outcome");
        }
    }
}
