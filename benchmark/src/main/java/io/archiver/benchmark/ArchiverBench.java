package io.archiver.benchmark;

import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

import io.archiver.events.ArchiveMode;
import io.archiver.events.ArchiveRequested;
import io.archiver.events.ArchiveRunCompleted;
import io.archiver.localstack.LocalStack;
import io.archiver.localstack.data.RunTableSeeder;
import io.archiver.localstack.mysql.MySqlServer;
import io.archiver.localstack.pipeline.PipelineDriver;
import io.archiver.localstack.services.ArchiverService;
import io.archiver.localstack.services.AotTraining;
import io.archiver.localstack.services.FleetDiagnosis;
import io.archiver.localstack.services.LivenessWatchdog;
import io.archiver.localstack.services.ServiceFleet;
import io.archiver.localstack.services.ServiceJvm;
import io.archiver.localstack.services.ServiceProcess;

/**
 * Archiver end to end on the local stack: seeds {@code run}, starts the four prod jars with their
 * default settings, measures the concurrent writer idle, then triggers one DELETE run (cutoff now
 * minus 60 days) and measures it until ArchiveRunCompleted: wall time, the services' metrics and
 * event lines, delete transactions (log and INNODB_TRX), the writer, RSS and CPU per process.
 */
final class ArchiverBench {

    /** The names the report gives the processes of the stack. */
    static final String KAFKA = "kafka (KRaft)";
    static final String S3PROXY = "s3proxy";
    static final String MARIADB = "mariadbd (whole server)";

    /**
     * The safety rails that would hold a benchmark run for confirmation (docs/safety-rails.md), off for `run`: the first run of
     * the policy shows its plan first, and a large --eligible-share is more than the 90% a run may take unconfirmed; nobody is
     * there to confirm. The date checks stay on.
     */
    /** --throttle off: the deleter reads no health figure (0: not read), so it never pauses. */
    static final Map<String, String> THROTTLE_OFF = Map.of("ARCHIVER_DELETE_THROTTLE_MAX_THREADS_RUNNING", "0",
            "ARCHIVER_DELETE_THROTTLE_MAX_HISTORY_LENGTH", "0");
    static final Map<String, String> RAILS_OFF = Map.of("ARCHIVER_POLICIES_RUN_CONFIRM_FIRST_RUN", "false",
            "ARCHIVER_POLICIES_RUN_MAX_SHARE_PER_RUN", "1");

    /** The prefix of the `run` policy's settings a user may set in the environment (e.g. {@code ARCHIVER_POLICIES_RUN_BATCH_SIZE}). */
    static final String RUN_POLICY_PREFIX = "ARCHIVER_POLICIES_RUN_";

    /**
     * The `run` policy's settings for the run: {@link #RAILS_OFF} and the batch-size a new policy gets
     * ({@code PolicySpec.DEFAULT_BATCH_SIZE}; the `run` policy a fresh install seeds, migration V9, keeps the 10,000 it always had),
     * then those the environment sets, which win. The policies live in the control database, so a setting in the services'
     * environment alone would change nothing.
     */
    static Map<String, String> runPolicySettings(Map<String, String> environment) {
        Map<String, String> settings = new java.util.TreeMap<>(RAILS_OFF);
        settings.put(RUN_POLICY_PREFIX + "BATCH_SIZE", String.valueOf(io.archiver.policy.PolicySpec.DEFAULT_BATCH_SIZE));
        environment.forEach((key, value) -> {
            if (key.startsWith(RUN_POLICY_PREFIX)) {
                settings.put(key, value);
            }
        });
        return settings;
    }

    /** The `run` policy's rows per batch (= rows per object) the run uses: what {@link #runPolicySettings} applies. */
    static int batchSize(Map<String, String> environment) {
        return Integer.parseInt(runPolicySettings(environment).get(RUN_POLICY_PREFIX + "BATCH_SIZE").trim());
    }

    /** The last lines of each service's log a run that did not complete shows. */
    static final int DIAGNOSIS_LOG_LINES = 15;

    private final BenchmarkOptions options;
    private final Results.Archiver out;
    private final Results results;
    private final Consumer<String> progress;

    ArchiverBench(BenchmarkOptions options, Results results, Consumer<String> progress) {
        this.options = options;
        this.results = results;
        this.out = results.archiver;
        this.progress = progress;
    }

