package io.archiver.localstack;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import io.archiver.localstack.kafka.KafkaBroker;
import io.archiver.localstack.mysql.MySqlServer;
import io.archiver.localstack.process.StackLayout;
import io.archiver.localstack.s3.S3Server;
import io.archiver.localstack.services.ArchiverService;
import io.archiver.localstack.services.ServiceProcess;

/**
 * The local run: starts Kafka, the S3 server and MySQL (seeded with {@code run} rows), then the
 * four services as prod-mode jars, and shows them healthy.
 *
 * <pre>
 * StackMain [demo|up] [--rows N] [--eligible-share S]
 *   demo  start everything, show the services' health, stop everything (default)
 *   up    start everything and keep it running until Ctrl-C
 * </pre>
 */
public final class StackMain {

    private StackMain() {
    }

    public static void main(String[] args) throws Exception {
        String command = "demo";
        long rows = 20_000;
        double share = 0.6;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "demo", "up" -> command = args[i];
                case "--rows" -> rows = Long.parseLong(value(args, ++i, "--rows"));
                case "--eligible-share" -> share = Double.parseDouble(value(args, ++i, "--eligible-share"));
                case "-h", "--help" -> {
                    usage();
                    return;
                }
                default -> {
                    System.err.println("unknown argument: " + args[i]);
                    usage();
                    System.exit(2);
                }
            }
        }
        if (rows < 0 || share < 0 || share > 1) {
            System.err.println("--rows must be >= 0 and --eligible-share within [0, 1]");
            System.exit(2);
        }
        System.exit(run(command, rows, share));
    }

    private static int run(String command, long rows, double share) throws Exception {
        Path repo = Path.of("").toAbsolutePath();
        if (!Files.isRegularFile(repo.resolve("local-stack/pom.xml"))) {
            System.err.println("run this from the repository root (where local-stack/ is)");
            return 2;
        }
        Path workDir = repo.resolve(".local-stack");
        LocalStack.deleteRecursively(workDir);
        StackLayout layout = StackLayout.locate(workDir);
        List<ServiceProcess> services = new ArrayList<>();
        try (LocalStack stack = new LocalStack(layout, "archiver_demo")) {
            long t0 = System.nanoTime();
            step("Kafka (KRaft)");
            stack.ensure(EnumSet.of(LocalStack.Server.KAFKA));
            KafkaBroker kafka = stack.kafka();
            done("bootstrap " + kafka.bootstrapServers(), t0);

            t0 = System.nanoTime();
            step("S3 server (S3Proxy)");
            stack.ensure(EnumSet.of(LocalStack.Server.S3));
            S3Server s3 = stack.s3();
            done(s3.endpoint() + ", bucket " + LocalStack.BUCKET, t0);

            t0 = System.nanoTime();
            step("MySQL, seeding " + rows + " rows of `run`");
            MySqlServer mysql = stack.seedMySql(rows, share);
            done(mysql.jdbcUrl() + (mysql.embedded() ? " (embedded MariaDB)" : ""), t0);
            printTable(mysql);

            for (ArchiverService service : ArchiverService.values()) {
                services.add(new ServiceProcess(service, repo, workDir.resolve("services"), stack.environment()).start(List.of()));
            }
            for (ServiceProcess service : services) {
                t0 = System.nanoTime();
                step(service.service().module());
                service.awaitReady(Duration.ofMinutes(3));
                done(service.baseUrl() + " ready", t0);
            }
            System.out.println();
            System.out.println("Health of each service (GET /q/health):");
            for (ServiceProcess service : services) {
                System.out.println("  " + service.service().module() + ": " + compact(service.health("").body()));
            }
            System.out.println();
            System.out.println("Logs and data: " + workDir);
            if (command.equals("up")) {
                System.out.println("Running; Ctrl-C stops everything.");
                CountDownLatch forever = new CountDownLatch(1);
                Runtime.getRuntime().addShutdownHook(new Thread(() -> services.forEach(ServiceProcess::kill)));
                forever.await();
            }
            return 0;
        } catch (RuntimeException e) {
            System.err.println();
            System.err.println("FAILED: " + e.getMessage());
            return 1;
        } finally {
            services.forEach(ServiceProcess::kill);
        }
    }

    private static void printTable(MySqlServer mysql) throws Exception {
        try (Connection connection = DriverManager.getConnection(mysql.jdbcUrl(), mysql.user(), mysql.password());
                ResultSet rs = connection.createStatement().executeQuery(
                        "SELECT COUNT(*), SUM(msg_sent_date < UNIX_TIMESTAMP(NOW() - INTERVAL 60 DAY) * 1000) FROM run")) {
            rs.next();
            System.out.printf("      run: %d rows, %d older than 60 days%n", rs.getLong(1), rs.getLong(2));
        }
    }

    private static String compact(String json) {
        return json.replaceAll("\\s+", " ");
    }

    private static void step(String what) {
        System.out.print("  starting " + what + " ... ");
        System.out.flush();
    }

    private static void done(String what, long startNanos) {
        System.out.printf("%s (%.1f s)%n", what, (System.nanoTime() - startNanos) / 1e9);
    }

    private static String value(String[] args, int i, String flag) {
        if (i >= args.length) {
            throw new IllegalArgumentException(flag + " needs a value");
        }
        return args[i];
    }

    private static void usage() {
        System.out.println("usage: StackMain [demo|up] [--rows N] [--eligible-share S]");
        System.out.println("  demo  start Kafka, S3, MySQL and the four services, show their health, stop (default)");
        System.out.println("  up    the same, and keep everything running until Ctrl-C");
    }
}
