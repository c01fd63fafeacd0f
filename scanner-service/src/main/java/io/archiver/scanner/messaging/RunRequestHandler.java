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
import io.archiver.support.messaging.EventLog;
import io.archiver.support.messaging.HandlerGuard;
import io.archiver.support.policy.ArchivePolicies;
import io.archiver.support.policy.PolicyGuard;
import io.smallrye.mutiny.Uni;

/**
 * Consumes archive.requests: an ArchiveRequested, once the policies allow it, or an ArchiveRunConfirmed, is handed to
 * {@link RunPlanning}, which records, checks, plans and (when the safety rails let it) publishes the run's batches. A
 * redelivered event resumes where the ledger says it stopped. The offset is committed only once all of that is durable.
 */
@ApplicationScoped
public class RunRequestHandler {

    private static final Logger LOG = Logger.getLogger(RunRequestHandler.class);

    private final HandlerGuard handling;
    private final PolicyGuard guard;
    private final RunPlanning planning;

    public RunRequestHandler(HandlerGuard handling, PolicyGuard guard, RunPlanning planning) {
        this.handling = handling;
        this.guard = guard;
        this.planning = planning;
    }

    @Incoming("requests")
    public Uni<Void> onRequest(byte[] payload) {
        return handling.reactive(LOG, "requests", () -> handle(payload));
    }

    private Uni<Void> handle(byte[] payload) {
        long start = System.nanoTime();
        ArchiveEvent event = EventCodec.decode(payload);
        Uni<RunPlanning.Outcome> handled;
        if (event instanceof ArchiveRequested request) {
            ArchivePolicies.Policy policy = guard.checkRequest(request.policy(), request.table(), request.cutoffEpochMs(), request.mode());
            handled = planning.request(request, policy);
        } else if (event instanceof ArchiveRunConfirmed confirmed) {
            handled = planning.confirm(confirmed);
        } else {
            throw new EventDecodingException(EventDecodingException.Reason.UNEXPECTED_TYPE, EventCodec.TYPE_FIELD,
                    "expected ArchiveRequested or ArchiveRunConfirmed but got " + EventCodec.typeName(event.getClass()), null);
        }
        return handled.invoke(done -> EventLog.handled(LOG, event, event instanceof ArchiveRunConfirmed ? "CONFIRM" : "PLAN", done.outcome(),
                done.rows(), 0, start, done.detail())).replaceWithVoid();
    }
}
