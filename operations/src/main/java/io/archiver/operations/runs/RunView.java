package io.archiver.operations.runs;

import java.time.Duration;
import java.util.Arrays;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.archiver.operations.Texts;
import io.archiver.events.RowCounts;
import io.archiver.ledger.BatchState;
import io.archiver.ledger.BatchTotals;

/**
 * A run with its batches and the deleter's throttle pauses, and what follows from them: counts by state, rows and bytes,
 * progress. Counted as the scanner counts them.
 */
public record RunView(RunRow run, List<BatchRow> batches, List<ThrottleSummary> throttle) {

    public RunView(RunRow run, List<BatchRow> batches) {
        this(run, batches, List.of());
    }

    /** The time the deleter paused for the database's health, all reasons together. */
    public long throttledMs() {
        return throttle.stream().mapToLong(ThrottleSummary::pausedMs).sum();
    }

    /** Batch states in flow order. */
    public static final List<String> STATES = Arrays.stream(BatchState.values()).map(BatchState::name).toList();

    public Map<String, Long> batchesByState() {
        return byState(batches.stream().map(BatchRow::state).toList());
    }

    public static Map<String, Long> byState(List<String> states) {
        Map<String, Long> counts = new LinkedHashMap<>();
        STATES.forEach(s -> counts.put(s, 0L));
        Map<String, Long> other = new TreeMap<>();
        for (String state : states) {
            if (counts.containsKey(state)) {
                counts.merge(state, 1L, Long::sum);
            } else {
                other.merge(state, 1L, Long::sum);
            }
        }
        counts.putAll(other);
        return counts;
    }

    /** The batches' totals, counted as the scanner counts its statistics ({@link BatchTotals}). */
    public BatchTotals totals() {
        return BatchTotals.of(batches.stream().map(b -> new BatchTotals.Figures(BatchState.valueOf(b.state()), b.rowsExported(),
                b.rowsUploaded(), b.objectKey(), b.objectBytes())).toList());
    }

    public long rowsExported() {
        return totals().rowsExported();
    }

    public long rowsUploaded() {
        return totals().rowsUploaded();
    }

    /**
     * The run's rows by what became of them, as the scanner counts them: a batch being removed in chunks counts what it
     * handled so far, a failed batch fails only the rows it had not handled.
     */
    public RowCounts counts() {
        return batches.stream().map(BatchRow::counts).reduce(RowCounts.NONE, RowCounts::plus);
    }

    /** Rows of batches in flight not handled yet: 0 once the run completed. */
    public long rowsPending() {
        return batches.stream().mapToLong(BatchRow::pending).sum();
    }

    /**
     * Rows found: with batches, what they met (removed + kept + missing + failed + pending, docs/live-tables.md); without
     * (a dry run, a refused or held run), what planning found.
     */
    public long rowsFound() {
        return batches.isEmpty() || run.dryRun() ? run.rowsFound() : counts().found() + rowsPending();
    }

    public long rowsRemoved() {
        return counts().removed();
    }

    public long rowsFailed() {
        return counts().failed();
    }

    public long bytesUploaded() {
        return totals().bytesUploaded();
    }

    public long objects() {
        return totals().objects();
    }

    /** Rows removed over time since the run was requested, against the rows found so far. */
    public Progress progress(long nowMs) {
        long end = run.completedAtMs() != null ? run.completedAtMs() : nowMs;
        return new Progress(rowsRemoved(), rowsFound(), Duration.ofMillis(Math.max(0, end - run.requestedAtMs())));
    }

