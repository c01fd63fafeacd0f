package io.archiver.ctl.ledger;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Properties;
import java.util.function.Function;

import io.archiver.ctl.cli.Secrets;
import io.archiver.policy.SourceSpec;

/** Connections to a source's database (not the control database) with its password read as the source says, never printed. */
public final class SourceDatabases {

    private SourceDatabases() {
    }

    /** A read-only connection to {@code source} as its user; the password from {@code environment} (or its file, or decrypted). */
    public static Connection connect(SourceSpec source, Function<String, String> environment) throws SQLException {
        String password = source.password().resolve(source.name(), environment);
        Secrets.register(password); // a driver message quoting it is masked like the control database's
        Properties props = new Properties();
        props.put("user", source.user());
        props.put("password", password);
        props.put("connectTimeout", "10000");
        props.put("socketTimeout", "60000");
        Connection connection = new org.mariadb.jdbc.Driver().connect(source.jdbcUrl(), props);
        connection.setReadOnly(true);
        return connection;
    }
}
