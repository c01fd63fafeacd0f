package io.archiver.scanner.persistence;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

import io.archiver.events.ArchiveBatchDeleted;
import io.archiver.events.ArchiveBatchFailed;
import io.archiver.events.ArchiveRequested;
import io.archiver.events.ArchiveRunAwaitingConfirmation;
import io.archiver.events.ArchiveRunCompleted;
import io.archiver.events.ArchiveShardExported;
import io.archiver.events.ArchiveUploaded;
import io.archiver.events.RunOutcome;
import io.archiver.events.RunPlan;
import io.archiver.events.RunStatistics;
import io.archiver.ledger.BatchState;
import io.archiver.ledger.BatchTotals;
import io.archiver.ledger.RunState;
import io.archiver.scanner.domain.RangePlanner.PlannedRange;
import io.archiver.scanner.domain.RunSafety;
import io.archiver.support.policy.RailReason;
import io.archiver.support.policy.Refusal;
import io.archiver.support.policy.TableFacts;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The run ledger (Hibernate Reactive): opens runs, records planned batches and what each step
 * reported ({@link BatchLedger}: plain statements, run a few hundred times per run), and closes a run
 * once every batch has ended. Every method is one transaction (a batch's end and the run's close: two)
 * and is idempotent: a replayed event finds its effect already recorded.
 */
@ApplicationScoped
public class RunLedger {

    /** The control database's Vert.x pool, for the planner's bulk inserts (the same database Hibernate Reactive maps). */
    private final Pool control;
    /** Every progress event's write, as plain statements. */
    private final BatchLedger batches;

    public RunLedger(Pool control, BatchLedger batches) {
        this.control = control;
        this.batches = batches;
    }

    /** A confirmation names a run the ledger does not know: it is dead-lettered. */
    public static final class UnknownRun extends RuntimeException {
        public UnknownRun(String message) {
            super(message);
        }
    }

    /** An event names a batch the ledger does not know, or with another range: it is dead-lettered. */
    public static final class UnknownBatch extends RuntimeException {
        public UnknownBatch(String message) {
            super(message);
        }
    }

    /** The run of a request, and the completions of the runs it replaced (to be published). */
    public record Opened(ArchiveRunEntity run, List<ArchiveRunCompleted> replaced) {
    }

    /**
     * Finds the run of a request, or records it: PLANNING, or REJECTED when another run of the policy is in flight. A new
     * run (not a dry one) replaces the policy's runs that await confirmation: they end REJECTED, never having exported anything.
     */
    public Uni<Opened> open(ArchiveRequested request, String policyFingerprint) {
        return Panache.withTransaction(() -> ArchiveRunEntity.<ArchiveRunEntity> findById(request.runId()).chain(existing -> {
            if (existing != null) {
                return Uni.createFrom().item(new Opened(existing, List.of()));
            }
            Uni<ArchiveRunEntity> sameSlot = request.scheduleSlot() == null ? Uni.createFrom().nullItem()
                    : ArchiveRunEntity.<ArchiveRunEntity> find("policy = ?1 and scheduleSlot = ?2", request.policy(), request.scheduleSlot())
                            .firstResult();
            return sameSlot.chain(slotRun -> {
                if (slotRun != null) {
                    return Uni.createFrom().item(new Opened(slotRun, List.of()));
                }
                Uni<List<ArchiveRunCompleted>> replaced = request.dryRun() ? Uni.createFrom().item(List.of())
                        : replaceHeldRuns(request.policy(), request.runId());
                // locking reads: they see what a concurrent confirmation or request committed, not this transaction's snapshot
                return replaced.chain(closed -> ArchiveRunEntity.<ArchiveRunEntity> find("policy = ?1 and state not in ?2", request.policy(),
                        List.of(RunState.COMPLETED, RunState.AWAITING_CONFIRMATION)).withLock(LockModeType.PESSIMISTIC_WRITE).firstResult()
                        .chain(inFlight -> {
                            ArchiveRunEntity run = newRun(request);
                            run.policyFingerprint = policyFingerprint;
                            if (inFlight != null) {
                                run.state = RunState.COMPLETED;
                                run.outcome = RunOutcome.REJECTED;
                                run.completedAtMs = System.currentTimeMillis();
                                run.reason = RailReason.RUN_IN_FLIGHT.name();
                                run.reasonDetail = "run " + inFlight.runId + " of policy " + inFlight.policy + " is " + inFlight.state
                                        + ": one run of a policy at a time, so that no range is planned twice";
                            }
                            return run.<ArchiveRunEntity> persist().map(saved -> new Opened(saved, closed));
                        }));
            });
        }));
    }

