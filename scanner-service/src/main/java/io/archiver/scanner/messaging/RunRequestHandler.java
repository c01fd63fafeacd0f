package io.archiver.scanner.messaging;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import io.archiver.events.ArchiveEvent;
import io.archiver.events.ArchiveRequested;
import io.archiver.events.ArchiveRunConfirmed;
import io.archiver.events.EventCodec;
import io.archiver.events.EventDecodingException;
import io.archiver.scanner.domain.RunPlanning;
import io.archiver.support.messaging.HandledEvents;
import io.archiver.support.messaging.HandlerGuard;
import io.smallrye.mutiny.Uni;

/**
 * Consumes archive.requests: an ArchiveRequested or an ArchiveRunConfirmed is handed to {@link RunPlanning}, which checks
 * it against the policies, records, checks, plans and (when the safety rails let it) publishes the run's batches. A
 * redelivered event resumes where the ledger says it stopped. The offset is committed only once all of that is durable.
 */
@ApplicationScoped
public class RunRequestHandler {

    private static final Logger LOG = Logger.getLogger(RunRequestHandler.class);

    private final HandlerGuard handling;
    private final RunPlanning planning;
    private final HandledEvents events;

    public RunRequestHandler(HandlerGuard handling, RunPlanning planning, HandledEvents events) {
        this.handling = handling;
        this.planning = planning;
        this.events = events;
    }

    @Incoming("requests")
    public Uni<Void> onRequest(byte[] payload) {
        return handling.reactive(LOG, "requests", () -> handle(payload));
    }

    private Uni<Void> handle(byte[] payload) {
        long start = System.nanoTime();
        ArchiveEvent event = EventCodec.decode(payload);
        Uni<RunPlanning.Outcome> handled;
        String stage;
        if (event instanceof ArchiveRequested request) {
            handled = planning.request(request);
            stage = "PLAN";
        } else if (event instanceof ArchiveRunConfirmed confirmed) {
            handled = planning.confirm(confirmed);
            stage = "CONFIRM";
        } else {
            throw new EventDecodingException(EventDecodingException.Reason.UNEXPECTED_TYPE, EventCodec.TYPE_FIELD,
                    "expected ArchiveRequested or ArchiveRunConfirmed but got " + EventCodec.typeName(event.getClass()), null);
        }
        return handled.invoke(done -> events.handled(LOG, event, start, new HandledEvents.Line(stage, done.outcome(), done.rows(), 0,
                done.detail()))).replaceWithVoid();
    }
}
