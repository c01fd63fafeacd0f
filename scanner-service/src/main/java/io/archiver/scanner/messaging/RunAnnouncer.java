package io.archiver.scanner.messaging;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Channel;

import io.archiver.events.ArchiveBatchReady;
import io.archiver.events.ArchiveEvent;
import io.archiver.events.ArchiveRunCompleted;
import io.archiver.events.BatchScope;
import io.archiver.events.SchemaVersion;
import io.archiver.scanner.persistence.ArchiveBatchEntity;
import io.archiver.scanner.persistence.ArchiveRunEntity;
import io.archiver.scanner.persistence.RunLedger;
import io.archiver.support.messaging.EventPublisher;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;

/**
 * What the scanner tells the flow about a run, each once it is durable in the ledger: its batches (to the exporter),
 * that it awaits confirmation, and its completion (marked sent once the broker acknowledged it).
 */
@ApplicationScoped
public class RunAnnouncer {

    private final RunLedger ledger;
    private final MutinyEmitter<ArchiveEvent> batches;
    private final MutinyEmitter<ArchiveEvent> runs;

    public RunAnnouncer(RunLedger ledger, @Channel("batches-out") MutinyEmitter<ArchiveEvent> batches,
            @Channel("runs-out") MutinyEmitter<ArchiveEvent> runs) {
        this.ledger = ledger;
        this.batches = batches;
        this.runs = runs;
    }

    /** ArchiveBatchReady for every batch of the run that has not ended, in order; returns them. */
    public Uni<List<ArchiveBatchEntity>> openBatches(ArchiveRunEntity run) {
        return ledger.batches(run.runId).chain(known -> {
            List<ArchiveBatchEntity> open = known.stream().filter(b -> !b.state.ended()).toList();
            Uni<Void> sent = Uni.createFrom().voidItem();
            for (ArchiveBatchEntity batch : open) {
                sent = sent.chain(() -> EventPublisher.publish(batches, batchReady(run, batch)));
            }
            return sent.replaceWith(open);
        });
    }

    /** ArchiveRunAwaitingConfirmation of a held run, with its plan from the ledger. */
    public Uni<Void> awaitingConfirmation(String runId) {
        return ledger.awaitingOf(runId).chain(held -> EventPublisher.publish(runs, held));
    }

    public Uni<Void> completion(ArchiveRunCompleted completion) {
        return EventPublisher.publish(runs, completion).chain(() -> ledger.completionSent(completion.runId()));
    }

    public Uni<Void> completions(List<ArchiveRunCompleted> completions) {
        Uni<Void> sent = Uni.createFrom().voidItem();
        for (ArchiveRunCompleted completion : completions) {
            sent = sent.chain(() -> completion(completion));
        }
        return sent;
    }

    static ArchiveBatchReady batchReady(ArchiveRunEntity run, ArchiveBatchEntity batch) {
        BatchScope scope = new BatchScope(run.policy, run.tableName, run.cutoffEpochMs, batch.firstId, batch.lastId, run.mode, run.runDate);
        return new ArchiveBatchReady(java.util.UUID.randomUUID().toString(), run.runId, batch.batchId, java.time.Instant.now(),
                SchemaVersion.CURRENT, scope, batch.expectedRows);
    }
}
