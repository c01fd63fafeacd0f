package io.archiver.operations;

import java.sql.Connection;
import java.sql.SQLException;

/** One transaction on the caller's JDBC connection: all of the work commits, or none of it. */
public final class Transactions {

    /** Work that may fail with an {@link SQLException}. */
    public interface Work<T> {
        T run() throws SQLException;
    }

    private Transactions() {
    }

    /** Runs {@code work} in one transaction; a database failure is an {@link OperationFailed} saying what could not be done. */
    public static <T> T inTransaction(Connection connection, String what, Work<T> work) {
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
            throw new OperationFailed("cannot " + what + ": " + e.getMessage(), e);
        }
    }
}