    void run(LocalStack stack) throws Exception {
        boolean warmUp = options.warmUpRows() > 0;
        long first = warmUp ? options.warmUpRows() : options.rows();
        progress.accept("seeding " + first + " rows of `run` in " + options.databasePrefix() + (warmUp ? " for the warm-up run" : ""));
        long t0 = System.nanoTime();
        MySqlServer mysql = stack.seedMySql(first, options.eligibleShare());
        out.seedSeconds = (System.nanoTime() - t0) / 1e9;

        Map<ArchiverService, Map<String, String>> overrides = new java.util.EnumMap<>(ArchiverService.class);
        for (ArchiverService service : ArchiverService.values()) {
            overrides.put(service, new java.util.HashMap<>(RAILS_OFF));
        }
        if (!options.throttle()) {
            overrides.get(ArchiverService.DELETER).putAll(THROTTLE_OFF);
        }
        MySqlTxTap tap = null;
        if (options.txTap()) {
            // the deleter reaches MySQL through the tap, which times its transactions; nothing else of it changes
            tap = new MySqlTxTap(mysql.host(), mysql.port());
            overrides.get(ArchiverService.DELETER).put("QUARKUS_DATASOURCE_REACTIVE_URL", "mysql://127.0.0.1:" + tap.port() + "/"
                    + mysql.database());
        }
        progress.accept("starting the four services (prod jars, default settings" + (tap == null ? "" : "; the deleter through the transaction tap") + ")");
        trainAotCachesIfAsked();
        ServiceFleet fleet = ServiceFleet.start(stack, options.repositoryRoot(), options.workDir(), overrides, Duration.ofMinutes(4),
                options.instances());
        // as the Deployments' livenessProbe does (deploy/base: every 10 s, after 3 failures): a service whose Kafka channel failed
        // for good is restarted instead of stalling the run (docs/reliability.md); the report says so, its figures then hold a restart
        LivenessWatchdog watchdog = fleet.watchLiveness(Duration.ofSeconds(10), 3);
        try {
            // the policies live in the control database: RAILS_OFF and the environment's settings of `run` are applied there and
            // awaited in every service's readiness
            io.archiver.policy.TestPolicies.awaitSeen(fleet.all(), io.archiver.policy.TestPolicies.apply(mysql.jdbcUrl(), mysql.user(),
                    mysql.password(), runPolicySettings(System.getenv())), Duration.ofMinutes(1));
            if (warmUp) {
                warmUp(stack, mysql, fleet);
            }
            out.rowsSeeded = options.rows();
            tableFigures(mysql);
            measure(stack, mysql, fleet, tap);
        } finally {
            watchdog.close();
            for (String restart : watchdog.restarts()) {
                String note = "liveness watchdog: " + restart + " (the run's figures include the restart and its catching up)";
                results.notes.add(note);
                progress.accept(note); // also when the run fails and its results are dropped
            }
            fleet.close();
            if (tap != null) {
                tap.close();
            }
        }
    }

    /**
     * With {@code ARCHIVER_SERVICE_AOT_CACHE_DIR} set, the services start with their AOT caches: written first, if missing or
     * older than the jars, by a training run on a stack and a database of its own ({@link AotTraining}), never on the rows measured.
     */
    private void trainAotCachesIfAsked() {
        ServiceJvm jvm = ServiceJvm.fromEnvironment();
        if (jvm.aotCacheDir().isPresent()) {
            new AotTraining(jvm, options.repositoryRoot(), options.workDir().resolve("aot-training"), progress).ensureCaches("archiver_aot_training");
        }
    }

