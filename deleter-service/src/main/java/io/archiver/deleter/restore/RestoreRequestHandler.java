package io.archiver.deleter.restore;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import io.archiver.events.EventCodec;
import io.archiver.events.RestoreRequested;
import io.archiver.ledger.RestoreRecord;
import io.archiver.support.messaging.HandledEvents;
import io.archiver.support.messaging.HandlerGuard;
import io.smallrye.common.annotation.Blocking;

/**
 * The restore's Kafka edge: decodes RestoreRequested from {@code archive.restores}, hands it to {@link Restorer}, logs one
 * line with what became of it. The restore's record in the ledger is its answer (archivectl restore status); a malformed
 * event is dead-lettered, a transient failure retried (the restore goes on after its last committed chunk).
 */
@ApplicationScoped
public class RestoreRequestHandler {

    private static final Logger LOG = Logger.getLogger(RestoreRequestHandler.class);
    private static final String STAGE = "RESTORE";

    private final HandlerGuard guard;
    private final Restorer restorer;
    private final HandledEvents events;

    public RestoreRequestHandler(HandlerGuard guard, Restorer restorer, HandledEvents events) {
        this.guard = guard;
        this.restorer = restorer;
        this.events = events;
    }

    @Incoming("restores")
    @Blocking
    public void onRestoreRequested(byte[] payload) throws Exception {
        guard.blocking(LOG, "restores", () -> handle(payload));
    }

    private void handle(byte[] payload) {
        long start = System.nanoTime();
        RestoreRequested request = EventCodec.decode(payload, RestoreRequested.class);
        Restorer.Outcome outcome = restorer.restore(request);
        RestoreRecord r = outcome.record();
        events.handled(LOG, request, start, new HandledEvents.Line(STAGE, outcome.outcome(), r.rowsRestored(), 0,
                "into " + r.targetTable() + ": objects " + r.objectsDone() + "/" + r.objectsTotal() + ", skipped " + r.rowsSkipped() + ", conflicting "
                        + r.rowsConflicting() + (r.error() != null ? "; " + r.error() : "")));
    }
}
