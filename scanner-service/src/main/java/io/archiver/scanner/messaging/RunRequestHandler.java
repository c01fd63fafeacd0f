package io.archiver.scanner.messaging;

import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import io.archiver.events.ArchiveBatchReady;
import io.archiver.events.ArchiveEvent;
import io.archiver.events.ArchiveRequested;
import io.archiver.events.ArchiveRunCompleted;
import io.archiver.events.BatchScope;
import io.archiver.events.EventCodec;
import io.archiver.events.SchemaVersion;
import io.archiver.scanner.domain.RangePlanner;
import io.archiver.scanner.persistence.ArchiveBatchEntity;
import io.archiver.scanner.persistence.ArchiveRunEntity;
import io.archiver.scanner.persistence.RunLedger;
import io.archiver.support.messaging.EventLog;
import io.archiver.support.messaging.HandlerGuard;
import io.archiver.support.messaging.EventPublisher;
import io.archiver.support.policy.ArchivePolicies;
import io.archiver.support.policy.PolicyGuard;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;

/**
 * Consumes ArchiveRequested: checks it against the policies, records the run, plans its id ranges
 * and emits one ArchiveBatchReady per range. A redelivered request resumes planning where the
 * ledger says it stopped and re-emits the batches that have not ended; a request for a completed
 * run re-emits its completion. The offset is committed only once all of that is durable.
 */
@ApplicationScoped
public class RunRequestHandler {

    private static final Logger LOG = Logger.getLogger(RunRequestHandler.class);

    private final HandlerGuard handling;
    private final PolicyGuard guard;
    private final RangePlanner planner;
    private final RunLedger ledger;
    private final MutinyEmitter<ArchiveEvent> batches;
    private final MutinyEmitter<ArchiveEvent> runs;

    public RunRequestHandler(HandlerGuard handling, PolicyGuard guard, RangePlanner planner, RunLedger ledger,
            @Channel("batches-out") MutinyEmitter<ArchiveEvent> batches, @Channel("runs-out") MutinyEmitter<ArchiveEvent> runs) {
        this.handling = handling;
        this.guard = guard;
        this.planner = planner;
        this.ledger = ledger;
        this.batches = batches;
        this.runs = runs;
    }

    @Incoming("requests")
    public Uni<Void> onRequest(byte[] payload) {
        return handling.reactive(LOG, "requests", () -> handleRequest(payload));
    }

    private Uni<Void> handleRequest(byte[] payload) {
        long start = System.nanoTime();
        ArchiveRequested request = EventCodec.decode(payload, ArchiveRequested.class);
        ArchivePolicies.Policy policy = guard.check(request.policy(), request.table(), request.cutoffEpochMs(), request.mode());
        // two requests for one run or slot at the same moment (two replicas' schedules): the loser finds the winner's run
        return ledger.open(request).onFailure(RunLedger::isDuplicateKey).recoverWithUni(() -> ledger.open(request)).chain(run -> {
            if (!run.runId.equals(request.runId())) {
                EventLog.handled(LOG, request, "PLAN", "DUPLICATE_SLOT", 0, 0, start, "slot " + request.scheduleSlot() + " is run " + run.runId);
                return Uni.createFrom().voidItem();
            }
            return switch (run.state) {
                case COMPLETED -> ledger.completionOf(run.runId).chain(done -> publishCompletion(done))
                        .invoke(() -> EventLog.handled(LOG, request, "PLAN", run.outcome.name(), 0, 0, start, "run already completed"));
                case PLANNING, RUNNING -> ledger.batches(run.runId).chain(known -> resume(run, policy, known))
                        .invoke(planned -> EventLog.handled(LOG, request, "PLAN", "PLANNED", planned.rows(), 0, start,
                                planned.batches() + " batches")).replaceWithVoid();
            };
        });
    }

    private record Planned(long batches, long rows) {
    }

    private Uni<Planned> resume(ArchiveRunEntity run, ArchivePolicies.Policy policy, List<ArchiveBatchEntity> known) {
        Uni<Void> republished = Uni.createFrom().voidItem();
        for (ArchiveBatchEntity batch : known) {
            if (!batch.state.ended()) {
                republished = republished.chain(() -> EventPublisher.publish(batches, batchReady(run, batch)));
            }
        }
        long afterId = known.stream().mapToLong(b -> b.lastId).max().orElse(-1);
        long rows = known.stream().mapToLong(b -> b.expectedRows).sum();
        if (run.state == io.archiver.scanner.persistence.RunState.RUNNING) {
            return republished.replaceWith(new Planned(known.size(), rows));
        }
        return republished.chain(() -> planFrom(run, policy, afterId, known.size() + 1, rows));
    }

    private Uni<Planned> planFrom(ArchiveRunEntity run, ArchivePolicies.Policy policy, long afterId, int seq, long rowsSoFar) {
        return planner.next(policy, run.cutoffEpochMs, afterId).chain(next -> {
            if (next.isEmpty()) {
                return ledger.finishPlanning(run.runId, rowsSoFar, seq - 1).chain(this::publishCompletion)
                        .replaceWith(new Planned(seq - 1, rowsSoFar));
            }
            RangePlanner.PlannedRange range = next.get();
            Uni<Void> recorded = run.dryRun ? Uni.createFrom().voidItem()
                    : ledger.addBatch(run, seq, range).chain(batch -> EventPublisher.publish(batches, batchReady(run, batch)));
            return recorded.chain(() -> planFrom(run, policy, range.lastId(), seq + 1, rowsSoFar + range.rows()));
        });
    }

    private Uni<Void> publishCompletion(Optional<ArchiveRunCompleted> completion) {
        return completion.map(this::publishCompletion).orElse(Uni.createFrom().voidItem());
    }

    private Uni<Void> publishCompletion(ArchiveRunCompleted completion) {
        return EventPublisher.publish(runs, completion).chain(() -> ledger.completionSent(completion.runId()));
    }

    static ArchiveBatchReady batchReady(ArchiveRunEntity run, ArchiveBatchEntity batch) {
        BatchScope scope = new BatchScope(run.policy, run.tableName, run.cutoffEpochMs, batch.firstId, batch.lastId, run.mode, run.runDate);
        return new ArchiveBatchReady(java.util.UUID.randomUUID().toString(), run.runId, batch.batchId, java.time.Instant.now(),
                SchemaVersion.CURRENT, scope, batch.expectedRows);
    }
}
