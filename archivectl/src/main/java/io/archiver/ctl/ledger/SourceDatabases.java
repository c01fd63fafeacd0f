package io.archiver.ctl.ledger;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.function.Function;

import io.archiver.ctl.cli.Secrets;
import io.archiver.operations.sources.SourceLogin;
import io.archiver.policy.SourceSpec;

/** Connections to a source's database (not the control database) through {@link SourceLogin}, as the API's; the password never printed. */
public final class SourceDatabases {

    private SourceDatabases() {
    }

    /** A read-only connection to {@code source} as its user; the password from {@code environment} (or its file, or decrypted). */
    public static Connection connect(SourceSpec source, Function<String, String> environment) throws SQLException {
        // a driver message quoting the password is masked like the control database's
        return new SourceLogin(new org.mariadb.jdbc.Driver(), environment, Secrets::register).connect(source);
    }

    /** {@link #connect}, with the right to write (purge of a source's archive table). */
    public static Connection connectForWrites(SourceSpec source, Function<String, String> environment) throws SQLException {
        return new SourceLogin(new org.mariadb.jdbc.Driver(), environment, Secrets::register).writable().connect(source);
    }
}
