package io.archiver.ledger;

import java.time.Duration;
import java.util.Arrays;

import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * A restore's progress per object in a source database ({@code archiver_restore_progress}, {@value SourceProgress#KEYS_SCHEMA}):
 * for a restore whose target table is in another database than the control one, each chunk's progress and figures are written
 * in the transaction that inserts its rows, in that database, since one transaction cannot span two servers; the control
 * database's {@code archive_restore_object} and {@code archive_restore} are brought up to it after each commit (and by the next
 * delivery, if the deleter stopped in between). The one owner of that table's SQL; created by {@link SourceProgress#ensure}.
 */
public final class SourceRestoreProgress {

    public static final String TABLE = "archiver_restore_progress";

    private static final String COLUMNS = "done, records_done, rows_restored, rows_skipped, rows_conflicting";
    private static final String OPEN = "INSERT IGNORE INTO " + TABLE + " (restore_id, object_key, updated_at_ms) VALUES (?, ?, ?)";
    private static final String SELECT = "SELECT " + COLUMNS + " FROM " + TABLE + " WHERE restore_id = ? AND object_key = ?";
    private static final String RECORD = "UPDATE " + TABLE + " SET records_done = ?, rows_restored = rows_restored + ?,"
            + " rows_skipped = rows_skipped + ?, rows_conflicting = rows_conflicting + ?, done = ?, updated_at_ms = ?"
            + " WHERE restore_id = ? AND object_key = ? AND done = 0";

    /** An object's progress: done, the records handled, the rows restored, skipped (same values) and conflicting so far. */
    public record Progress(boolean done, long recordsDone, long restored, long skipped, long conflicting) {

        /** Whether this progress is ahead of {@code other}'s (the control database's copy of it). */
        public boolean aheadOf(Progress other) {
            return recordsDone > other.recordsDone || done && !other.done;
        }

        /** The progress of a row of {@code archive_restore_object} or of this table, selected as {@code done, records_done, ...}. */
        public static Progress of(Row row) {
            return new Progress(row.getInteger(0) != 0, row.getLong(1), row.getLong(2), row.getLong(3), row.getLong(4));
        }
    }

    private SourceRestoreProgress() {
    }

    /** The object's progress as {@code client} sees it, its row created where absent. */
    public static Progress find(SqlClient client, String restoreId, String objectKey, Duration timeout) {
        client.preparedQuery(OPEN).execute(Tuple.of(restoreId, objectKey, System.currentTimeMillis())).await().atMost(timeout);
        return Progress.of(client.preparedQuery(SELECT).execute(Tuple.of(restoreId, objectKey)).await().atMost(timeout).iterator().next());
    }

    /** The object's progress row, created where absent and locked in the caller's (the chunk's) transaction. */
    public static Progress lock(SqlClient connection, String restoreId, String objectKey, Duration timeout) {
        connection.preparedQuery(OPEN).execute(Tuple.of(restoreId, objectKey, System.currentTimeMillis())).await().atMost(timeout);
        return Progress.of(connection.preparedQuery(SELECT + " FOR UPDATE").execute(Tuple.of(restoreId, objectKey)).await().atMost(timeout)
                .iterator().next());
    }

    /** A chunk's progress and figures (added), in the caller's transaction; fails if the object was done already. */
    public static void record(SqlClient connection, String restoreId, String objectKey, long recordsDone, long restored, long skipped,
            long conflicting, boolean done, Duration timeout) {
        int rows = connection.preparedQuery(RECORD).execute(Tuple.tuple(Arrays.asList(recordsDone, restored, skipped, conflicting, done ? 1 : 0,
                System.currentTimeMillis(), restoreId, objectKey))).await().atMost(timeout).rowCount();
        if (rows != 1) {
            throw new IllegalStateException("restore " + restoreId + " object " + objectKey + " has no open progress row in " + TABLE
                    + " while locked");
        }
    }
}
