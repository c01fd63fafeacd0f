package io.archiver.support.messaging;

import org.jboss.logging.Logger;

import io.archiver.events.ArchiveEvent;
import io.micrometer.core.instrument.Metrics;

/**
 * The static form of {@link HandledEvents}, over Micrometer's global registry (to which Quarkus adds the service's
 * registry), for the handlers that do not inject {@link HandledEvents} yet (the scanner's).
 *
 * @deprecated inject {@link HandledEvents} instead.
 */
@Deprecated
public final class EventLog {

    private static final HandledEvents GLOBAL = new HandledEvents(Metrics.globalRegistry);

    private EventLog() {
    }

    public static void handled(Logger log, ArchiveEvent event, String stage, String outcome, long rows, long bytes, long startNanos,
            String detail) {
        GLOBAL.handled(log, event, startNanos, new HandledEvents.Line(stage, outcome, rows, bytes, detail));
    }
}
