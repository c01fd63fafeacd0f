package io.archiver.scanner.domain;

import java.time.Clock;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.archiver.events.ArchiveRequested;
import io.archiver.events.ArchiveRunConfirmed;
import io.archiver.events.KeyColumns;
import io.archiver.events.KeyValue;
import io.archiver.ledger.RunState;
import io.archiver.ledger.SourceHolds.HeldRange;
import io.archiver.ledger.SourceProgress;
import io.archiver.policy.SourceSpec;
import io.archiver.scanner.messaging.RunAnnouncer;
import io.archiver.scanner.persistence.ArchiveBatchEntity;
import io.archiver.scanner.persistence.ArchiveRunEntity;
import io.archiver.scanner.persistence.RunLedger;
import io.archiver.scanner.persistence.TableFit;
import io.archiver.support.policy.ArchivePolicies;
import io.archiver.support.policy.PolicyFingerprint;
import io.archiver.support.policy.PolicyGuard;
import io.archiver.support.policy.PolicyTableCheck;
import io.archiver.support.policy.RailReason;
import io.archiver.support.policy.Refusal;
import io.archiver.support.policy.TableFacts;
import io.archiver.support.source.SourcePools;
import io.archiver.table.TableFactsReader;
import io.smallrye.mutiny.Uni;

/**
 * A run from its request to its first export: records it, checks the policy against its live table, plans its id
 * ranges into the ledger, and lets {@link RunSafety} decide whether its batches are published now, after a
 * confirmation, or not at all. Nothing is published while a run plans, so a held or refused run exports nothing.
 * Every step is durable before the next, so a redelivered request or confirmation resumes where the ledger stopped.
 */
@ApplicationScoped
public class RunPlanning {

    /** What handling an event did, for its log line. */
    public record Outcome(String outcome, long rows, String detail) {
    }

    private final PolicyGuard guard;
    private final RunLedger ledger;
    private final RangePlanner planner;
    private final SourcePools pools;
    private final TableFit fit;
    private final RunAnnouncer announce;
    private final BatchWindowConfig batches;
    private final Clock clock;

    public RunPlanning(PolicyGuard guard, RunLedger ledger, RangePlanner planner, SourcePools pools, RunAnnouncer announce, TableFit fit,
            BatchWindowConfig batches) {
        this.guard = guard;
        this.batches = batches;
        this.fit = fit;
        this.ledger = ledger;
        this.planner = planner;
        this.pools = pools;
        this.announce = announce;
        this.clock = Clock.systemUTC();
    }

    /**
     * A request: the policies must allow it (its policy names its table, its cutoff is old enough, a mode is given), else it
     * is a {@code PolicyViolation} and nothing is recorded; then it is recorded, checked, planned and published.
     */
    public Uni<Outcome> request(ArchiveRequested request) {
        ArchivePolicies.Policy policy = guard.checkRequest(request.policy(), request.table(), request.cutoffEpochMs(), request.mode());
        String fingerprint = PolicyFingerprint.of(policy);
        // two requests for one run or slot at the same moment (two replicas' schedules): the loser finds the winner's run
        return ledger.open(request, fingerprint).onFailure(RunLedger::isDuplicateKey).recoverWithUni(() -> ledger.open(request, fingerprint))
                .chain(opened -> announce.completions(opened.replaced()).replaceWith(opened.run())).chain(run -> {
                    if (!run.runId.equals(request.runId())) {
                        return done("DUPLICATE_SLOT", 0, "slot " + request.scheduleSlot() + " is run " + run.runId);
                    }
                    return switch (run.state) {
                        case COMPLETED -> ledger.completionOf(run.runId).chain(announce::completion)
                                .replaceWith(new Outcome(run.outcome.name(), 0, "run already completed" + reason(run)));
                        case AWAITING_CONFIRMATION -> announce.awaitingConfirmation(run.runId)
                                .replaceWith(new Outcome("AWAITING_CONFIRMATION", run.rowsFound, run.reason));
                        case RUNNING -> announce.openBatches(run).map(open -> new Outcome("PLANNED", run.rowsFound, open.size() + " batches of its window published"));
                        case PLANNING -> check(run, policy, fingerprint);
                    };
                });
    }

