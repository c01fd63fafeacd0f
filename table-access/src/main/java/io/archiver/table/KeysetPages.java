package io.archiver.table;

import java.time.Duration;
import java.util.function.Consumer;

import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Reads a policy's eligible rows of an id range in id order, {@code pageRows} at a time, each page one
 * plain query ({@link EligibleRows#page(boolean)}: the range's three conditions, {@code ORDER BY id
 * LIMIT pageRows}), the next page starting after the last id of the one before: never more than one
 * page of rows in memory, however large the range.
 *
 * <p>Not a server-side cursor: MySQL and MariaDB materialise a cursor's whole result in an internal
 * temporary table before the first fetch, and with TEXT or BLOB columns (the {@code run} table has
 * three) MariaDB writes that table to disk, so every archived row was written to a temporary file
 * once for the export and once for the delete. Pages inside one transaction see what the
 * transaction sees: one snapshot under REPEATABLE READ (the export), and with {@code lock} every
 * page's rows stay locked until it ends (the delete).
 *
 * <p>Every column is read in its exact form ({@link ColumnForms}, resolved before the first page), and
 * TIMESTAMP columns in UTC: the session's time zone is {@code +00:00} while the pages are read, then
 * restored, so that a TIMESTAMP's text never depends on the server's zone nor falls into a DST fold.
 */
public final class KeysetPages {

    private KeysetPages() {
    }

    /**
     * Hands every eligible row with an id in {@code firstId..lastId} to {@code consumer}, in id order,
     * on the calling (worker) thread, and returns how many there were.
     */
    public static long forEach(SqlConnection connection, EligibleRows sql, boolean lock, long firstId, long lastId, long cutoffEpochMs,
            int pageRows, Duration timeout, Consumer<Row> consumer) {
        return forEach(connection, sql, lock, firstId, lastId, cutoffEpochMs, pageRows, timeout, (id, row) -> consumer.accept(row));
    }

    /** Receives each row with its id, read by the column's position (found once a page). */
    @FunctionalInterface
    public interface IdRows {
        void accept(long id, Row row);
    }

    /** {@link #forEach(SqlConnection, EligibleRows, boolean, long, long, long, int, Duration, Consumer)}, each row with its id. */
    public static long forEach(SqlConnection connection, EligibleRows sql, boolean lock, long firstId, long lastId, long cutoffEpochMs,
            int pageRows, Duration timeout, IdRows consumer) {
        if (pageRows < 1) {
            throw new IllegalArgumentException("the page size must be at least 1 row, was " + pageRows);
        }
        String page = sql.resolve(connection, timeout).page(lock);
        boolean utc = sql.forms().readsTimestamps() || sql.comparesInUtc();
        if (utc) {
            connection.query("SET @archiver_time_zone = @@session.time_zone, @@session.time_zone = '+00:00'").execute().await()
                    .atMost(timeout);
        }
        try {
            long count = 0;
            long from = firstId;
            while (from <= lastId) {
                RowSet<Row> rows = connection.preparedQuery(page).execute(Tuple.of(from, lastId, sql.cutoff(cutoffEpochMs), pageRows)).await()
                        .atMost(timeout);
                long lastSeen = Long.MIN_VALUE;
                int n = 0;
                int id = idIndex(rows, sql.idColumn()); // once a page, not a lookup by name on every row
                for (Row row : rows) {
                    lastSeen = row.getLong(id);
                    consumer.accept(lastSeen, row);
                    n++;
                }
                count += n;
                if (n < pageRows || lastSeen == Long.MAX_VALUE) {
                    break;
                }
                from = lastSeen + 1;
            }
            return count;
        } finally {
            if (utc) {
                connection.query("SET @@session.time_zone = @archiver_time_zone").execute().onFailure().recoverWithNull().await()
                        .atMost(timeout);
            }
        }
    }

    /** The position of the id column in a page's rows, read once a page; the rows' own {@code getLong(idIndex)} then reads it. */
    public static int idIndex(RowSet<Row> rows, String idColumn) {
        int index = rows.columnsNames().indexOf(idColumn);
        if (index < 0) {
            throw new java.util.NoSuchElementException("the rows have no column " + idColumn + ": " + rows.columnsNames());
        }
        return index;
    }
}
