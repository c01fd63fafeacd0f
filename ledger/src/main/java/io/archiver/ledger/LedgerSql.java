package io.archiver.ledger;

import java.util.Arrays;
import java.util.Collections;
import java.util.stream.Collectors;

/**
 * The SQL every module shares about the ledger's tables ({@code archive_run}, {@code archive_batch}, created by the
 * migrations in {@code db/ledger}): the exporter's and the deleter's view of a batch, the deleter's progress, and what
 * archivectl reads. The scanner maps the same tables with Hibernate Reactive; the states are {@link RunState} and
 * {@link BatchState}. {@code LedgerSchemaTest} prepares every statement here against the migrated schema.
 */
public final class LedgerSql {

    public static final String RUN_TABLE = "archive_run";
    public static final String BATCH_TABLE = "archive_batch";
    public static final String BATCH_EXCEPTION_TABLE = "archive_batch_exception";

    // ---- a batch, checked against an event (exporter, deleter)

    /** A batch with its run's cutoff: the columns {@link LedgerBatches#find} reads into a {@link LedgerBatch}. */
    public static final String BATCH_IN_RUN = "SELECT b.run_id, b.first_id, b.last_id, r.cutoff_epoch_ms, b.state, b.rows_removed,"
            + " b.removed_through_id, b.rows_kept_changed, b.rows_kept_not_in_object, b.rows_missing, b.exceptions_key, b.first_key, b.last_key, b.removed_through_key FROM archive_batch b JOIN archive_run r ON r.run_id = b.run_id WHERE b.batch_id = ?";

    /** Locks a batch's row for the rest of the transaction. */
    public static final String LOCK_BATCH = "SELECT batch_id FROM archive_batch WHERE batch_id = ? FOR UPDATE";

    // ---- the deleter's progress, in the transaction that removes the rows

    /** Only a batch that has not ended is written: an ended batch's figures stand. */
    private static final String NOT_ENDED = " AND state NOT IN (" + inList(BatchState.DELETED, BatchState.FAILED) + ")";

    /**
     * Rows through id {@code removed_through_id} handled: removed, kept changed, kept not in the object and missing, in all so
     * far (arguments: those four counts, through id, now, batch).
     */
    public static final String RECORD_REMOVAL_PROGRESS = "UPDATE archive_batch SET rows_removed = ?, rows_kept_changed = ?,"
            + " rows_kept_not_in_object = ?, rows_missing = ?, removed_through_id = ?, updated_at_ms = ? WHERE batch_id = ?" + NOT_ENDED;

    /** {@link #RECORD_REMOVAL_PROGRESS} of a batch of whole keys: the last key handled as its text (V16, docs/keys.md). */
    public static final String RECORD_REMOVAL_PROGRESS_KEY = "UPDATE archive_batch SET rows_removed = ?, rows_kept_changed = ?,"
            + " rows_kept_not_in_object = ?, rows_missing = ?, removed_through_key = ?, updated_at_ms = ? WHERE batch_id = ?" + NOT_ENDED;

    /**
     * The batch DELETED with its counts and what was verified (arguments: rows removed, kept changed, kept not in the object,
     * missing, the exceptions sidecar's key or null, object key, object bytes, rows uploaded, rows exported, rows digest, now,
     * batch).
     */
    public static final String RECORD_BATCH_DELETED = "UPDATE archive_batch SET state = '" + BatchState.DELETED + "', rows_removed = ?,"
            + " rows_kept_changed = ?, rows_kept_not_in_object = ?, rows_missing = ?, exceptions_key = ?,"
            + " removed_through_id = NULL, object_key = ?, object_bytes = ?, rows_uploaded = ?, rows_exported = ?, rows_digest = ?,"
            + " updated_at_ms = ? WHERE batch_id = ?" + NOT_ENDED;

    /**
     * A key of a batch's range that its chunk did not remove, and why ({@code CHANGED}, {@code NOT_IN_OBJECT}, {@code MISSING}),
     * naming the object whose version of it is not the archived one; a key recorded before is left as it is (arguments:
     * batch, key, run, reason, object key, now).
     */
    public static final String RECORD_BATCH_EXCEPTION = "INSERT IGNORE INTO archive_batch_exception (batch_id, key_id, run_id, reason,"
            + " object_key, recorded_at_ms, key_text) VALUES (?, ?, ?, ?, ?, ?, ?)";

    /** A batch's exceptions in key order (arguments: batch, limit). */
    public static final String BATCH_EXCEPTIONS = "SELECT key_id, reason, key_text FROM archive_batch_exception WHERE batch_id = ? ORDER BY key_id"
            + " LIMIT ?";

    /** A batch's keys whose version in its object was not removed: its exceptions sidecar lists them (arguments: batch, limit). */
    public static final String BATCH_STALE_VERSIONS = "SELECT key_id, reason, key_text FROM archive_batch_exception WHERE batch_id = ?"
            + " AND reason <> 'NOT_IN_OBJECT' ORDER BY key_id LIMIT ?";

    /** A pause of the deleter's health throttle, once it ended (V13; arguments: run, batch, reason, detail, outcome, began at, paused ms). */
    public static final String RECORD_THROTTLE_PAUSE = "INSERT INTO archive_throttle_pause (run_id, batch_id, reason, detail, outcome,"
            + " began_at_ms, paused_ms) VALUES (?, ?, ?, ?, ?, ?, ?)";