    /**
     * {@code --warm-up-rows}: one whole run over the rows seeded first, unmeasured, on the services the measured run
     * uses; then the measured rows are seeded after them (higher ids). The warm-up's young rows stay in the table.
     */
    private void warmUp(LocalStack stack, MySqlServer mysql, ServiceFleet fleet) throws Exception {
        Results.WarmUp warm = new Results.WarmUp();
        out.warmUp = warm;
        warm.rowsSeeded = options.warmUpRows();
        try (PipelineDriver driver = new PipelineDriver(stack.kafka().bootstrapServers())) {
            long cutoff = Instant.now().minus(PipelineDriver.SIXTY_DAYS).toEpochMilli();
            ArchiveRequested request = ArchiveRequested.of(PipelineDriver.newRunId(), "run", "run", cutoff, ArchiveMode.DELETE,
                    "benchmark-warm-up", false, null);
            warm.runId = request.runId();
            progress.accept("warm-up run " + request.runId() + " over " + options.warmUpRows() + " rows (not measured)");
            long start = System.nanoTime();
            driver.trigger(request);
            ArchiveRunCompleted completed;
            try {
                completed = driver.awaitCompletion(request.runId(), options.runTimeout());
            } catch (IllegalStateException e) {
                throw new IllegalStateException("the warm-up " + e.getMessage() + System.lineSeparator()
                        + FleetDiagnosis.text(diagnose(stack, fleet)), e);
            }
            warm.seconds = (System.nanoTime() - start) / 1e9;
            warm.outcome = completed.outcome().name();
            warm.rowsRemoved = completed.stats().rowsRemoved();
            if (!"SUCCEEDED".equals(warm.outcome)) {
                throw new IllegalStateException("the warm-up run " + request.runId() + " ended " + warm.outcome + ": the measured run would not be"
                        + " on the same footing");
            }
        }
        progress.accept("seeding " + options.rows() + " more rows of `run` for the measured run");
        try (Connection c = jdbc(mysql)) {
            long t0 = System.nanoTime();
            new RunTableSeeder(c).seed(RunTableSeeder.nextSeq(c), options.rows(), options.eligibleShare(), PipelineDriver.SIXTY_DAYS,
                    System.currentTimeMillis(), n -> {
                    });
            out.seedSeconds = (System.nanoTime() - t0) / 1e9;
        }
    }

    /** A run that did not complete: each service's health, the consumer groups and the logs' last lines, also printed as progress. */
    private List<String> diagnose(LocalStack stack, ServiceFleet fleet) {
        List<String> lines = FleetDiagnosis.of(fleet.all(), stack.kafka().bootstrapServers(), DIAGNOSIS_LOG_LINES);
        lines.forEach(progress);
        return lines;
    }

    private void tableFigures(MySqlServer mysql) throws SQLException {
        try (Connection c = jdbc(mysql); PreparedStatement s = c.prepareStatement(
                "SELECT DATA_LENGTH, AVG_ROW_LENGTH FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME = 'run'")) {
            try (java.sql.Statement analyze = c.createStatement()) {
                analyze.execute("ANALYZE TABLE run");
                // the buffer pool says how much of the table the server can hold between its reads of a row (export, then delete)
                try (ResultSet rs = analyze.executeQuery("SELECT VERSION(), @@innodb_buffer_pool_size")) {
                    rs.next();
                    results.mysqlVersion = rs.getString(1) + ", innodb_buffer_pool_size " + (rs.getLong(2) >> 20) + " MiB";
                }
            }
            s.setString(1, mysql.database());
            try (ResultSet rs = s.executeQuery()) {
                if (rs.next()) {
                    out.dataLengthBytes = rs.getDouble(1);
                    out.avgRowLength = rs.getDouble(2);
                }
            }
        }
    }

