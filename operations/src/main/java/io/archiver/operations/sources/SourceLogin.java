package io.archiver.operations.sources;

import java.sql.Connection;
import java.sql.Driver;
import java.sql.SQLException;
import java.util.Properties;
import java.util.function.Consumer;
import java.util.function.Function;

import io.archiver.policy.SourceSpec;

/**
 * Logs in to a source's database (not the control database) as its user, read-only unless {@link #writable()}, with its password read where the caller runs
 * ({@code environment}: the variable, the file or the source key it names). The password goes to the driver and to
 * {@code onPassword} (archivectl masks it in every message), nowhere else.
 */
public final class SourceLogin implements SourceOperations.Connector {

    private final Driver driver;
    private final Function<String, String> environment;
    private final Consumer<String> onPassword;
    private final boolean readOnly;

    public SourceLogin(Driver driver, Function<String, String> environment, Consumer<String> onPassword) {
        this(driver, environment, onPassword, true);
    }

    private SourceLogin(Driver driver, Function<String, String> environment, Consumer<String> onPassword, boolean readOnly) {
        this.driver = driver;
        this.environment = environment;
        this.onPassword = onPassword;
        this.readOnly = readOnly;
    }

    /** The same login with the right to write: purge removes rows of a source's archive table. */
    public SourceLogin writable() {
        return new SourceLogin(driver, environment, onPassword, false);
    }

    @Override
    public Connection connect(SourceSpec source) throws SQLException {
        String password = source.password().resolve(source.name(), environment);
        onPassword.accept(password);
        Properties props = new Properties();
        props.put("user", source.user());
        props.put("password", password);
        props.put("connectTimeout", "10000");
        props.put("socketTimeout", "60000");
        Connection connection = driver.connect(source.jdbcUrl(), props);
        if (connection == null) {
            throw new SQLException("the driver does not take " + source.jdbcUrl());
        }
        connection.setReadOnly(readOnly);
        return connection;
    }
}
