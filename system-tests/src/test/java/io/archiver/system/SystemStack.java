package io.archiver.system;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import io.archiver.localstack.LocalStack;
import io.archiver.localstack.mysql.MySqlServer;
import io.archiver.localstack.pipeline.ArchiveBucket;
import io.archiver.localstack.pipeline.PipelineDriver;
import io.archiver.localstack.process.StackLayout;
import io.archiver.localstack.services.ArchiverService;
import io.archiver.localstack.services.LivenessWatchdog;
import io.archiver.localstack.services.ServiceFleet;

/**
 * One test class's world: the real servers (Kafka, S3 server, MySQL seeded with {@code run} rows)
 * and the four services as prod-mode jars, with a driver to trigger runs and read the topics.
 */
final class SystemStack implements AutoCloseable {

    final LocalStack stack;
    final MySqlServer mysql;
    final ServiceFleet fleet;
    final PipelineDriver driver;
    final ArchiveBucket bucket;
    /** Restarts a service whose liveness stays DOWN, as Kubernetes would (a Kafka channel that failed for good). */
    final LivenessWatchdog watchdog;

    private SystemStack(LocalStack stack, MySqlServer mysql, ServiceFleet fleet) {
        this.stack = stack;
        this.mysql = mysql;
        this.fleet = fleet;
        // deploy/base probes every 10 s and restarts after 3 failures; twice as often here, so that a test's bounds hold
        this.watchdog = fleet.watchLiveness(Duration.ofSeconds(5), 3);
        this.driver = new PipelineDriver(stack.kafka().bootstrapServers());
        this.bucket = ArchiveBucket.of(stack);
    }

    static SystemStack start(String name, long rows, double eligibleShare) {
        return start(name, rows, eligibleShare, stack -> Map.of());
    }

    /** Starts the servers, seeds {@code run}, then the services with per-service environment overrides. */
    static SystemStack start(String name, long rows, double eligibleShare,
            Function<LocalStack, Map<ArchiverService, Map<String, String>>> overrides) {
        return start(name, rows, eligibleShare, overrides, 1);
    }

    /** As above, with {@code instances} of each service (the same consumer groups; topics of at least that many partitions). */
    static SystemStack start(String name, long rows, double eligibleShare,
            Function<LocalStack, Map<ArchiverService, Map<String, String>>> overrides, int instances) {
        Path workDir = Path.of("target", "system", name).toAbsolutePath();
        LocalStack.deleteRecursively(workDir);
        LocalStack stack = new LocalStack(StackLayout.locate(workDir), "archiver_st_" + name);
        try {
            stack.topicPartitions(Math.max(LocalStack.DEFAULT_TOPIC_PARTITIONS, instances));
            stack.ensure(EnumSet.of(LocalStack.Server.KAFKA, LocalStack.Server.S3));
            MySqlServer mysql = stack.seedMySql(rows, eligibleShare);
            Map<ArchiverService, Map<String, String>> env = new java.util.EnumMap<>(ArchiverService.class);
            env.putAll(overrides.apply(stack));
            for (ArchiverService service : ArchiverService.values()) {
                // the first run of `run` would wait for a confirmation: these tests archive; SafetyRailsTest tests the rails
                Map<String, String> withRails = new java.util.HashMap<>(env.getOrDefault(service, Map.of()));
                withRails.putIfAbsent("ARCHIVER_POLICIES_RUN_CONFIRM_FIRST_RUN", "false");
                env.put(service, withRails);
            }
            String batchSize = System.getProperty("archiver.it.batch-size");
            if (batchSize != null) { // a measurement run: every service with the same policy batch size
                for (ArchiverService service : ArchiverService.values()) {
                    Map<String, String> withSize = new java.util.HashMap<>(env.getOrDefault(service, Map.of()));
                    withSize.putIfAbsent("ARCHIVER_POLICIES_RUN_BATCH_SIZE", batchSize);
                    env.put(service, withSize);
                }
            }
            ServiceFleet fleet = ServiceFleet.start(stack, repositoryRoot(), workDir, env, Duration.ofMinutes(3), instances);
            // the policies live in the control database: the settings given as ARCHIVER_POLICIES_* are applied there
            Map<String, String> policies = new java.util.HashMap<>();
            env.values().forEach(policies::putAll);
            io.archiver.policy.TestPolicies.awaitSeen(fleet.all(),
                    io.archiver.policy.TestPolicies.apply(mysql.jdbcUrl(), mysql.user(), mysql.password(), policies), Duration.ofMinutes(1));
            return new SystemStack(stack, mysql, fleet);
        } catch (RuntimeException e) {
            stack.close();
            throw e;
        }
    }

    /** The same settings for all four services (a policy's settings must be the same in each). */
    static Map<ArchiverService, Map<String, String>> everyService(Map<String, String> settings) {
        Map<ArchiverService, Map<String, String>> env = new java.util.EnumMap<>(ArchiverService.class);
        for (ArchiverService service : ArchiverService.values()) {
            env.put(service, settings);
        }
        return env;
    }

    static Path repositoryRoot() {
        String root = System.getProperty("archiver.repository.root");
        return root != null ? Path.of(root) : Path.of("..").toAbsolutePath().normalize();
    }

    /**
     * Fails if any line the services logged holds a credential of this stack (the database password, the
     * S3 secret key, and {@code others}: a source's password), wherever it comes from: a connection error, a configuration dump, a stack trace.
     */
    void assertNoSecretInAnyLog(String... others) throws java.io.IOException {
        List<String> secrets = new java.util.ArrayList<>(List.of(mysql.password(), stack.s3().secretKey()));
        secrets.addAll(List.of(others));
        Path logs = stack.workDir().resolve("services");
        int files = 0;
        try (var paths = java.nio.file.Files.walk(logs)) { // services/instance-N too: the second and later instances
            for (Path log : paths.filter(p -> p.toString().endsWith(".log")).toList()) {
                files++;
                List<String> lines = java.nio.file.Files.readAllLines(log);
                for (int i = 0; i < lines.size(); i++) {
                    for (String secret : secrets) {
                        if (lines.get(i).contains(secret)) {
                            throw new AssertionError(log.getFileName() + " line " + (i + 1) + " holds a credential");
                        }
                    }
                }
            }
        }
        if (files < ArchiverService.values().length) {
            throw new AssertionError("expected a log per service in " + logs + ", found " + files);
        }
    }

    Connection jdbc() throws SQLException {
        return DriverManager.getConnection(mysql.jdbcUrl(), mysql.user(), mysql.password());
    }

    @Override
    public void close() {
        try {
            watchdog.close();
            fleet.close();
        } finally {
            driver.close();
            bucket.close();
            stack.close();
        }
    }
}
