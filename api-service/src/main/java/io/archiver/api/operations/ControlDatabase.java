package io.archiver.api.operations;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.function.Function;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

import io.archiver.operations.OperationFailed;

/**
 * The control database (policies and the run ledger) as the operations module uses it: a JDBC connection per operation from
 * the pool, read-only unless the operation writes. A failure names the database, never its credentials.
 */
@ApplicationScoped
public class ControlDatabase {

    private final DataSource dataSource;

    public ControlDatabase(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public <T> T read(Function<Connection, T> work) {
        return with(true, work);
    }

    public <T> T write(Function<Connection, T> work) {
        return with(false, work);
    }

    private <T> T with(boolean readOnly, Function<Connection, T> work) {
        try (Connection connection = dataSource.getConnection()) {
            connection.setReadOnly(readOnly);
            try {
                return work.apply(connection);
            } finally {
                connection.setReadOnly(false);
            }
        } catch (SQLException e) {
            throw new OperationFailed("the control database did not answer: " + e.getMessage());
        }
    }
}
