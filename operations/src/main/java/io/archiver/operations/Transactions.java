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
        return io.archiver.policy.JdbcTransaction.run(connection, work::run, e -> new OperationFailed("cannot " + what + ": " + e.getMessage(), e));
    }
}
