package io.archiver.table;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Runs statements with the session's {@code time_zone} at {@code +00:00}, then puts the session's zone back, where a TIMESTAMP
 * column is compared with a cutoff written as UTC text ({@link EligibleRows#comparesInUtc()}): in a session zone with daylight
 * saving, one wall-clock text can name two instants, and the server would read the cutoff as either.
 */
public final class UtcSession {

    private static final String TO_UTC = "SET @archiver_session_zone = @@session.time_zone, @@session.time_zone = '+00:00'";
    private static final String BACK = "SET @@session.time_zone = @archiver_session_zone";

    private UtcSession() {
    }

    /** One prepared statement on a pooled connection, in UTC when {@code utc}. */
    public static Uni<RowSet<Row>> query(Pool pool, boolean utc, String sql, Tuple arguments) {
        if (!utc) {
            return pool.preparedQuery(sql).execute(arguments);
        }
        return pool.withConnection(connection -> connection.query(TO_UTC).execute()
                .chain(() -> connection.preparedQuery(sql).execute(arguments))
                .onTermination().call(() -> connection.query(BACK).execute().onFailure().recoverWithNull()));
    }

    /**
     * One prepared statement whose rows are handed to {@code collector} as the client decodes them, none kept (a result of any
     * size in flat memory), in UTC when {@code utc}; the collector's result.
     */
    public static <R> Uni<R> collect(Pool pool, boolean utc, String sql, Tuple arguments,
            java.util.stream.Collector<io.vertx.sqlclient.Row, ?, R> collector) {
        return pool.withConnection(connection -> {
            Uni<R> streamed = Uni.createFrom().deferred(() -> io.smallrye.mutiny.vertx.UniHelper.toUni(connection.getDelegate().preparedQuery(sql)
                    .collecting(collector).execute(arguments.getDelegate())).map(io.vertx.sqlclient.SqlResult::value));
            if (!utc) {
                return streamed;
            }
            return connection.query(TO_UTC).execute().chain(() -> streamed)
                    .onTermination().call(() -> connection.query(BACK).execute().onFailure().recoverWithNull());
        });
    }

    /** Sets the connection's session zone to UTC, keeping the one it had for {@link #restore}; blocking, for worker threads. */
    public static void enter(SqlConnection connection, java.time.Duration timeout) {
        connection.query(TO_UTC).execute().await().atMost(timeout);
    }

    /** Puts back the session zone {@link #enter} kept. */
    public static void restore(SqlConnection connection, java.time.Duration timeout) {
        connection.query(BACK).execute().onFailure().recoverWithNull().await().atMost(timeout);
    }
}
