package io.archiver.localstack;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import io.archiver.events.ArchiveMode;
import io.archiver.events.ArchiveRunAwaitingConfirmation;
import io.archiver.events.ArchiveRunCompleted;
import io.archiver.events.RunOutcome;
import io.archiver.events.RunPlan;
import io.archiver.events.RunStatistics;
import io.archiver.localstack.demo.ArchivectlJar;
import io.archiver.localstack.demo.DemoSettings;
import io.archiver.localstack.demo.DemoUsageException;
import io.archiver.localstack.demo.OwnDatabaseRun;
import io.archiver.localstack.kafka.KafkaBroker;
import io.archiver.localstack.mysql.MySqlServer;
import io.archiver.localstack.pipeline.ArchiveBucket;
import io.archiver.localstack.pipeline.PipelineDriver;
import io.archiver.localstack.process.StackLayout;
import io.archiver.localstack.s3.S3Server;
import io.archiver.localstack.services.ArchiverService;
import io.archiver.localstack.services.ServiceFleet;
import io.archiver.localstack.services.ServiceProcess;

/**
 * The local run ({@code ./archiver-demo}): starts Kafka, the S3 server and MySQL, then the four services as prod-mode jars, shows
 * them healthy and archives: in {@code demo}, one run of the seeded {@code run} table from trigger to completion with its
 * statistics and objects; with a database of the user's own ({@code --source-url} and {@code --policy-file}, {@link DemoSettings}),
 * that database's tables by the policies given ({@link OwnDatabaseRun}), then where the objects are and how to reach them.
 * Settings it would ignore are refused before anything starts.
 */
public final class StackMain {

