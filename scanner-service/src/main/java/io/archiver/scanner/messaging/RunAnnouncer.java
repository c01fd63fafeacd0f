package io.archiver.scanner.messaging;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Channel;

import io.archiver.events.ArchiveBatchReady;
import io.archiver.events.ArchiveEvent;
import io.archiver.events.ArchiveRunCompleted;
import io.archiver.events.BatchScope;
import io.archiver.events.KeyValue;
import io.archiver.events.SchemaVersion;
import io.archiver.ledger.RunState;
import io.archiver.scanner.domain.BatchWindow;
import io.archiver.scanner.domain.BatchWindowConfig;
import io.archiver.scanner.persistence.ArchiveBatchEntity;
import io.archiver.events.RowCounts;
import io.archiver.scanner.persistence.ArchiveRunEntity;
import io.archiver.scanner.persistence.BatchLedger;
import io.archiver.scanner.persistence.RunLedger;
import io.archiver.scanner.storage.RunManifestWriter;
import io.archiver.support.messaging.EventPublisher;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.vertx.mutiny.core.Vertx;

/**
 * What the scanner tells the flow about a run, each once it is durable in the ledger: its batches (to the exporter),
 * that it awaits confirmation, and its completion (marked sent once the broker acknowledged it), naming the run's manifest.
 */
@ApplicationScoped
public class RunAnnouncer {

    private final RunLedger ledger;
    private final BatchLedger batchLedger;
    private final MutinyEmitter<ArchiveEvent> batches;
    private final MutinyEmitter<ArchiveEvent> runs;
    private final MeterRegistry registry;
    private final RunManifestWriter manifests;

    private final BatchWindowConfig window;

    public RunAnnouncer(RunLedger ledger, BatchLedger batchLedger, @Channel("batches-out") MutinyEmitter<ArchiveEvent> batches,
            @Channel("runs-out") MutinyEmitter<ArchiveEvent> runs, MeterRegistry registry, RunManifestWriter manifests, BatchWindowConfig window) {
        this.ledger = ledger;
        this.batchLedger = batchLedger;
        this.window = window;
        this.manifests = manifests;
        this.registry = registry;
        this.batches = batches;
        this.runs = runs;
    }

    /**
     * ArchiveBatchReady for every batch of the run's window ({@link BatchWindow}: its first {@code archiver.scan.batches-in-flight}
     * batches that have not ended), in order, those published before too (a redelivered request or confirmation); returns them.
     */
    public Uni<List<ArchiveBatchEntity>> openBatches(ArchiveRunEntity run) {
        return batchLedger.openBatches(run.runId, window.batchesInFlight())
                .chain(open -> publish(BatchLedger.RunScope.of(run), BatchWindow.of(open, window.batchesInFlight())));
    }

    /**
     * After a batch of a running run ended: ArchiveBatchReady for the batches its window lets in that were never published.
     * Another replica or a redelivered completion may publish one of them too: harmless, every stage is idempotent.
     */
    public Uni<List<ArchiveBatchEntity>> nextBatches(String runId) {
        return batchLedger.runScope(runId).chain(run -> run == null || run.state() != RunState.RUNNING || run.dryRun() ? Uni.createFrom().item(List.of())
                : batchLedger.openBatches(runId, window.batchesInFlight())
                        .chain(open -> publish(run, BatchWindow.unpublished(BatchWindow.of(open, window.batchesInFlight())))));
    }

    /** Publishes the batches in order, then records them published. */
    private Uni<List<ArchiveBatchEntity>> publish(BatchLedger.RunScope run, List<ArchiveBatchEntity> due) {
        Uni<Void> sent = Uni.createFrom().voidItem();
        for (ArchiveBatchEntity batch : due) {
            sent = sent.chain(() -> EventPublisher.publish(batches, batchReady(run, batch)));
        }
        List<String> ids = due.stream().filter(b -> b.publishedAtMs == null).map(b -> b.batchId).toList();
        return sent.chain(() -> batchLedger.published(ids, System.currentTimeMillis())).replaceWith(due);
    }

