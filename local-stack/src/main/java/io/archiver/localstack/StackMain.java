package io.archiver.localstack;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.EnumSet;
import java.util.concurrent.CountDownLatch;

import java.util.Map;

import io.archiver.events.ArchiveMode;
import io.archiver.events.ArchiveRunAwaitingConfirmation;
import io.archiver.events.ArchiveRunCompleted;
import io.archiver.events.RunOutcome;
import io.archiver.events.RunPlan;
import io.archiver.events.RunStatistics;
import io.archiver.localstack.kafka.KafkaBroker;
import io.archiver.localstack.pipeline.ArchiveBucket;
import io.archiver.localstack.pipeline.PipelineDriver;
import io.archiver.localstack.services.ServiceFleet;
import io.archiver.localstack.mysql.MySqlServer;
import io.archiver.localstack.process.StackLayout;
import io.archiver.localstack.s3.S3Server;
import io.archiver.localstack.services.ServiceProcess;

/**
 * The local run: starts Kafka, the S3 server and MySQL (seeded with {@code run} rows), then the
 * four services as prod-mode jars, shows them healthy and, in {@code demo}, runs one archival from
 * trigger to completion and prints its statistics and objects.
 *
 * <pre>
 * StackMain [demo|up] [--rows N] [--eligible-share S]
 *   demo  start everything, run one archival, print its statistics, stop everything (default)
 *   up    start everything and keep it running until Ctrl-C
 * </pre>
 */
public final class StackMain {

    private StackMain() {
    }

    public static void main(String[] args) throws Exception {
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", System.getProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn"));
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
        ServiceFleet fleet = null;
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

            t0 = System.nanoTime();
            step("the four services (prod jars)");
            fleet = ServiceFleet.start(stack, repo, workDir, Map.of(), Duration.ofMinutes(3));
            done("ready", t0);
            System.out.println();
            System.out.println("Health of each service (GET /q/health/ready):");
            for (ServiceProcess service : fleet.all()) {
                System.out.println("  " + service.service().module() + " " + service.baseUrl() + ": " + compact(service.health("ready").body()));
            }
            System.out.println();
            if (command.equals("demo")) {
                demoRun(stack, mysql);
            }
            System.out.println("Logs and data: " + workDir);
            if (command.equals("up")) {
                System.out.println("Running; Ctrl-C stops everything.");
                CountDownLatch forever = new CountDownLatch(1);
                ServiceFleet running = fleet;
                Runtime.getRuntime().addShutdownHook(new Thread(running::close));
                forever.await();
            }
            return 0;
        } catch (RuntimeException e) {
            System.err.println();
            System.err.println("FAILED: " + e.getMessage());
            return 1;
        } finally {
            if (fleet != null) {
                fleet.close();
            }
        }
    }

    /**
     * Triggers one archival run (cutoff now minus 60 days), waits for it, and shows its statistics and objects. On a fresh
     * stack it is the first run of the `run` policy, which a safety rail holds with its plan (confirm-first-run): the demo
     * shows the plan and confirms it, as an operator would with {@code archivectl trigger --confirm RUN}.
     */
    private static void demoRun(LocalStack stack, MySqlServer mysql) throws Exception {
        String runId = PipelineDriver.newRunId();
        long t0 = System.nanoTime();
        try (PipelineDriver driver = new PipelineDriver(stack.kafka().bootstrapServers());
                ArchiveBucket bucket = ArchiveBucket.of(stack)) {
            System.out.println("Archival run " + runId + ": rows of `run` older than 60 days -> s3://" + bucket.name() + "/run-archive/");
            driver.trigger(runId, ArchiveMode.DELETE);
            if (driver.awaitCompletionOrHold(runId, Duration.ofMinutes(10)) instanceof ArchiveRunAwaitingConfirmation held) {
                RunPlan plan = held.plan();
                System.out.printf("  held before anything is exported: %s (a safety rail, docs/safety-rails.md)%n", held.reason());
                System.out.printf("  plan: %,d rows in %d batches, %.1f%% of the table's %,d rows, dated %s .. %s%n", plan.eligibleRows(),
                        plan.batches(), plan.share() * 100, plan.tableRows(), plan.oldestEligible(), plan.newestEligible());
                System.out.println("  confirming it, as `archivectl trigger --confirm " + runId + "` does");
                driver.confirm(runId, "archiver-demo");
            }
            ArchiveRunCompleted done = driver.awaitCompletion(runId, Duration.ofMinutes(10));
            RunStatistics s = done.stats();
            System.out.printf("  outcome %s in %.1f s%s%n", done.outcome(), (System.nanoTime() - t0) / 1e9,
                    done.reason() == null ? "" : done.outcome() == RunOutcome.SUCCEEDED
                            ? " (held for " + done.reason() + ", then confirmed)" : " (" + done.reason() + ")");
            System.out.printf("  rows found %d, exported %d, uploaded %d, deleted %d, failed %d%n", s.rowsFound(), s.rowsExported(),
                    s.rowsUploaded(), s.rowsRemoved(), s.rowsFailed());
            System.out.printf("  batches %d (failed %d), objects %d, %d bytes%n", s.batches(), s.batchesFailed(), s.objects(),
                    s.bytesUploaded());
            System.out.println("  objects in s3://" + bucket.name() + "/run-archive/:");
            bucket.list("run-archive/").forEach(o -> System.out.printf("    %s  %d bytes%n", o.key(), o.size()));
            printTable(mysql);
            if (done.outcome() != RunOutcome.SUCCEEDED) {
                throw new IllegalStateException("the run ended " + done.outcome() + "; see the services' logs");
            }
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
        System.out.println("  demo  start Kafka, S3, MySQL and the four services, archive `run` rows older than 60 days to S3, stop (default)");
        System.out.println("  up    start everything and keep it running until Ctrl-C (no run)");
    }
}
