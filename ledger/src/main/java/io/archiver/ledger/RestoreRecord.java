package io.archiver.ledger;

/**
 * A restore as {@code archive_restore} holds it ({@link RestoreSql#RESTORE_COLUMNS}): what was asked, where it is, and its
 * figures so far. Times in epoch milliseconds; {@code completedAtMs} and {@code error} null until it ends (error only when
 * it failed).
 */
public record RestoreRecord(String restoreId, String policy, String table, String targetTable, String scope, boolean intoSource,
        boolean dryRun, String requestedBy, RestoreState state, int objectsTotal, int objectsDone, long rowsRestored, long rowsSkipped,
        long rowsConflicting, String error, long requestedAtMs, long updatedAtMs, Long completedAtMs) {
}
