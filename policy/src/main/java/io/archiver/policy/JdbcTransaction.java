package io.archiver.policy;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.function.Function;

/** One JDBC transaction around some work: all of it commits, or none; the connection's auto-commit is restored either way. */
public final class JdbcTransaction {

    /** Work on the transaction's connection. */
    public interface Work<T> {
        T run() throws SQLException;
    }

    private JdbcTransaction() {
    }

    /** Runs {@code work} in one transaction on {@code connection}; a database failure becomes what {@code failure} makes of it. */
    public static <T> T run(Connection connection, Work<T> work, Function<SQLException, RuntimeException> failure) {
        try {
            boolean autoCommit = connection.getAutoCommit();
            connection.setAutoCommit(false);
            try {
                T result = work.run();
                connection.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(autoCommit);
            }
        } catch (SQLException e) {
            throw failure.apply(e);
        }
    }
}