    private void measure(LocalStack stack, MySqlServer mysql, ServiceFleet fleet, MySqlTxTap tap) throws Exception {
        Map<String, Long> servicePids = new LinkedHashMap<>();
        for (ServiceProcess service : fleet.all()) {
            servicePids.put(name(fleet, service), service.pid());
        }
        Map<String, Long> infraPids = infraPids(options);
        Map<String, PrometheusText> metricsBefore = scrape(fleet);

        try (Proc.RssSampler rss = new Proc.RssSampler(servicePids, 200);
                ConcurrentWriter writer = new ConcurrentWriter(mysql.jdbcUrl(), mysql.user(), mysql.password(), options.writerRate(), options.databaseCpus());
                PipelineDriver driver = new PipelineDriver(stack.kafka().bootstrapServers())) {
            out.writerRate = options.writerRate();
            Thread.sleep(2000); // the writer's connection and statement warm up, unrecorded
            progress.accept("concurrent writer idle for " + options.idleSeconds() + " s (" + options.writerRate() + " inserts/s)");
            writer.begin();
            Thread.sleep(options.idleSeconds() * 1000L);
            out.writerIdleMs.addAll(writer.end());

            long cutoff = Instant.now().minus(PipelineDriver.SIXTY_DAYS).toEpochMilli();
            try (Connection c = jdbc(mysql)) {
                out.eligibleBefore = count(c, "SELECT COUNT(*) FROM run WHERE msg_sent_date < ?", cutoff);
                out.youngBefore = count(c, "SELECT COUNT(*) FROM run WHERE msg_sent_date >= ?", cutoff);
            }
            Map<String, Long> rssBefore = new LinkedHashMap<>();
            servicePids.forEach((name, pid) -> rssBefore.put(name, Proc.statusKb(pid, "VmRSS").orElse(0)));
            rss.reset();
            Map<String, Long> all = new LinkedHashMap<>(servicePids);
            all.putAll(infraPids);
            Map<String, Double> cpuBefore = Proc.cpuSnapshot(all);
            // the services' threads, and Kafka's and S3Proxy's: JVMs too, whose compiler threads also work through the run
            Map<String, Long> jvms = new LinkedHashMap<>(servicePids);
            infraPids.forEach((name, pid) -> {
                if (!name.equals(MARIADB)) {
                    jvms.put(name, pid);
                }
            });
            ThreadCpuSampler threads = new ThreadCpuSampler(jvms, 250);
            double benchCpuBefore = Proc.cpuSeconds(ProcessHandle.current().pid());
            results.loadBeforeRun = Proc.loadAverageText();

            ArchiveRequested request = ArchiveRequested.of(PipelineDriver.newRunId(), "run", "run", cutoff, ArchiveMode.DELETE, "benchmark",
                    false, null);
            out.runId = request.runId();
            progress.accept("run " + request.runId() + ": " + out.eligibleBefore + " eligible rows; waiting for ArchiveRunCompleted (at most "
                    + options.runTimeout().toMinutes() + " min)");
            writer.begin();
            StackSampler stacks = options.threadDumpHz() > 0 ? new StackSampler(servicePids, options.threadDumpHz()) : null;
            long start = System.nanoTime();
            out.triggeredAt = Instant.now();
            driver.trigger(request);
            ArchiveRunCompleted completed = null;
            try {
                completed = driver.awaitCompletion(request.runId(), options.runTimeout());
            } catch (IllegalStateException e) {
                out.timedOut = true;
                results.notes.add("Archiver: " + e.getMessage() + "; the figures below are what it did until then; where it stood:"
                        + System.lineSeparator() + FleetDiagnosis.text(diagnose(stack, fleet)));
            }
            out.seconds = (System.nanoTime() - start) / 1e9;
            out.writerDuringMs.addAll(writer.end());
            if (stacks != null) {
                stacks.close();
                out.threadDumpHz = options.threadDumpHz();
                results.notes.add("profiling run: " + stacks.rounds() + " rounds of thread dumps (SIGQUIT) at " + options.threadDumpHz()
                        + "/s slowed it down; use its thread samples, not its figures");
                for (ServiceProcess service : fleet.all()) {
                    out.threadProfiles.put(name(fleet, service), StackSampler.profile(service.log()));
                }
            }
            if (tap != null) {
                out.txTap = true;
                List<long[]> open = new ArrayList<>();
                for (MySqlTxTap.Tx tx : tap.transactions()) {
                    if (tx.startNanos() >= start && tx.explicit()) {
                        open.add(new long[] { tx.startNanos(), tx.endNanos() });
                        if (tx.committed()) {
                            double committedAt = (tx.endNanos() - start) / 1e9;
                            if (Double.isNaN(out.firstDeleteTxSeconds) || committedAt < out.firstDeleteTxSeconds) {
                                out.firstDeleteTxSeconds = committedAt;
                            }
                            out.deleteTransactionMs.add(tx.ms());
                        } else {
                            out.rolledBack++;
                        }
                    }
                }
                out.deleteTransactionsAtOnce = Stats.maxOverlap(open);
            }
            if (completed != null) {
                out.stats = completed.stats();
                out.outcome = completed.outcome().name();
                out.rowsRemoved = completed.stats().rowsRemoved();
                out.bytesUploaded = completed.stats().bytesUploaded();
                out.batches = completed.stats().batches();
            } else {
                out.outcome = "TIMED OUT after " + options.runTimeout().toMinutes() + " min";
            }
            results.loadAfterRun = Proc.loadAverageText();
            Map<String, Double> cpuAfter = Proc.cpuSnapshot(all);
            threads.close();
            out.benchmarkCpuSeconds = Proc.cpuSeconds(ProcessHandle.current().pid()) - benchCpuBefore;
            out.writerFailures = writer.failures();
            if (writer.failures() > 0) {
                results.notes.add("concurrent writer: " + writer.failures() + " failed inserts, last: " + writer.lastFailure());
            }
            for (Map.Entry<String, Long> service : servicePids.entrySet()) {
                String name = service.getKey();
                out.services.put(name, new Results.ProcessFigures(name, service.getValue(), Proc.statusKb(service.getValue(), "VmHWM").orElse(0),
                        rssBefore.get(name), rss.maxRssKb(name), cpuAfter.get(name) - cpuBefore.get(name), threads.groups(name),
                        threads.endedThreadsSeconds(name)));
            }
            infraPids.keySet().forEach(name -> out.infraCpuSeconds.put(name, cpuAfter.get(name) - cpuBefore.get(name)));
            jvms.keySet().stream().filter(infraPids::containsKey).forEach(name -> out.infraThreadCpuSeconds.put(name, threads.groups(name)));

            Map<String, PrometheusText> metricsAfter = scrape(fleet);
            stageFigures(fleet, metricsBefore, metricsAfter);
            out.throttle = options.throttle();
            List<String> deleters = fleet.instances(ArchiverService.DELETER).stream().map(p -> name(fleet, p)).toList();
            out.throttlePauses = Math.round(delta(deleters, metricsBefore, metricsAfter, "archiver_delete_throttle_pauses_total", Map.of()));
            out.throttlePausedSeconds = delta(deleters, metricsBefore, metricsAfter, "archiver_delete_throttle_paused_seconds_sum", Map.of());
            ledger(mysql, cutoff);
        }
    }