    public static void main(String[] args) throws Exception {
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", System.getProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn"));
        if (List.of(args).contains("-h") || List.of(args).contains("--help")) {
            usage(System.out);
            return;
        }
        Path repo = Path.of("").toAbsolutePath();
        if (!Files.isRegularFile(repo.resolve("local-stack/pom.xml"))) {
            System.err.println("run this from the repository root (where local-stack/ is)");
            System.exit(2);
        }
        System.exit(run(repo, repo.resolve(".local-stack"), "archiver_demo", List.of(args), System.getenv(), System.out));
    }

    /**
     * The demo with {@code args} and {@code environment}, its stack in {@code workDir} (cleared first) with control database
     * {@code controlDatabase}, printing to {@code out}; returns the exit code: 2 for arguments or settings it refuses (nothing
     * started) and for a source or policy refused (nothing archived), 1 for a run that did not succeed.
     */
    public static int run(Path repo, Path workDir, String controlDatabase, List<String> args, Map<String, String> environment, PrintStream out)
            throws Exception {
        DemoSettings settings;
        try {
            settings = DemoSettings.parse(args, environment);
        } catch (DemoUsageException e) {
            out.println("archiver-demo: " + e.getMessage().replace("\n", "\n  "));
            usage(out);
            return 2;
        }
        return new StackMain(out).run(repo, workDir, controlDatabase, settings);
    }

    private final PrintStream out;

    private StackMain(PrintStream out) {
        this.out = out;
    }

    private int run(Path repo, Path workDir, String controlDatabase, DemoSettings settings) throws Exception {
        boolean own = settings.source().isPresent();
        ArchivectlJar archivectl = null;
        LocalStack.deleteRecursively(workDir);
        StackLayout layout = StackLayout.locate(workDir);
        ServiceFleet fleet = null;
        try (LocalStack stack = new LocalStack(layout, controlDatabase)) {
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
            step(own ? "MySQL for the control database (the ledger, the policies)" : "MySQL, seeding " + settings.rows() + " rows of `run`");
            MySqlServer mysql = stack.seedMySql(settings.rows(), settings.eligibleShare());
            done(mysql.jdbcUrl() + (mysql.embedded() ? " (embedded MariaDB)" : ""), t0);
            if (!own) {
                printTable(mysql);
            }

            t0 = System.nanoTime();
            step("the four services (prod jars)");
            Map<String, String> sourceEnv = settings.source().map(OwnDatabaseRun::passwordEnvironment).orElse(Map.of());
            Map<ArchiverService, Map<String, String>> overrides = new EnumMap<>(ArchiverService.class);
            for (ArchiverService service : ArchiverService.values()) {
                overrides.put(service, sourceEnv);
            }
            fleet = ServiceFleet.start(stack, repo, workDir, overrides, Duration.ofMinutes(3));
            done("ready", t0);
            out.println();
            out.println("Health of each service (GET /q/health/ready):");
            for (ServiceProcess service : fleet.all()) {
                out.println("  " + service.service().module() + " " + service.baseUrl() + ": " + compact(service.health("ready").body()));
            }
            out.println();
            int code = 0;
            if (own) {
                Map<String, String> ctlEnv = new HashMap<>(sourceEnv);
                ctlEnv.put("KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
                ctlEnv.put("ARCHIVER_DB_URL", mysql.jdbcUrl());
                ctlEnv.put("ARCHIVER_DB_USER", mysql.user());
                ctlEnv.put("ARCHIVER_DB_PASSWORD", mysql.password());
                archivectl = new ArchivectlJar(repo, workDir.resolve("archivectl"), ctlEnv);
                code = new OwnDatabaseRun(settings, stack, fleet, archivectl, out).run();
            } else if (settings.command().equals("demo")) {
                demoRun(stack, mysql);
            }
            out.println("Logs and data: " + workDir);
            if (settings.command().equals("up")) {
                out.println("Running; Ctrl-C stops everything.");
                CountDownLatch forever = new CountDownLatch(1);
                ServiceFleet running = fleet;
                Runtime.getRuntime().addShutdownHook(new Thread(running::close));
                forever.await();
            }
            return code;
        } catch (RuntimeException e) {
            out.println();
            out.println("FAILED: " + e.getMessage());
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
    private void demoRun(LocalStack stack, MySqlServer mysql) throws Exception {
        String runId = PipelineDriver.newRunId();
        long t0 = System.nanoTime();
        try (PipelineDriver driver = new PipelineDriver(stack.kafka().bootstrapServers());
                ArchiveBucket bucket = ArchiveBucket.of(stack)) {
            out.println("Archival run " + runId + ": rows of `run` older than 60 days -> s3://" + bucket.name() + "/run-archive/");
            driver.trigger(runId, ArchiveMode.DELETE);
            if (driver.awaitCompletionOrHold(runId, Duration.ofMinutes(10)) instanceof ArchiveRunAwaitingConfirmation held) {
                RunPlan plan = held.plan();
                out.printf("  held before anything is exported: %s (a safety rail, docs/safety-rails.md)%n", held.reason());
                out.printf("  plan: %,d rows in %d batches, %.1f%% of the table's %,d rows, dated %s .. %s%n", plan.eligibleRows(),
                        plan.batches(), plan.share() * 100, plan.tableRows(), plan.oldestEligible(), plan.newestEligible());
                out.println("  confirming it, as `archivectl trigger --confirm " + runId + "` does");
                driver.confirm(runId, "archiver-demo");
            }
            ArchiveRunCompleted done = driver.awaitCompletion(runId, Duration.ofMinutes(10));
            RunStatistics s = done.stats();
            out.printf("  outcome %s in %.1f s%s%n", done.outcome(), (System.nanoTime() - t0) / 1e9,
                    done.reason() == null ? "" : done.outcome() == RunOutcome.SUCCEEDED
                            ? " (held for " + done.reason() + ", then confirmed)" : " (" + done.reason() + ")");
            out.printf("  rows found %d, exported %d, uploaded %d, deleted %d, failed %d%n", s.rowsFound(), s.rowsExported(),
                    s.rowsUploaded(), s.rowsRemoved(), s.rowsFailed());
            out.printf("  batches %d (failed %d), objects %d, %d bytes%n", s.batches(), s.batchesFailed(), s.objects(),
                    s.bytesUploaded());
            out.println("  objects in s3://" + bucket.name() + "/run-archive/:");
            bucket.list("run-archive/").forEach(o -> out.printf("    %s  %d bytes%n", o.key(), o.size()));
            printTable(mysql);
            if (done.outcome() != RunOutcome.SUCCEEDED) {
                throw new IllegalStateException("the run ended " + done.outcome() + "; see the services' logs");
            }
        }
    }

    private void printTable(MySqlServer mysql) throws Exception {
        try (Connection connection = DriverManager.getConnection(mysql.jdbcUrl(), mysql.user(), mysql.password());
                ResultSet rs = connection.createStatement().executeQuery(
                        "SELECT COUNT(*), SUM(msg_sent_date < UNIX_TIMESTAMP(NOW() - INTERVAL 60 DAY) * 1000) FROM run")) {
            rs.next();
            out.printf("      run: %d rows, %d older than 60 days%n", rs.getLong(1), rs.getLong(2));
        }
    }

    private static String compact(String json) {
        return json.replaceAll("\\s+", " ");
    }

    private void step(String what) {
        out.print("  starting " + what + " ... ");
        out.flush();
    }

    private void done(String what, long startNanos) {
        out.printf("%s (%.1f s)%n", what, (System.nanoTime() - startNanos) / 1e9);
    }

    private static void usage(PrintStream out) {
        out.println("usage: archiver-demo [demo|up] [--rows N] [--eligible-share S]");
        out.println("       archiver-demo [demo|up] --source-url jdbc:mysql://host:port/db --policy-file FILE [--create-archive-tables]");
        out.println("  demo  start Kafka, S3, MySQL and the four services, archive, print the runs and where the objects are, stop (default)");
        out.println("  up    the same, then keep everything running until Ctrl-C (without a database of your own: no run)");
        out.println("  without --source-url: seed `run` with N rows (default 20000), share S of them older than 60 days (default 0.6)");
        out.println("  --source-url (or $ARCHIVER_SOURCE_URL): archive that database, as $ARCHIVER_SOURCE_USER with $ARCHIVER_SOURCE_PASSWORD");
        out.println("    (never printed), TLS $ARCHIVER_SOURCE_TLS (default DISABLED on loopback, else REQUIRED), by the policies of");
        out.println("    --policy-file (docs/policies.md); --create-archive-tables creates a MOVE policy's missing archive table LIKE its table");
        out.println("  docs/operations.md, \"Archive your own database\"");
    }
}
