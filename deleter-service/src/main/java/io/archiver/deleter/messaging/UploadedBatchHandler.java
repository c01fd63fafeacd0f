package io.archiver.deleter.messaging;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import io.archiver.deleter.domain.BatchRemoval;
import io.archiver.deleter.domain.DeleteConfig;
import io.archiver.deleter.domain.RemovalOutcome;
import io.archiver.deleter.domain.RemovalOutcome.AlreadyRemoved;
import io.archiver.deleter.domain.RemovalOutcome.BatchEnd;
import io.archiver.deleter.domain.RemovalOutcome.Refused;
import io.archiver.deleter.domain.RemovalOutcome.Rejected;
import io.archiver.deleter.domain.RemovalOutcome.Removed;
import io.archiver.events.ArchiveBatchDeleted;
import io.archiver.events.ArchiveBatchFailed;
import io.archiver.events.ArchiveEvent;
import io.archiver.events.ArchiveUploaded;
import io.archiver.events.EventCodec;
import io.archiver.events.PipelineStage;
import io.archiver.events.RowCounts;
import io.archiver.support.messaging.EventPublisher;
import io.archiver.support.messaging.HandledEvents;
import io.archiver.support.messaging.HandlerGuard;
import io.archiver.support.policy.PolicyViolation;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.reactive.messaging.MutinyEmitter;

/**
 * The deleter's Kafka edge: decodes ArchiveUploaded, asks {@link BatchRemoval} whether the batch may leave the table (and
 * has it removed), and announces the outcome: ArchiveBatchDeleted, or ArchiveBatchFailed with the reason (rows kept), or
 * nothing for a batch that had already failed; an event not to be trusted is dead-lettered. Then it pauses
 * {@code archiver.delete.pause-between-batches}, if set, to let replicas catch up.
 */
@ApplicationScoped
public class UploadedBatchHandler {

    private static final Logger LOG = Logger.getLogger(UploadedBatchHandler.class);
    private static final String STAGE = "DELETE";

    private final HandlerGuard guard;
    private final BatchRemoval removal;
    private final EventPublisher publisher;
    private final HandledEvents events;
    private final DeleteConfig config;
    private final MutinyEmitter<ArchiveEvent> completions;

    public UploadedBatchHandler(HandlerGuard guard, BatchRemoval removal, EventPublisher publisher, HandledEvents events, DeleteConfig config,
            @Channel("completions-out") MutinyEmitter<ArchiveEvent> completions) {
        this.guard = guard;
        this.removal = removal;
        this.publisher = publisher;
        this.events = events;
        this.config = config;
        this.completions = completions;
    }

    @Incoming("uploads")
    @Blocking
    public void onUploaded(byte[] payload) throws Exception {
        guard.blocking(LOG, "uploads", () -> handle(payload));
    }

    private void handle(byte[] payload) {
        long start = System.nanoTime();
        ArchiveUploaded event = EventCodec.decode(payload, ArchiveUploaded.class);
        RemovalOutcome outcome = removal.remove(event);
        if (outcome instanceof Rejected rejected) {
            throw new PolicyViolation(rejected.reason().name(), rejected.detail());
        }
        HandledEvents.Line line;
        if (outcome instanceof Removed removed) {
            publisher.publishAndWait(completions, deleted(event, removed.end()));
            line = new HandledEvents.Line(STAGE, event.scope().mode() + "D", removed.rows(), event.objectBytes(), detail(event, removed.end()));
        } else if (outcome instanceof AlreadyRemoved removed) {
            publisher.publishAndWait(completions, deleted(event, removed.end()));
            line = new HandledEvents.Line(STAGE, "ALREADY_DELETED", removed.rows(), event.objectBytes(), detail(event, removed.end()));
        } else if (outcome instanceof Refused refused) {
            publisher.publishAndWait(completions, ArchiveBatchFailed.of(event.runId(), event.batchId(), event.scope(), PipelineStage.DELETE,
                    refused.reason().name(), refused.detail()));
            line = new HandledEvents.Line(STAGE, refused.reason().name(), event.rowCount(), event.objectBytes(), refused.detail());
        } else {
            line = new HandledEvents.Line(STAGE, "ALREADY_FAILED", 0, 0, null);
        }
        events.handled(LOG, event, start, line);
        if (outcome instanceof Removed) {
            pauseBetweenBatches();
        }
    }

    private static ArchiveBatchDeleted deleted(ArchiveUploaded event, BatchEnd end) {
        return ArchiveBatchDeleted.of(event.runId(), event.batchId(), event.scope(), end.counts(), event.objectKey(), end.firstExceptions(),
                end.exceptionsKey());
    }

    /** The log line's detail: the object, and what stayed or was missing when anything did. */
    private static String detail(ArchiveUploaded event, BatchEnd end) {
        RowCounts c = end.counts();
        return c.kept() + c.missing() == 0 ? event.objectKey()
                : event.objectKey() + "; kept changed " + c.keptChanged() + ", kept not in object " + c.keptNotInObject() + ", missing " + c.missing()
                        + (end.exceptionsKey() != null ? ", sidecar " + end.exceptionsKey() : "");
    }

    /**
     * The throttle. The batch is removed and announced by now: an interrupt (a shutdown) ends the pause, never the batch,
     * which must not go to the dead-letter topic; the interrupt stays set for the thread's owner.
     */
    private void pauseBetweenBatches() {
        if (config.pauseBetweenBatches().isZero()) {
            return;
        }
        try {
            Thread.sleep(config.pauseBetweenBatches().toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