    /** A confirmation: a held run publishes its batches; a replayed one republishes those not ended (idempotent downstream). */
    public Uni<Outcome> confirm(ArchiveRunConfirmed confirmed) {
        return ledger.confirm(confirmed.runId(), confirmed.requestedBy()).chain(confirmation -> {
            ArchiveRunEntity run = confirmation.run();
            if (run.state != RunState.RUNNING) {
                return done("NOT_AWAITING", 0, "run is " + run.state + (run.outcome == null ? "" : " " + run.outcome) + ": nothing to confirm");
            }
            return announce.openBatches(run).map(open -> new Outcome(confirmation.released() ? "CONFIRMED" : "ALREADY_CONFIRMED",
                    run.rowsFound, open.size() + " batches of its window published, confirmed by " + run.confirmedBy));
        });
    }

    /**
     * Before planning: the policy must fit its live table (the rails of {@link RunSafety#beforePlanning}, then what {@code policy
     * apply} checked, {@link TableFit}), else the run ends REFUSED having read nothing for export.
     */
    private Uni<Outcome> check(ArchiveRunEntity run, ArchivePolicies.Policy policy, String fingerprint) {
        return tables(policy).chain(tables -> tables.read(policy)).chain(facts -> fit.problems(run.policy, policy).chain(misfits -> {
            var refusal = RunSafety.beforePlanning(run.policy, policy, facts, clock.instant());
            if (refusal.isEmpty() && !misfits.isEmpty()) {
                refusal = Optional.of(new Refusal(RailReason.TABLE_DOES_NOT_FIT_POLICY, String.join("; ", misfits)));
            }
            if (refusal.isPresent()) {
                return ledger.refuse(run.runId, refusal.get(), facts).chain(announce::completion)
                        .replaceWith(new Outcome("REFUSED", 0, refusal.get().reason().name()));
            }
            return progressTable(run, policy).chain(() -> ledger.batches(run.runId)).chain(known -> {
                // the figures the rails need besides the plan (two reads of the date index) are read while the plan is walked; both
                // end before the handling goes on, a failure of either too, so that no insert of the plan outlives a failed handling
                Uni<TableFactsReader.PlanFigures> figures = tables(policy).chain(tables -> tables.figures(policy, facts.dateIndex(), run.cutoffEpochMs));
                return onThisContext(Uni.combine().all().unis(plan(run, policy, known), figures).collectFailures().asTuple());
            }).chain(both -> decide(run, policy, fingerprint, facts, both.getItem1(), both.getItem2()));
        }));
    }

    /** The policy's table as its source's database shows it (the control database for source control). */
    private Uni<TableFactsReader> tables(ArchivePolicies.Policy policy) {
        return pools.pool(policy.source()).map(TableFactsReader::new);
    }

    /**
     * Before the first batch of a policy of another database is planned: the deleter's progress table in that database
     * ({@link SourceProgress}), where it records each chunk with its deletes; created where absent, here so that it exists
     * before any batch reaches the exporter (whose snapshot reads it) or the deleter. A dry run creates nothing.
     */
    private Uni<Void> progressTable(ArchiveRunEntity run, ArchivePolicies.Policy policy) {
        if (run.dryRun || SourceSpec.CONTROL.equals(policy.source())) {
            return Uni.createFrom().voidItem();
        }
        return pools.pool(policy.source()).chain(SourceProgress::ensure);
    }

    /** Planned so far: batches and eligible rows; {@code scanMs} the walk and its inserts took (for the log line). */
    private record Progress(long batches, long rows, long scanMs) {

        Progress(long batches, long rows) {
            this(batches, rows, 0);
        }
    }

    private Uni<Progress> plan(ArchiveRunEntity run, ArchivePolicies.Policy policy, List<ArchiveBatchEntity> known) {
        // resumes after the last range recorded: its last id, or for a key that is not one integer column its last key
        Optional<ArchiveBatchEntity> last = known.stream().max(java.util.Comparator.comparingInt(b -> b.seq));
        long rows = known.stream().mapToLong(b -> b.expectedRows).sum();
        return planner.key(policy).chain(key -> planner.heldInSource(run.policy).chain(held -> {
            KeyValue after = last.map(b -> b.lastKey != null ? KeyValue.parse(b.lastKey, "archive_batch.last_key") : KeyValue.of(b.lastId))
                    .orElse(null);
            return planFrom(run, policy, key, held, after, known.size() + 1, rows);
        }));
    }

