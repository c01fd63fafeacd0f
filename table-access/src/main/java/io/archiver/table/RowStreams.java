package io.archiver.table;

import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.function.Consumer;

import io.vertx.mutiny.sqlclient.PreparedStatement;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Streams a query's rows through a server-side cursor, {@code fetchSize} at a time, to a consumer on
 * the calling (worker) thread: never more than about two fetches of rows in memory, however large
 * the batch. Must run inside a transaction of {@code connection}.
 */
public final class RowStreams {

    private RowStreams() {
    }

    public static long forEach(SqlConnection connection, String sql, Tuple args, int fetchSize, Duration timeout,
            Consumer<Row> consumer) {
        PreparedStatement statement = connection.prepare(sql).await().atMost(timeout);
        try {
            long count = 0;
            Iterable<Row> rows = statement.createStream(fetchSize, args).toMulti()
                    .subscribe().asIterable(fetchSize, () -> new ArrayBlockingQueue<>(fetchSize * 2));
            for (Row row : rows) {
                consumer.accept(row);
                count++;
            }
            return count;
        } finally {
            statement.close().await().atMost(timeout);
        }
    }
}