    /** The report's name of one service process: its module, and for the second and later instances {@code #N}. */
    static String name(ServiceFleet fleet, ServiceProcess process) {
        int index = fleet.instances(process.service()).indexOf(process);
        return process.service().module() + (index > 0 ? "#" + (index + 1) : "");
    }

    /** Kafka and the S3 server of this stack (found by their work directories), and the machine's MySQL server. */
    static Map<String, Long> infraPids(BenchmarkOptions options) {
        Map<String, Long> pids = new LinkedHashMap<>();
        String kafkaDir = options.workDir().resolve("kafka").toString();
        String s3Dir = options.workDir().resolve("s3").toString();
        Proc.pidsWhereCommandLine(cmd -> cmd.contains("KafkaNodeMain") && cmd.contains(kafkaDir)).stream().findFirst()
                .ifPresent(pid -> pids.put(KAFKA, pid));
        Proc.pidsWhereCommandLine(cmd -> cmd.contains("s3proxy") && cmd.contains(s3Dir)).stream().findFirst()
                .ifPresent(pid -> pids.put(S3PROXY, pid));
        Proc.mysqlServerPid().ifPresent(pid -> pids.put(MARIADB, pid));
        return pids;
    }

    private Map<String, PrometheusText> scrape(ServiceFleet fleet) {
        Map<String, PrometheusText> metrics = new LinkedHashMap<>();
        for (ServiceProcess service : fleet.all()) {
            try {
                metrics.put(name(fleet, service), PrometheusText.parse(service.get("/q/metrics").body()));
            } catch (IOException e) {
                results.notes.add("cannot read " + service.baseUrl() + "/q/metrics: " + e.getMessage());
                metrics.put(name(fleet, service), PrometheusText.empty());
            }
        }
        return metrics;
    }

    /** A counter's or timer's growth over the run, summed over the instances of one service. */
    private static double delta(List<String> names, Map<String, PrometheusText> before, Map<String, PrometheusText> after, String metric,
            Map<String, String> where) {
        double sum = 0;
        for (String name : names) {
            sum += after.get(name).sum(metric, where) - before.get(name).sum(metric, where);
        }
        return sum;
    }

