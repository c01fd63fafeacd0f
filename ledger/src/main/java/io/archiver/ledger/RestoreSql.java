package io.archiver.ledger;

/**
 * The SQL of the restore records (V14: {@code archive_restore}, {@code archive_restore_object},
 * {@code archive_restore_conflict}): the deleter's restore handler writes them, archivectl and the API read them through
 * the operations module. {@code LedgerSchemaTest} prepares each statement against the migrated schema.
 */
public final class RestoreSql {

    public static final String RESTORE_TABLE = "archive_restore";

    /** The audit trail's action of a restore that wrote rows (docs/archive.md#audit). */
    public static final String AUDIT_RESTORED = "RESTORED";

    public static final String RESTORE_COLUMNS = "restore_id, policy, table_name, target_table, scope, into_source, dry_run, requested_by,"
            + " state, objects_total, objects_done, rows_restored, rows_skipped, rows_conflicting, error, requested_at_ms, updated_at_ms,"
            + " completed_at_ms";

    /**
     * A restore's record, once: a replayed request finds it (arguments: restore, policy, table, target, scope, into source, dry
     * run, requested by, now, now).
     */
    public static final String INSERT_RESTORE = "INSERT IGNORE INTO archive_restore (restore_id, policy, table_name, target_table, scope,"
            + " into_source, dry_run, requested_by, state, requested_at_ms, updated_at_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, '"
            + RestoreState.RUNNING + "', ?, ?)";

    /** One restore (argument: restore). */
    public static final String RESTORE = "SELECT " + RESTORE_COLUMNS + " FROM archive_restore WHERE restore_id = ?";

    /** The latest restores, newest first (arguments: policy or null, policy or null, limit). */
    public static final String LATEST_RESTORES = "SELECT " + RESTORE_COLUMNS + " FROM archive_restore WHERE (? IS NULL OR policy = ?)"
            + " ORDER BY requested_at_ms DESC, restore_id LIMIT ?";

    /** Locks a restore's record for the rest of the transaction (argument: restore). */
    public static final String LOCK_RESTORE = "SELECT state FROM archive_restore WHERE restore_id = ? FOR UPDATE";

    /** Runs of a policy that have not completed: planned or running (argument: policy). */
    public static final String RUNS_IN_FLIGHT = "SELECT COUNT(*) FROM archive_run WHERE policy = ? AND state <> '" + RunState.COMPLETED + "'";

    private static final String RUNNING = " AND state = '" + RestoreState.RUNNING + "'";

    /** How many objects the scope holds, once known (arguments: objects, now, restore). */
    public static final String RECORD_OBJECTS_TOTAL = "UPDATE archive_restore SET objects_total = ?, updated_at_ms = ? WHERE restore_id = ?"
            + RUNNING;

    /** A chunk's figures added to the restore's (arguments: restored, skipped, conflicting, objects done (0 or 1), now, restore). */
    public static final String ADD_PROGRESS = "UPDATE archive_restore SET rows_restored = rows_restored + ?, rows_skipped = rows_skipped + ?,"
            + " rows_conflicting = rows_conflicting + ?, objects_done = objects_done + ?, updated_at_ms = ? WHERE restore_id = ?" + RUNNING;

    /** The restore ended (arguments: state, error or null, now, now, restore). */
    public static final String END_RESTORE = "UPDATE archive_restore SET state = ?, error = ?, updated_at_ms = ?, completed_at_ms = ?"
            + " WHERE restore_id = ?" + RUNNING;

    /** An object's progress, once per restore and object (arguments: restore, object, sha256, now). */
    public static final String INSERT_OBJECT = "INSERT IGNORE INTO archive_restore_object (restore_id, object_key, sha256, updated_at_ms)"
            + " VALUES (?, ?, ?, ?)";

    /** An object's progress as committed (arguments: restore, object). */
    public static final String OBJECT = "SELECT done, records_done FROM archive_restore_object WHERE restore_id = ? AND object_key = ?";

    /** An object's progress under lock (arguments: restore, object). */
    public static final String LOCK_OBJECT = "SELECT done, records_done FROM archive_restore_object WHERE restore_id = ? AND object_key = ?"
            + " FOR UPDATE";

    /** An object's progress (arguments: records done, restored, skipped, conflicting, done, now, restore, object). */
    public static final String RECORD_OBJECT_PROGRESS = "UPDATE archive_restore_object SET records_done = ?, rows_restored = rows_restored + ?,"
            + " rows_skipped = rows_skipped + ?, rows_conflicting = rows_conflicting + ?, done = ?, updated_at_ms = ?"
            + " WHERE restore_id = ? AND object_key = ?";

    /** An object's progress and figures under lock (arguments: restore, object). */
    public static final String LOCK_OBJECT_FIGURES = "SELECT done, records_done, rows_restored, rows_skipped, rows_conflicting"
            + " FROM archive_restore_object WHERE restore_id = ? AND object_key = ? FOR UPDATE";

    /**
     * An object's progress and figures as its target's database has them ({@link SourceRestoreProgress}: a target in another
     * source) (arguments: records done, restored, skipped, conflicting, done, now, restore, object).
     */
    public static final String SET_OBJECT_PROGRESS = "UPDATE archive_restore_object SET records_done = ?, rows_restored = ?,"
            + " rows_skipped = ?, rows_conflicting = ?, done = ?, updated_at_ms = ? WHERE restore_id = ? AND object_key = ?";

    /** A restore's objects in key order (argument: restore). */
    public static final String OBJECTS = "SELECT object_key, done, records_done, rows_restored, rows_skipped, rows_conflicting, sha256"
            + " FROM archive_restore_object WHERE restore_id = ? ORDER BY object_key";

    /** A key whose row in the target differs from the archive's; recorded once (arguments: restore, key, object, now). */
    public static final String RECORD_CONFLICT = "INSERT IGNORE INTO archive_restore_conflict (restore_id, key_value, object_key, recorded_at_ms)"
            + " VALUES (?, ?, ?, ?)";

    /** A restore's conflicts in key order, at most a limit (arguments: restore, limit). */
    public static final String CONFLICTS = "SELECT key_value, object_key FROM archive_restore_conflict WHERE restore_id = ?"
            + " ORDER BY LENGTH(key_value), key_value LIMIT ?";

    private RestoreSql() {
    }
}