    /** Within the caller's transaction: ends the policy's runs that await confirmation, REJECTED, replaced by {@code newRunId}. */
    private Uni<List<ArchiveRunCompleted>> replaceHeldRuns(String policy, String newRunId) {
        return ArchiveRunEntity.<ArchiveRunEntity> find("policy = ?1 and state = ?2", policy, RunState.AWAITING_CONFIRMATION)
                .withLock(LockModeType.PESSIMISTIC_WRITE).<ArchiveRunEntity> list().chain(held -> {
            Uni<List<ArchiveRunCompleted>> closed = Uni.createFrom().item(new java.util.ArrayList<>());
            for (ArchiveRunEntity run : held) {
                closed = closed.chain(list -> ArchiveBatchEntity.<ArchiveBatchEntity> list("runId = ?1", run.runId).map(batches -> {
                    run.state = RunState.COMPLETED;
                    run.outcome = RunOutcome.REJECTED;
                    run.completedAtMs = System.currentTimeMillis();
                    run.reasonDetail = "not confirmed: run " + newRunId + " of policy " + policy + " replaced it before it was confirmed;"
                            + " nothing was exported (it was held for " + run.reason + ")";
                    run.reason = RailReason.NOT_CONFIRMED.name();
                    RunStatistics stats = statistics(run, batches);
                    run.statistics = RunStatisticsColumns.of(stats);
                    list.add(completion(run, stats));
                    return list;
                }));
            }
            return closed.map(List::copyOf);
        });
    }

    private static ArchiveRunEntity newRun(ArchiveRequested request) {
        ArchiveRunEntity run = new ArchiveRunEntity();
        run.runId = request.runId();
        run.policy = request.policy();
        run.tableName = request.table();
        run.cutoffEpochMs = request.cutoffEpochMs();
        run.mode = request.mode();
        run.runDate = LocalDate.ofInstant(request.occurredAt(), ZoneOffset.UTC);
        run.dryRun = request.dryRun();
        run.scheduleSlot = request.scheduleSlot();
        run.requestedBy = request.requestedBy();
        run.state = RunState.PLANNING;
        run.requestedAtMs = request.occurredAt().toEpochMilli();
        return run;
    }

    public Uni<List<ArchiveBatchEntity>> batches(String runId) {
        return Panache.withSession(() -> ArchiveBatchEntity.<ArchiveBatchEntity> list("runId = ?1 order by seq", runId));
    }

    /** Another planner recorded batches of the run meanwhile (a redelivered request on two replicas): this one stops; a retry resumes. */
    public static final class PlannedElsewhere extends RuntimeException {
        public PlannedElsewhere(String message) {
            super(message);
        }
    }

    private static final String LOCK_RUN = "SELECT batches_planned FROM archive_run WHERE run_id = ? AND state = 'PLANNING' FOR UPDATE";
    private static final String INSERT_BATCHES = "INSERT INTO archive_batch (batch_id, run_id, seq, first_id, last_id, first_key, last_key,"
            + " expected_rows, state, updated_at_ms) VALUES ";
    private static final String BATCH_VALUES = "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    private static final String COUNT_PLANNED = "UPDATE archive_run SET batches_planned = batches_planned + ?, rows_found = rows_found + ?"
            + " WHERE run_id = ?";