    public static Map<String, Object> runJson(RunRow run, Map<String, Long> batchesByState) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("runId", run.runId());
        json.put("policy", run.policy());
        json.put("table", run.table());
        json.put("mode", run.mode());
        json.put("dryRun", run.dryRun());
        json.put("scheduleSlot", run.scheduleSlot());
        json.put("requestedBy", run.requestedBy());
        json.put("cutoff", Texts.time(run.cutoffEpochMs()));
        json.put("cutoffEpochMs", run.cutoffEpochMs());
        json.put("runDate", run.runDate());
        json.put("state", run.state());
        json.put("outcome", run.outcome());
        json.put("rowsFound", run.rowsFound());
        json.put("batchesPlanned", run.batchesPlanned());
        json.put("batchesByState", batchesByState);
        json.put("requestedAt", Texts.time(run.requestedAtMs()));
        json.put("plannedAt", run.plannedAtMs() == null ? null : Texts.time(run.plannedAtMs()));
        json.put("completedAt", run.completedAtMs() == null ? null : Texts.time(run.completedAtMs()));
        RunRow.Rails rails = run.rails();
        json.put("reason", rails.reason());
        json.put("reasonDetail", rails.reasonDetail());
        json.put("dateMinValue", rails.dateMinValue());
        json.put("dateMaxValue", rails.dateMaxValue());
        json.put("tableRows", rails.tableRows());
        json.put("oldestRowAt", rails.oldestRowMs() == null ? null : Texts.time(rails.oldestRowMs()));
        json.put("newestEligibleAt", rails.newestEligibleMs() == null ? null : Texts.time(rails.newestEligibleMs()));
        json.put("releasedAt", rails.releasedAtMs() == null ? null : Texts.time(rails.releasedAtMs()));
        json.put("confirmedBy", rails.confirmedBy());
        json.put("confirmedAt", rails.confirmedAtMs() == null ? null : Texts.time(rails.confirmedAtMs()));
        json.put("statistics", run.statistics()); // as ArchiveRunCompleted carried them; null until the run completed
        return json;
    }

    public Map<String, Object> toJson(long nowMs) {
        Map<String, Object> json = runJson(run, batchesByState());
        RowCounts counts = counts();
        json.put("rowsFound", rowsFound());
        json.put("rowsPlanned", run.rowsFound());
        json.put("rowsExported", rowsExported());
        json.put("rowsUploaded", rowsUploaded());
        json.put("rowsRemoved", rowsRemoved());
        json.put("rowsKeptChanged", counts.keptChanged());
        json.put("rowsKeptNotInObject", counts.keptNotInObject());
        json.put("rowsMissing", counts.missing());
        json.put("rowsFailed", rowsFailed());
        json.put("rowsPending", rowsPending());
        json.put("bytesUploaded", bytesUploaded());
        json.put("objects", objects());
        json.put("progress", progress(nowMs).toJson());
        json.put("throttle", throttle.stream().map(ThrottleSummary::toJson).toList());
        List<Map<String, Object>> list = new ArrayList<>();
        for (BatchRow b : batches) {
            Map<String, Object> batch = new LinkedHashMap<>();
            batch.put("batchId", b.batchId());
            batch.put("seq", b.seq());
            batch.put("state", b.state());
            batch.put("firstId", b.firstId());
            batch.put("lastId", b.lastId());
            batch.put("expectedRows", b.expectedRows());
            batch.put("rowsExported", b.rowsExported());
            batch.put("rowsUploaded", b.rowsUploaded());
            batch.put("rowsRemoved", b.rowsRemoved());
            batch.put("rowsKeptChanged", b.rowsKeptChanged());
            batch.put("rowsKeptNotInObject", b.rowsKeptNotInObject());
            batch.put("rowsMissing", b.rowsMissing());
            batch.put("rowsFailed", b.counts().failed());
            batch.put("exceptionsKey", b.exceptionsKey());
            batch.put("fileBytes", b.fileBytes());
            batch.put("objectKey", b.objectKey());
            batch.put("objectBytes", b.objectBytes());
            batch.put("failedStage", b.failedStage());
            batch.put("failureReason", b.failureReason());
            batch.put("failureDetail", b.failureDetail());
            batch.put("updatedAt", Texts.time(b.updatedAtMs()));
            list.add(batch);
        }
        json.put("batches", list);
        return json;
    }
}
