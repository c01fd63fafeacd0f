package io.archiver.table;

import java.time.Duration;
import java.util.function.Consumer;

import io.archiver.events.KeyValue;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;

/**
 * {@link KeysetPages} for a range of a whole key ({@link KeyRangeRows}): the eligible rows of {@code first..last} in key order,
 * {@code pageRows} at a time, each page after the last key of the one before; never more than one page in memory. The same
 * snapshot and lock rules as {@link KeysetPages}: pages in one transaction see what it sees, and with {@code lock} stay locked.
 */
public final class KeyRangePages {

    private KeyRangePages() {
    }

    /** Hands every eligible row of {@code first..last} to {@code consumer} in key order, and returns how many there were. */
    public static long forEach(SqlConnection connection, KeyRangeRows sql, boolean lock, KeyValue first, KeyValue last, long cutoffEpochMs,
            int pageRows, Duration timeout, Consumer<Row> consumer) {
        return forEach(connection, sql, lock, false, first, last, cutoffEpochMs, pageRows, timeout, consumer);
    }

    /**
     * {@link #forEach(SqlConnection, KeyRangeRows, boolean, KeyValue, KeyValue, long, int, Duration, Consumer)} from the key after
     * {@code first} when {@code afterFirst} (the deleter's next chunk, after the last key it handled).
     */
    public static long forEach(SqlConnection connection, KeyRangeRows sql, boolean lock, boolean afterFirst, KeyValue first, KeyValue last,
            long cutoffEpochMs, int pageRows, Duration timeout, Consumer<Row> consumer) {
        if (pageRows < 1) {
            throw new IllegalArgumentException("the page size must be at least 1 row, was " + pageRows);
        }
        sql.resolve(connection, timeout);
        boolean utc = sql.forms().readsTimestamps() || sql.comparesInUtc();
        if (utc) {
            UtcSession.enter(connection, timeout);
        }
        try {
            long count = 0;
            KeyValue from = first;
            boolean firstPage = !afterFirst;
            while (true) {
                RowSet<Row> rows = connection.preparedQuery(sql.page(firstPage, lock)).execute(sql.pageArgs(from, last, cutoffEpochMs, pageRows))
                        .await().atMost(timeout);
                Row lastSeen = null;
                int n = 0;
                for (Row row : rows) {
                    lastSeen = row;
                    consumer.accept(row);
                    n++;
                }
                count += n;
                if (n < pageRows) {
                    return count;
                }
                from = sql.key(lastSeen);
                firstPage = false;
            }
        } finally {
            if (utc) {
                UtcSession.restore(connection, timeout);
            }
        }
    }
}
