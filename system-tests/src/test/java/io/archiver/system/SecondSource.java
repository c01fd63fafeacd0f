package io.archiver.system;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Map;

import io.archiver.localstack.LocalStack;
import io.archiver.localstack.mysql.MySqlServer;
import io.archiver.localstack.process.StackLayout;

/**
 * A second MySQL server for a test (issue 21): an embedded MariaDB on a port of its own, seeded with {@code run} rows, which
 * {@link #apply} declares to the control database as a source with {@code archivectl source apply}. Its password reaches the
 * services (and archivectl) in the environment variable {@link #passwordEnv()}, never in a file.
 */
final class SecondSource implements AutoCloseable {

    private final String name;
    private final MySqlServer server;

    private SecondSource(String name, MySqlServer server) {
        this.name = name;
        this.server = server;
    }

    /** Starts the server in {@code target/system/<dir>} with {@code rows} rows in its {@code run} table. */
    static SecondSource start(String name, String dir, long rows, double eligibleShare) {
        Path home = Path.of("target", "system", dir).toAbsolutePath();
        LocalStack.deleteRecursively(home);
        MySqlServer server = new MySqlServer(StackLayout.locate(home), home.resolve("mysql"), "archiver_st_" + name).mode("embedded")
                .start(rows, eligibleShare);
        return new SecondSource(name, server);
    }

    String name() {
        return name;
    }

    MySqlServer server() {
        return server;
    }

    String passwordEnv() {
        return name.toUpperCase(Locale.ROOT).replace('-', '_') + "_DB_PASSWORD";
    }

    /** The variable that carries the password, for every service and for archivectl. */
    Map<String, String> passwordEnvironment() {
        return Map.of(passwordEnv(), server.password());
    }

    Connection jdbc() throws SQLException {
        return DriverManager.getConnection(server.jdbcUrl(), server.user(), server.password());
    }

    /** Declares this server as a source with {@code archivectl source apply} (the file goes to {@code dir}). */
    ArchivectlProcess.Result apply(ArchivectlProcess archivectl, Path dir) {
        try {
            Path sources = Files.writeString(dir.resolve("sources-" + name + ".yaml"), """
                    sources:
                      %s:
                        host: %s
                        port: %d
                        database: %s
                        user: %s
                        tls: DISABLED
                        password-env: %s
                    """.formatted(name, server.host(), server.port(), server.database(), server.user(), passwordEnv()));
            return archivectl.run(passwordEnvironment(), "source", "apply", "-f", sources.toString(), "--actor", "system-test");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        server.close();
    }
}