    /** A run's throttle pauses by reason: reason, pauses, total ms, last detail (argument: run). */
    public static final String RUN_THROTTLE_PAUSES = "SELECT reason, COUNT(*), SUM(paused_ms), MAX(detail) FROM archive_throttle_pause"
            + " WHERE run_id = ? GROUP BY reason ORDER BY SUM(paused_ms) DESC, reason";

    // ---- runs and batches as archivectl shows them (read-only)

    /**
     * A run's statistics fixed when it completed (V6), in the order of {@code RunStatistics}'s figures: rows found, exported,
     * uploaded, removed, failed; batches, batches failed; bytes uploaded, objects, duration in ms. All NULL before completion.
     */
    /** The append-only audit trail (V11, docs/archive.md#audit): its actions so far. */
    public static final String AUDIT_TABLE = "archive_audit";
    public static final String AUDIT_BATCH_DELETED = "BATCH_DELETED";
    public static final String AUDIT_BATCH_MOVED = "BATCH_MOVED";

    /**
     * One audit row (arguments: at, actor, action, policy, table, run, batch, rows, object keys as a JSON array, digests as a
     * JSON object, detail). Only INSERT: the services' user may not change the trail.
     */
    public static final String AUDIT_INSERT = "INSERT INTO archive_audit (at_ms, actor, action, policy, table_name, run_id, batch_id,"
            + " row_count, object_keys, digests, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

    /** The audit rows at or after a time, of one policy or all (a null policy), oldest first (arguments: policy, policy, since, limit). */
    public static final String AUDIT_SINCE = "SELECT id, at_ms, actor, action, policy, table_name, run_id, batch_id, row_count,"
            + " object_keys, digests, detail FROM archive_audit WHERE (? IS NULL OR policy = ?) AND at_ms >= ? ORDER BY at_ms, id LIMIT ?";

    /** {@link #AUDIT_SINCE} a page at a time (arguments: policy, policy, since, limit, offset). */
    public static final String AUDIT_PAGE = AUDIT_SINCE + " OFFSET ?";

    public static final String RUN_STATISTICS_COLUMNS = "stats_rows_found, stats_rows_exported, stats_rows_uploaded, stats_rows_removed,"
            + " stats_rows_failed, stats_batches, stats_batches_failed, stats_bytes_uploaded, stats_objects, stats_duration_ms,"
            + " stats_rows_kept_changed, stats_rows_kept_not_in_object, stats_rows_missing";
    public static final String RUN_COLUMNS = "run_id, policy, table_name, cutoff_epoch_ms, mode, run_date, dry_run, schedule_slot,"
            + " requested_by, state, outcome, batches_planned, rows_found, requested_at_ms, planned_at_ms, completed_at_ms, reason,"
            + " reason_detail, date_min_value, date_max_value, table_rows, oldest_row_ms, newest_eligible_ms, released_at_ms,"
            + " confirmed_by, confirmed_at_ms, " + RUN_STATISTICS_COLUMNS;
    public static final String BATCH_COLUMNS = "batch_id, run_id, seq, first_id, last_id, expected_rows, state, rows_exported,"
            + " file_bytes, object_key, object_bytes, rows_uploaded, rows_removed, failed_stage, failure_reason, failure_detail, updated_at_ms,"
            + " rows_kept_changed, rows_kept_not_in_object, rows_missing, exceptions_key";

    public static final String RUN = "SELECT " + RUN_COLUMNS + " FROM archive_run WHERE run_id = ?";
    /** The run that holds a schedule slot of a policy (arguments: policy, slot); one slot gives one run. */
    public static final String RUN_OF_SLOT = "SELECT " + RUN_COLUMNS + " FROM archive_run WHERE policy = ? AND schedule_slot = ?";
    public static final String BATCHES_OF_RUN = "SELECT " + BATCH_COLUMNS + " FROM archive_batch WHERE run_id = ? ORDER BY seq";

    private LedgerSql() {
    }

    /** The latest runs, newest first (arguments: the policy if {@code byPolicy}, the slot if {@code bySlot}, then the limit). */
    public static String latestRuns(boolean byPolicy, boolean bySlot) {
        return "SELECT " + RUN_COLUMNS + " FROM archive_run WHERE 1 = 1" + (byPolicy ? " AND policy = ?" : "")
                + (bySlot ? " AND schedule_slot = ?" : "") + " ORDER BY requested_at_ms DESC, run_id DESC LIMIT ?";
    }

    /** Each run's number of batches in each state: run_id, state, count (arguments: {@code runs} run ids, at least one). */
    public static String batchStateCounts(int runs) {
        if (runs < 1) {
            throw new IllegalArgumentException("runs must be at least 1, was " + runs);
        }
        return "SELECT run_id, state, COUNT(*) FROM archive_batch WHERE run_id IN (" + String.join(",", Collections.nCopies(runs, "?"))
                + ") GROUP BY run_id, state";
    }

    /** {@code 'A', 'B'}: states as SQL literals, for the ledger's own statements (never a caller's value). */
    @SafeVarargs
    public static <E extends Enum<E>> String inList(E... states) {
        return Arrays.stream(states).map(s -> "'" + s.name() + "'").collect(Collectors.joining(", "));
    }
}