    /** ArchiveRunAwaitingConfirmation of a held run, with its plan from the ledger. */
    public Uni<Void> awaitingConfirmation(String runId) {
        return ledger.awaitingOf(runId).chain(held -> EventPublisher.publish(runs, held));
    }

    /** ArchiveRunCompleted, naming the run's manifest once it is written beside the run's objects ({@link RunManifestWriter}). */
    public Uni<Void> completion(ArchiveRunCompleted completion) {
        return described(completion).chain(named -> EventPublisher.publish(runs, named)).chain(() -> ledger.completionSent(completion.runId()))
                .invoke(() -> countRows(completion));
    }

    /** The completion with its manifest's key; S3 is called on a worker thread and the chain goes on on the caller's context. */
    private Uni<ArchiveRunCompleted> described(ArchiveRunCompleted completion) {
        if (completion.stats().objects() == 0) {
            return Uni.createFrom().item(completion);
        }
        return ledger.objectsOf(completion.runId()).chain(objects -> {
            if (objects.objectKeys().isEmpty()) {
                return Uni.createFrom().item(completion);
            }
            Uni<ArchiveRunCompleted> write = Uni.createFrom().item(() -> {
                try {
                    return manifests.write(completion, objects).map(completion::withManifestKey).orElse(completion);
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            io.vertx.mutiny.core.Context context = Vertx.currentContext();
            return context != null ? context.executeBlocking(write)
                    : write.runSubscriptionOn(io.smallrye.mutiny.infrastructure.Infrastructure.getDefaultWorkerPool());
        });
    }

    /**
     * {@code archiver_run_rows_total{policy, fate}}: each announced run's rows by what became of them, so that on a dashboard
     * too found = removed + kept_changed + kept_not_in_object + missing + failed (docs/live-tables.md).
     */
    private void countRows(ArchiveRunCompleted completion) {
        RowCounts rows = completion.stats().counts();
        String policy = completion.policy();
        registry.counter("archiver.run.rows", "policy", policy, "fate", "found").increment(completion.stats().rowsFound());
        registry.counter("archiver.run.rows", "policy", policy, "fate", "removed").increment(rows.removed());
        registry.counter("archiver.run.rows", "policy", policy, "fate", "kept_changed").increment(rows.keptChanged());
        registry.counter("archiver.run.rows", "policy", policy, "fate", "kept_not_in_object").increment(rows.keptNotInObject());
        registry.counter("archiver.run.rows", "policy", policy, "fate", "missing").increment(rows.missing());
        registry.counter("archiver.run.rows", "policy", policy, "fate", "failed").increment(rows.failed());
    }

    public Uni<Void> completions(List<ArchiveRunCompleted> completions) {
        Uni<Void> sent = Uni.createFrom().voidItem();
        for (ArchiveRunCompleted completion : completions) {
            sent = sent.chain(() -> completion(completion));
        }
        return sent;
    }

    static ArchiveBatchReady batchReady(BatchLedger.RunScope run, ArchiveBatchEntity batch) {
        BatchScope scope = batch.firstKey == null
                ? new BatchScope(run.policy(), run.table(), run.cutoffEpochMs(), batch.firstId, batch.lastId, run.mode(), run.runDate())
                : BatchScope.ofKeys(run.policy(), run.table(), run.cutoffEpochMs(), KeyValue.parse(batch.firstKey, "archive_batch.first_key"),
                        KeyValue.parse(batch.lastKey, "archive_batch.last_key"), run.mode(), run.runDate());
        return new ArchiveBatchReady(java.util.UUID.randomUUID().toString(), run.runId(), batch.batchId, java.time.Instant.now(),
                SchemaVersion.CURRENT, scope, batch.expectedRows);
    }
}