    /**
     * Records the next planned batches, seq {@code firstSeq} on, in one transaction of three statements (the run locked, one
     * multi-row insert, the run's counts), through the control database's Vert.x pool: not an entity flush per batch. The run's
     * {@code batches_planned} says where its plan stands: if it is not {@code firstSeq - 1}, another planner got there first and
     * nothing is recorded ({@link PlannedElsewhere}); the batch ids' unique keys refuse a second copy of any batch regardless.
     */
    public Uni<Void> addBatches(String runId, int firstSeq, List<PlannedRange> ranges) {
        if (ranges.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        long now = System.currentTimeMillis();
        List<Object> values = new java.util.ArrayList<>(ranges.size() * 10);
        long rows = 0;
        for (int i = 0; i < ranges.size(); i++) {
            PlannedRange range = ranges.get(i);
            values.add(batchId(runId, firstSeq + i));
            values.add(runId);
            values.add(firstSeq + i);
            values.add(range.firstId());
            values.add(range.lastId());
            values.add(range.firstKey() == null ? null : range.firstKey().text());
            values.add(range.lastKey() == null ? null : range.lastKey().text());
            values.add(range.rows());
            values.add(BatchState.PLANNED.name());
            values.add(now);
            rows += range.rows();
        }
        String insert = INSERT_BATCHES + String.join(", ", java.util.Collections.nCopies(ranges.size(), BATCH_VALUES));
        long found = rows;
        return control.withTransaction(connection -> connection.preparedQuery(LOCK_RUN).execute(Tuple.of(runId)).chain(locked -> {
            var row = locked.iterator();
            int planned = row.hasNext() ? row.next().getInteger(0) : -1;
            if (planned != firstSeq - 1) {
                throw new PlannedElsewhere("run " + runId + " has " + (planned < 0 ? "no run planning" : planned + " batches planned")
                        + ", not " + (firstSeq - 1) + ": planned by another request's handling; a retry resumes after its batches");
            }
            return connection.preparedQuery(insert).execute(Tuple.from(values))
                    .chain(() -> connection.preparedQuery(COUNT_PLANNED).execute(Tuple.of(ranges.size(), found, runId)));
        })).replaceWithVoid();
    }

    /** MySQL's ER_DUP_ENTRY. */
    private static final int DUPLICATE_KEY = 1062;

    /**
     * A unique key of the ledger refused a row: the run (or its slot) was recorded by a concurrent request. By the server's
     * error code (the Vert.x client's or JDBC's), or Hibernate's type for a constraint it reports, never by message text.
     */
    public static boolean isDuplicateKey(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof org.hibernate.exception.ConstraintViolationException
                    || (t instanceof io.vertx.mysqlclient.MySQLException e && e.getErrorCode() == DUPLICATE_KEY)
                    || (t instanceof java.sql.SQLException e && e.getErrorCode() == DUPLICATE_KEY)) {
                return true;
            }
        }
        return false;
    }

    public static String batchId(String runId, int seq) {
        return String.format("%s-b%06d", runId, seq);
    }

    /** A rail refused the run before planning: it ends REFUSED, with what the date column held. Returns its completion. */
    public Uni<ArchiveRunCompleted> refuse(String runId, Refusal refusal, TableFacts facts) {
        return Panache.withTransaction(() -> ArchiveRunEntity.<ArchiveRunEntity> findById(runId, LockModeType.PESSIMISTIC_WRITE).map(run -> {
            if (run.state == RunState.PLANNING) {
                run.state = RunState.COMPLETED;
                run.outcome = RunOutcome.REFUSED;
                run.completedAtMs = System.currentTimeMillis();
                run.reason = refusal.reason().name();
                run.reasonDetail = truncate(refusal.detail(), 1024);
                run.dateMinValue = truncate(facts.minDate(), 64);
                run.dateMaxValue = truncate(facts.maxDate(), 64);
                run.statistics = RunStatisticsColumns.of(statistics(run, List.of()));
            }
            return completion(run, fixedStatistics(run, List.of()));
        }));
    }

    /** Whether a run of {@code policy} with these settings has had its batches published before (else its first run is held). */
    public Uni<Boolean> released(String policy, String policyFingerprint) {
        return Panache.withSession(() -> ArchiveRunEntity.count("policy = ?1 and policyFingerprint = ?2 and releasedAtMs is not null", policy,
                policyFingerprint).map(n -> n > 0));
    }

    /** What {@link #finishPlanning} left: the run, and its completion when it ended there (nothing to archive, or a dry run). */
    public record Planned(ArchiveRunEntity run, Optional<ArchiveRunCompleted> completion) {
    }

    /**
     * Planning ended with {@code verdict}: the run is held (AWAITING_CONFIRMATION), or RUNNING with its batches to be published
     * (released), or complete if it has none. The plan's figures are kept either way.
     */
    public Uni<Planned> finishPlanning(String runId, RunSafety.PlannedRun plan, RunSafety.Verdict verdict) {
        return Panache.withTransaction(() -> ArchiveRunEntity.<ArchiveRunEntity> findById(runId, LockModeType.PESSIMISTIC_WRITE)
                .chain(run -> {
                    if (run.state == RunState.PLANNING) {
                        run.plannedAtMs = System.currentTimeMillis();
                        run.tableRows = plan.tableRows();
                        run.oldestRowMs = plan.oldestRow().map(Instant::toEpochMilli).orElse(null);
                        run.newestEligibleMs = plan.newestEligible().map(Instant::toEpochMilli).orElse(null);
                        if (run.dryRun) {
                            run.rowsFound = plan.eligibleRows();
                            run.batchesPlanned = (int) plan.batches();
                        }
                        Optional<Refusal> said = verdict instanceof RunSafety.Hold hold ? Optional.of(hold.why()) : ((RunSafety.Go) verdict).note();
                        said.ifPresent(refusal -> {
                            run.reason = refusal.reason().name();
                            run.reasonDetail = truncate(refusal.detail(), 1024);
                        });
                        if (verdict instanceof RunSafety.Hold) {
                            run.state = RunState.AWAITING_CONFIRMATION;
                            return Uni.createFrom().item(new Planned(run, Optional.empty()));
                        }
                        run.state = RunState.RUNNING;
                        if (!run.dryRun && run.batchesPlanned > 0) {
                            run.releasedAtMs = run.plannedAtMs;
                        }
                    }
                    if (run.state == RunState.AWAITING_CONFIRMATION) {
                        return Uni.createFrom().item(new Planned(run, Optional.empty()));
                    }
                    return completeIfEnded(run).map(done -> new Planned(run, done));
                }));
    }

    /** The run a confirmation names, and whether this confirmation let it go (else it did not await one). */
    public record Confirmation(ArchiveRunEntity run, boolean released) {
    }

    /** Lets a run that awaits confirmation go on: RUNNING, released now, confirmed by {@code by}. Any other run is left as it is. */
    public Uni<Confirmation> confirm(String runId, String by) {
        return Panache.withTransaction(() -> ArchiveRunEntity.<ArchiveRunEntity> findById(runId, LockModeType.PESSIMISTIC_WRITE).chain(run -> {
            if (run == null) {
                return Uni.createFrom().failure(new UnknownRun("no run " + runId + " in the ledger to confirm"));
            }
            if (run.state != RunState.AWAITING_CONFIRMATION) {
                return Uni.createFrom().item(new Confirmation(run, false));
            }
            long now = System.currentTimeMillis();
            run.state = RunState.RUNNING;
            run.confirmedBy = truncate(by, 128);
            run.confirmedAtMs = now;
            run.reasonDetail = truncate("confirmed by " + run.confirmedBy + " after it was held: " + run.reasonDetail, 1024);
            run.releasedAtMs = now;
            return Uni.createFrom().item(new Confirmation(run, true));
        }));
    }

    /** The announcement of a run that awaits confirmation, rebuilt from the ledger (also for a replayed request). */
    public Uni<ArchiveRunAwaitingConfirmation> awaitingOf(String runId) {
        return Panache.withSession(() -> ArchiveRunEntity.<ArchiveRunEntity> findById(runId)
                .chain(run -> ArchiveBatchEntity.<ArchiveBatchEntity> list("runId = ?1", runId).map(batches -> {
                    long firstId = batches.stream().mapToLong(b -> b.firstId).min().orElse(0);
                    long lastId = batches.stream().mapToLong(b -> b.lastId).max().orElse(0);
                    Instant oldest = Instant.ofEpochMilli(run.oldestRowMs != null ? run.oldestRowMs : run.cutoffEpochMs - 1);
                    Instant newest = run.newestEligibleMs != null ? Instant.ofEpochMilli(run.newestEligibleMs) : oldest;
                    RunPlan plan = new RunPlan(run.rowsFound, run.batchesPlanned, firstId, lastId,
                            Math.max(run.rowsFound, run.tableRows == null ? 0 : run.tableRows), oldest, newest.isBefore(oldest) ? oldest : newest);
                    return new ArchiveRunAwaitingConfirmation(java.util.UUID.randomUUID().toString(), run.runId, Instant.now(),
                            io.archiver.events.SchemaVersion.CURRENT, run.policy, run.tableName, run.cutoffEpochMs, run.mode, run.reason,
                            run.reasonDetail, plan);
                })));
    }

    public Uni<Void> recordExported(ArchiveShardExported event) {
        return batches.recordExported(event);
    }

    public Uni<Void> recordUploaded(ArchiveUploaded event) {
        return batches.recordUploaded(event);
    }

    /** Records a batch's end; returns the run's completion when it was the last batch (or the run had already completed). */
    public Uni<Optional<ArchiveRunCompleted>> recordDeleted(ArchiveBatchDeleted event) {
        return batches.recordDeleted(event).chain(mayClose -> closeIfEnded(event.runId(), mayClose));
    }

    public Uni<Optional<ArchiveRunCompleted>> recordFailed(ArchiveBatchFailed event) {
        return batches.recordFailed(event).chain(mayClose -> closeIfEnded(event.runId(), mayClose));
    }

    /**
     * After a batch's end was recorded ({@link BatchLedger}, committed): when the run may close, in a transaction of its own with
     * the run locked again, looks whether it does. A stop in between leaves the event's offset uncommitted: its redelivery records
     * the same end again and looks again.
     */
    private Uni<Optional<ArchiveRunCompleted>> closeIfEnded(String runId, boolean mayClose) {
        if (!mayClose) {
            return Uni.createFrom().item(Optional.empty());
        }
        return Panache.withTransaction(() -> ArchiveRunEntity.<ArchiveRunEntity> findById(runId, LockModeType.PESSIMISTIC_WRITE)
                .chain(this::completeIfEnded));
    }

    /** Within the caller's transaction and with the run locked: closes the run when planning ended and every batch ended. */
    private Uni<Optional<ArchiveRunCompleted>> completeIfEnded(ArchiveRunEntity run) {
        if (run.state == RunState.PLANNING || run.state == RunState.AWAITING_CONFIRMATION) {
            return Uni.createFrom().item(Optional.empty());
        }
        // while batches are open, one count answers (loading every batch for every completion made a run's cost grow with its square)
        return Panache.getSession().chain(session -> session.flush()).chain(() -> run.state == RunState.RUNNING
                ? ArchiveBatchEntity.count("runId = ?1 and state not in ?2", run.runId, BatchState.ENDED)
                : Uni.createFrom().item(0L)).chain(open -> open > 0 ? Uni.createFrom().item(Optional.<ArchiveRunCompleted> empty())
                        : ArchiveBatchEntity.<ArchiveBatchEntity> list("runId = ?1", run.runId).map(batches -> {
                    if (run.state == RunState.RUNNING && batches.stream().anyMatch(b -> !b.state.ended())) {
                        return Optional.<ArchiveRunCompleted> empty();
                    }
                    if (run.state == RunState.COMPLETED && run.completionSent) {
                        return Optional.<ArchiveRunCompleted> empty(); // announced already: a late or replayed batch event adds nothing
                    }
                    if (run.state == RunState.RUNNING) {
                        run.state = RunState.COMPLETED;
                        run.completedAtMs = System.currentTimeMillis();
                        RunStatistics stats = statistics(run, batches);
                        run.outcome = outcome(run, stats);
                        run.statistics = RunStatisticsColumns.of(stats);
                    }
                    return Optional.of(completion(run, fixedStatistics(run, batches)));
                }));
    }

    /** Records that the run's ArchiveRunCompleted was acknowledged by the broker. */
    public Uni<Void> completionSent(String runId) {
        return Panache.withTransaction(() -> ArchiveRunEntity.update("completionSent = true where runId = ?1", runId)).replaceWithVoid();
    }

    /** The completion of an already completed run, rebuilt from the ledger (for a replayed request). */
    public Uni<ArchiveRunCompleted> completionOf(String runId) {
        return Panache.withSession(() -> ArchiveRunEntity.<ArchiveRunEntity> findById(runId)
                .chain(run -> ArchiveBatchEntity.<ArchiveBatchEntity> list("runId = ?1", runId)
                        .map(batches -> completion(run, fixedStatistics(run, batches)))));
    }

    /** A run's day and the keys of its objects, in key order: what its manifest describes. */
    public record RunObjects(java.time.LocalDate runDate, List<String> objectKeys) {
    }

    /** The run's day and its objects' keys, as the ledger recorded them from ArchiveUploaded. */
    public Uni<RunObjects> objectsOf(String runId) {
        return Panache.withSession(() -> ArchiveRunEntity.<ArchiveRunEntity> findById(runId)
                .chain(run -> ArchiveBatchEntity.<ArchiveBatchEntity> list("runId = ?1", runId)
                        .map(batches -> new RunObjects(run.runDate, batches.stream().map(b -> b.objectKey).filter(java.util.Objects::nonNull)
                                .distinct().sorted().toList()))));
    }

    /** The statistics fixed at completion; computed now only for a run completed before they were kept. */
    static RunStatistics fixedStatistics(ArchiveRunEntity run, List<ArchiveBatchEntity> batches) {
        return run.statistics == null ? statistics(run, batches) : run.statistics.toStatistics();
    }

    private static RunOutcome outcome(ArchiveRunEntity run, RunStatistics stats) {
        if (stats.batchesFailed() == 0) {
            return RunOutcome.SUCCEEDED;
        }
        return stats.batchesFailed() == stats.batches() ? RunOutcome.FAILED : RunOutcome.PARTIAL;
    }

    /**
     * The run's statistics from its batches. Its rows add up (docs/live-tables.md): found = removed + kept + missing + failed,
     * each batch counted by {@link ArchiveBatchEntity#counts()}; a run whose batches did not run (a dry run, a refused one, one
     * held and replaced) counts what planning found.
     */
    static RunStatistics statistics(ArchiveRunEntity run, List<ArchiveBatchEntity> batches) {
        BatchTotals totals = BatchTotals.of(batches.stream().map(b -> new BatchTotals.Figures(b.state, b.rowsExported, b.rowsUploaded,
                b.objectKey, b.objectBytes)).toList());
        // what became of the rows: the deleter records its counts chunk by chunk, so a batch that failed half-way handled some
        // rows and fails only the rest
        io.archiver.events.RowCounts rows = batches.stream().map(ArchiveBatchEntity::counts).reduce(io.archiver.events.RowCounts.NONE,
                io.archiver.events.RowCounts::plus);
        long batchCount = run.dryRun ? run.batchesPlanned : totals.batches();
        long end = run.completedAtMs != null ? run.completedAtMs : System.currentTimeMillis();
        // a run whose batches were never let go (held, then replaced) handled no row: it keeps what planning found
        boolean ran = !run.dryRun && !batches.isEmpty() && batches.stream().allMatch(b -> b.state.ended());
        long found = ran ? rows.found() : run.rowsFound;
        return new RunStatistics(found, totals.rowsExported(), totals.rowsUploaded(), rows.removed(), rows.failed(), batchCount,
                totals.batchesFailed(), totals.bytesUploaded(), totals.objects(), Math.max(0, end - run.requestedAtMs), rows.keptChanged(),
                rows.keptNotInObject(), rows.missing());
    }

    private static ArchiveRunCompleted completion(ArchiveRunEntity run, RunStatistics stats) {
        RunOutcome outcome = run.outcome != null ? run.outcome : outcome(run, stats);
        return new ArchiveRunCompleted(java.util.UUID.randomUUID().toString(), run.runId, Instant.now(),
                io.archiver.events.SchemaVersion.CURRENT, run.policy, run.tableName, run.cutoffEpochMs, run.mode, outcome, stats, null,
                run.reason, run.reasonDetail);
    }

    private static String truncate(String text, int max) {
        return text == null || text.length() <= max ? text : text.substring(0, max);
    }
}