    /**
     * Plans every range after {@code after} ({@link RangePlanner#plan}: the run's first batches growing to the policy's batch-size,
     * {@link BatchRamp}), recording each in the ledger as it is found ({@link PlanRecorder}: a dry run only counts them), none over a
     * range {@code held} in the source; publishes none.
     */
    private Uni<Progress> planFrom(ArchiveRunEntity run, ArchivePolicies.Policy policy, KeyColumns key, List<HeldRange> held, KeyValue after,
            int seq, long rowsSoFar) {
        PlanRecorder recorder = new PlanRecorder(ledger, run.runId, seq, !run.dryRun);
        long start = System.nanoTime();
        BatchRamp ramp = new BatchRamp(policy.batchSize(), batches.firstBatchRows());
        // a failed scan still waits for the inserts it started, so that no insert outlives the handling that failed
        return planner.plan(policy, key, run.cutoffEpochMs, after, seq, ramp, held, recorder::add)
                .onFailure().call(failure -> recorder.finish().onFailure().recoverWithNull())
                .call(recorder::finish)
                .map(cut -> new Progress(seq - 1 + cut.ranges(), rowsSoFar + cut.rows(), (System.nanoTime() - start) / 1_000_000));
    }

    /**
     * The source's and the ledger's Vert.x pools end their queries on their own contexts: the handling goes on (Hibernate
     * Reactive) on the one it runs on, the caller's.
     */
    private static <T> Uni<T> onThisContext(Uni<T> elsewhere) {
        io.vertx.core.Context handling = io.vertx.core.Vertx.currentContext();
        return handling == null ? elsewhere : elsewhere.emitOn(task -> handling.runOnContext(ignored -> task.run()));
    }

    /** After planning: the plan's figures, then the rails' verdict, then what it says to publish. */
    private Uni<Outcome> decide(ArchiveRunEntity run, ArchivePolicies.Policy policy, String fingerprint, TableFacts facts, Progress planned,
            TableFactsReader.PlanFigures figure) {
        RunSafety.PlannedRun plan = new RunSafety.PlannedRun(planned.rows(), planned.batches(), planned.rows() + figure.rowsNotEligible(),
                PolicyTableCheck.instant(policy.dateKind(), policy.dateZone(), facts.minDate()),
                figure.newestEligible().flatMap(value -> PolicyTableCheck.instant(policy.dateKind(), policy.dateZone(), value)));
        return ledger.released(run.policy, fingerprint).chain(seenBefore -> {
            RunSafety.Verdict verdict = RunSafety.afterPlanning(run.policy, policy, plan, run.cutoffEpochMs, run.dryRun, seenBefore);
            return ledger.finishPlanning(run.runId, plan, verdict).chain(finished -> publish(finished, plan, planned.scanMs()));
        });
    }

    /** What planning ended in: the hold announced, or the completion (nothing to archive, a dry run), or the batches published. */
    private Uni<Outcome> publish(RunLedger.Planned finished, RunSafety.PlannedRun plan, long scanMs) {
        ArchiveRunEntity run = finished.run();
        if (run.state == RunState.AWAITING_CONFIRMATION) {
            return announce.awaitingConfirmation(run.runId).replaceWith(new Outcome("AWAITING_CONFIRMATION", plan.eligibleRows(), run.reason));
        }
        if (finished.completion().isPresent()) {
            return announce.completion(finished.completion().get())
                    .replaceWith(new Outcome("PLANNED", plan.eligibleRows(), plan.batches() + " batches" + reason(run)));
        }
        return announce.openBatches(run).map(open -> new Outcome("PLANNED", plan.eligibleRows(), open.size() + " batches; "
                + plan.batches() + " planned, scan and ledger inserts " + scanMs + " ms"));
    }

    private static String reason(ArchiveRunEntity run) {
        return run.reason == null ? "" : ", " + run.reason;
    }

    private static Uni<Outcome> done(String outcome, long rows, String detail) {
        return Uni.createFrom().item(new Outcome(outcome, rows, detail));
    }
}