    /** Per service (its instances together) and stage/outcome: the metrics' growth and the event lines of the run. */
    private void stageFigures(ServiceFleet fleet, Map<String, PrometheusText> before, Map<String, PrometheusText> after) {
        for (ArchiverService service : ArchiverService.values()) {
            List<ServiceProcess> instances = fleet.instances(service);
            if (instances.isEmpty()) {
                continue;
            }
            String module = service.module();
            List<String> names = instances.stream().map(p -> name(fleet, p)).toList();
            List<EventLines.Line> lines = new ArrayList<>();
            instances.forEach(p -> lines.addAll(EventLines.read(p.log(), out.runId)));
            Map<String, Map<String, String>> groups = new TreeMap<>();
            for (String name : names) {
                for (Map<String, String> labels : after.get(name).labelSets("archiver_event_duration_seconds_count")) {
                    groups.put(labels.get("stage") + "/" + labels.get("outcome"), Map.of("stage", labels.get("stage"), "outcome", labels.get("outcome")));
                }
            }
            for (Map<String, String> where : groups.values()) {
                long events = Math.round(delta(names, before, after, "archiver_event_duration_seconds_count", where));
                if (events == 0) {
                    continue;
                }
                double rows = delta(names, before, after, "archiver_rows_total", where);
                double bytes = delta(names, before, after, "archiver_bytes_total", where);
                double busy = delta(names, before, after, "archiver_event_duration_seconds_sum", where);
                List<EventLines.Line> mine = lines.stream()
                        .filter(l -> l.stage().equals(where.get("stage")) && l.outcome().equals(where.get("outcome"))).toList();
                Instant first = mine.stream().map(EventLines.Line::start).min(Instant::compareTo).orElse(null);
                Instant last = mine.stream().map(EventLines.Line::end).max(Instant::compareTo).orElse(null);
                double window = first == null ? Double.NaN : Duration.between(first, last).toMillis() / 1e3;
                out.stages.add(new Results.StageFigures(module, where.get("stage"), where.get("outcome"), events, rows, bytes, busy, window,
                        mine.stream().map(l -> (double) l.ms()).toList(), first, last));
            }
            for (EventLines.Line line : lines) {
                String done = FillDrain.doneStage(line.stage(), line.outcome());
                if (done != null && out.triggeredAt != null) {
                    out.stageDoneSeconds.computeIfAbsent(done, k -> new ArrayList<>()).add(Duration.between(out.triggeredAt, line.end()).toMillis() / 1e3);
                }
            }
            if (service == ArchiverService.DELETER) {
                for (EventLines.Line line : lines) {
                    if (line.stage().equals("DELETE") && line.outcome().equals("DELETED")) {
                        out.deleteHandlerMs.add((double) line.ms());
                        out.deleteRows.add(line.rows());
                    }
                }
            }
        }
        out.firstDeletedEventSeconds = out.stageDoneSeconds.getOrDefault(FillDrain.DELETED, List.of()).stream().mapToDouble(Double::doubleValue).min()
                .orElse(Double.NaN);
        if (out.stats == null) {
            // timed out: what the deleter reports so far
            out.rowsRemoved = (long) out.stages.stream().filter(s -> s.stage().equals("DELETE") && s.outcome().equals("DELETED"))
                    .mapToDouble(Results.StageFigures::rows).sum();
            out.bytesUploaded = (long) out.stages.stream().filter(s -> s.stage().equals("UPLOAD") && s.outcome().equals("UPLOADED")
                    && s.service().equals("uploader-service")).mapToDouble(Results.StageFigures::bytes).sum();
            out.batches = out.deleteRows.size();
        }
    }

    private void ledger(MySqlServer mysql, long cutoff) throws SQLException {
        try (Connection c = jdbc(mysql)) {
            out.remainingEligible = count(c, "SELECT COUNT(*) FROM run WHERE msg_sent_date < ?", cutoff);
            out.tableRowsAfter = count(c, "SELECT COUNT(*) FROM run WHERE id > ?", -1);
            try (PreparedStatement s = c.prepareStatement("SELECT requested_at_ms, planned_at_ms FROM archive_run WHERE run_id = ?")) {
                s.setString(1, out.runId);
                try (ResultSet rs = s.executeQuery()) {
                    if (rs.next() && rs.getObject(2) != null) {
                        out.planSeconds = (rs.getLong(2) - rs.getLong(1)) / 1e3;
                    }
                }
            }
            // when the scanner published each batch: the first stage of the pipeline's fill
            try (PreparedStatement s = c.prepareStatement("SELECT published_at_ms FROM archive_batch WHERE run_id = ? AND published_at_ms IS NOT NULL")) {
                s.setString(1, out.runId);
                try (ResultSet rs = s.executeQuery()) {
                    List<Double> published = new ArrayList<>();
                    while (rs.next()) {
                        published.add((rs.getLong(1) - out.triggeredAt.toEpochMilli()) / 1e3);
                    }
                    if (!published.isEmpty()) {
                        // first in the map: the stages in pipeline order
                        Map<String, List<Double>> ordered = new LinkedHashMap<>();
                        ordered.put(FillDrain.PLANNED, published);
                        ordered.putAll(out.stageDoneSeconds);
                        out.stageDoneSeconds.clear();
                        out.stageDoneSeconds.putAll(ordered);
                    }
                }
            }
        }
    }

    static long count(Connection c, String sql, long arg) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            s.setLong(1, arg);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    static Connection jdbc(MySqlServer mysql) throws SQLException {
        return DriverManager.getConnection(mysql.jdbcUrl(), mysql.user(), mysql.password());
    }

    static List<String> names(Iterable<ServiceProcess> services) {
        List<String> names = new ArrayList<>();
        services.forEach(s -> names.add(s.service().module()));
        return names;
    }
}
