package io.archiver.benchmark;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.function.Consumer;
import java.util.stream.Stream;

import io.archiver.localstack.LocalStack;
import io.archiver.localstack.mysql.MySqlServer;
import io.archiver.localstack.process.StackLayout;

/**
 * Issue 7's benchmark, one command ({@code benchmark/run}): seeds {@code run} with N rows (default
 * 1,000,000, 60% older than 60 days), archives them with Archiver on the local stack while a
 * concurrent writer inserts, then does the same job with pt-archiver (+ {@code aws s3 cp}) and with
 * a {@code SELECT ... INTO OUTFILE} + range-delete floor, each on a fresh copy of the same data, and
 * prints the figures, the ratios and the issue's targets with PASS/FAIL. The report also goes to
 * {@code benchmark/target/benchmark-report.txt}. It measures; it changes no setting of the services.
 */
public final class BenchmarkMain {

    private BenchmarkMain() {
    }

    /** The machine's CPUs, whatever this process may use (under taskset it may use fewer). */
    static int machineCores() {
        try {
            String online = Files.readString(Path.of("/sys/devices/system/cpu/online")).trim();
            int cores = 0;
            for (String range : online.split(",")) {
                String[] ends = range.split("-");
                cores += ends.length == 1 ? 1 : Integer.parseInt(ends[1]) - Integer.parseInt(ends[0]) + 1;
            }
            return cores;
        } catch (IOException | RuntimeException e) {
            return Runtime.getRuntime().availableProcessors();
        }
    }

    public static void main(String[] args) {
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", System.getProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn"));
        if (java.util.Arrays.asList(args).contains("--help") || java.util.Arrays.asList(args).contains("-h")) {
            System.out.println(BenchmarkOptions.USAGE);
            return;
        }
        Path repo = repositoryRoot();
        BenchmarkOptions options;
        try {
            options = BenchmarkOptions.parse(args, repo);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println(BenchmarkOptions.USAGE);
            System.exit(2);
            return;
        }
        try {
            String report = execute(options, message -> System.out.println("[benchmark " + Instant.now().truncatedTo(ChronoUnit.SECONDS) + "] " + message));
            System.out.println();
            System.out.print(report);
            System.out.println("Report written to " + reportPath(options) + (options.reportFile() == null ? "" : " and " + options.reportFile()));
            System.exit(0);
        } catch (Exception e) {
            System.err.println();
            System.err.println("BENCHMARK FAILED: " + e);
            e.printStackTrace();
            System.exit(1);
        }
    }

    /** Runs the benchmark (or the suite), writes the report files, returns the report. */
    public static String execute(BenchmarkOptions options, Consumer<String> progress) throws Exception {
        if (options.suite() != null) {
            return writeReport(options, Suite.render(options, Suite.run(options, progress)));
        }
        return write(options, run(options, progress));
    }

    /** Renders the report of {@code results} and writes it to {@link #reportPath} (and {@code --report}); returns it. */
    public static String write(BenchmarkOptions options, Results results) throws IOException {
        return writeReport(options, Report.render(results));
    }

    static String writeReport(BenchmarkOptions options, String report) throws IOException {
        Files.createDirectories(reportPath(options).getParent());
        Files.writeString(reportPath(options), report, StandardCharsets.UTF_8);
        if (options.reportFile() != null) {
            if (options.reportFile().getParent() != null) {
                Files.createDirectories(options.reportFile().getParent());
            }
            Files.writeString(options.reportFile(), report, StandardCharsets.UTF_8);
        }
        return report;
    }

    /** {@code benchmark-report.txt} beside the work directory ({@code benchmark/target/benchmark-report.txt}). */
    public static Path reportPath(BenchmarkOptions options) {
        return options.workDir().resolveSibling("benchmark-report.txt");
    }

    /** One run; with {@code --database-cpus}, MariaDB and this JVM are pinned for it and put back after it, whatever happens. */
    public static Results run(BenchmarkOptions options, Consumer<String> progress) throws Exception {
        if (options.databaseCpus() == null) {
            return runUnpinned(options, progress);
        }
        try (DatabaseCpus pinned = DatabaseCpus.pin(options.databaseCpus(), machineCores())) {
            progress.accept("MariaDB (pid " + pinned.mysqlPid() + ") on CPUs " + options.databaseCpus() + ", the benchmark and everything it starts on CPUs "
                    + pinned.others() + " until the run ends");
            return runUnpinned(options, progress);
        }
    }

    /** Deployment manifests under deploy/ that declare a ReadWriteMany volume: a filesystem pods of several services share. */
    static List<String> sharedVolumeManifests(Path repo) {
        Path deploy = repo.resolve("deploy");
        if (!Files.isDirectory(deploy)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(deploy)) {
            return files.filter(f -> f.toString().endsWith(".yaml") || f.toString().endsWith(".yml")).filter(f -> {
                try {
                    return Files.readString(f).lines().map(String::strip).filter(l -> !l.startsWith("#")).anyMatch(l -> l.contains("ReadWriteMany"));
                } catch (IOException e) {
                    return false;
                }
            }).map(f -> repo.relativize(f).toString()).sorted().toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    private static Results runUnpinned(BenchmarkOptions options, Consumer<String> progress) throws Exception {
        Results results = new Results();
        results.instances = options.instances();
        results.databaseCpus = options.databaseCpus();
        results.sharedVolumeManifests.addAll(sharedVolumeManifests(options.repositoryRoot()));
        results.command = options.commandLine();
        results.rows = options.rows();
        results.eligibleShare = options.eligibleShare();
        results.skipPeers = options.skipPeers();
        results.startedAt = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        results.machine = machine();
        results.cpus = options.databaseCpus() == null ? "shared: MariaDB, the writer, Kafka, S3Proxy, the services and the peers all on every CPU"
                : "MariaDB (all its threads) and the concurrent writer's thread on CPU " + options.databaseCpus() + "; the benchmark JVM and"
                        + " everything it starts (Kafka, S3Proxy, the four services, pt-archiver, the floor's client, the uploads) on the others"
                        + " (--database-cpus: the database on a host of its own)";
        results.code = code(options.repositoryRoot());
        results.loadAtStart = Proc.loadAverageText();
        if (options.waitQuietMinutes() > 0) {
            results.quietWait = waitQuiet(options, progress);
        }
        results.storedPeakRss.putAll(loadPeakRss(options.rssStore()));

        LocalStack.deleteRecursively(options.workDir());
        Files.createDirectories(options.workDir());
        StackLayout layout = StackLayout.locate(options.workDir());
        try (LocalStack stack = new LocalStack(layout, options.databasePrefix())) {
            progress.accept("starting Kafka (KRaft) and the S3 server (S3Proxy) in " + options.workDir());
            stack.topicPartitions(Math.max(LocalStack.DEFAULT_TOPIC_PARTITIONS, options.instances()));
            stack.ensure(EnumSet.of(LocalStack.Server.KAFKA, LocalStack.Server.S3));
            try {
                new ArchiverBench(options, results, progress).run(stack);
            } finally {
                dropArchiverDatabase(stack, options, results);
            }
            savePeakRss(options, results);
            if (!options.skipPeers()) {
                PeerBench peers = new PeerBench(options, results, stack, progress);
                peers.ptArchiver();
                peers.floor();
            }
        }
        results.loadAtEnd = Proc.loadAverageText();
        return results;
    }

    private static void dropArchiverDatabase(LocalStack stack, BenchmarkOptions options, Results results) {
        if (options.keepDatabases()) {
            return;
        }
        try {
            MySqlServer mysql = stack.mysql();
            try (Connection c = ArchiverBench.jdbc(mysql); Statement s = c.createStatement()) {
                s.execute("DROP DATABASE `" + mysql.database() + "`");
            }
        } catch (IllegalStateException e) {
            // MySQL never started
        } catch (Exception e) {
            results.notes.add("cannot drop the Archiver database: " + e.getMessage());
        }
    }

    private static String waitQuiet(BenchmarkOptions options, Consumer<String> progress) throws InterruptedException {
        long start = System.nanoTime();
        long deadline = start + options.waitQuietMinutes() * 60_000_000_000L;
        long lastTold = 0;
        while (Proc.loadAverage()[0] >= options.quietLoad() && System.nanoTime() < deadline) {
            if (System.nanoTime() - lastTold > 60_000_000_000L) {
                progress.accept("waiting for the 1-minute load average to fall below " + options.quietLoad() + " (now " + Proc.loadAverageText()
                        + ")");
                lastTold = System.nanoTime();
            }
            Thread.sleep(10_000);
        }
        long waited = (System.nanoTime() - start) / 1_000_000_000L;
        double now = Proc.loadAverage()[0];
        return now < options.quietLoad()
                ? String.format(Locale.ROOT, "waited %d s for the 1-min load < %.2f: %s", waited, options.quietLoad(), Proc.loadAverageText())
                : String.format(Locale.ROOT, "waited %d s (the limit) and the 1-min load never fell below %.2f: ran anyway at %s", waited,
                        options.quietLoad(), Proc.loadAverageText());
    }

    private static String machine() {
        String memory = "?";
        try (Stream<String> lines = Files.lines(Path.of("/proc/meminfo"))) {
            memory = lines.filter(l -> l.startsWith("MemTotal:")).findFirst()
                    .map(l -> String.format(Locale.ROOT, "%.1f GiB RAM", Long.parseLong(l.replaceAll("\\D", "")) / 1024.0 / 1024.0)).orElse("?");
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        String kernel = "?";
        try {
            kernel = Files.readString(Path.of("/proc/sys/kernel/osrelease")).trim();
        } catch (IOException e) {
            // not Linux
        }
        return machineCores() + " cores, " + memory + ", Linux " + kernel + ", Java " + System.getProperty("java.version");
    }

    /** The commit and how far the working tree is from it (read-only git commands). */
    private static String code(Path repo) {
        try {
            String head = PeerBench.run(java.util.List.of("git", "-C", repo.toString(), "rev-parse", "--short", "HEAD"), null,
                    java.time.Duration.ofSeconds(20), Map.of()).trim();
            long changed = PeerBench.run(java.util.List.of("git", "-C", repo.toString(), "status", "--porcelain"), null,
                    java.time.Duration.ofSeconds(20), Map.of()).lines().count();
            return "commit " + head + (changed == 0 ? ", clean working tree" : " + " + changed + " modified or untracked paths in the working tree")
                    + "; the services' jars as built in */target/quarkus-app";
        } catch (Exception e) {
            return "unknown (" + e.getMessage() + ")";
        }
    }

    private static Path rssFile(Path store, long rows) {
        return store.resolve("peak-rss-rows-" + rows + ".properties");
    }

    static Map<Long, Map<String, Long>> loadPeakRss(Path store) throws IOException {
        Map<Long, Map<String, Long>> all = new LinkedHashMap<>();
        if (!Files.isDirectory(store)) {
            return all;
        }
        try (Stream<Path> files = Files.list(store)) {
            for (Path file : files.filter(p -> p.getFileName().toString().matches("peak-rss-rows-\\d+\\.properties")).sorted().toList()) {
                Properties props = new Properties();
                try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                    props.load(reader);
                }
                Map<String, Long> rss = new LinkedHashMap<>();
                props.stringPropertyNames().stream().filter(k -> k.startsWith("peakRssKb.")).sorted()
                        .forEach(k -> rss.put(k.substring("peakRssKb.".length()), Long.parseLong(props.getProperty(k))));
                all.put(Long.parseLong(props.getProperty("rows")), rss);
            }
        }
        return all;
    }

    private static void savePeakRss(BenchmarkOptions options, Results results) throws IOException {
        if (results.archiver.services.isEmpty() || results.archiver.services.values().stream().anyMatch(p -> p.peakRssKb() <= 0)) {
            return;
        }
        if (results.archiver.warmUp != null) {
            return; // the peaks hold the warm-up run's rows too: they compare with no other row count
        }
        if (options.instances() != 1 || options.databaseCpus() != null) {
            return; // the RSS target compares runs of one instance each on shared CPUs
        }
        Properties props = new Properties();
        props.setProperty("rows", String.valueOf(options.rows()));
        props.setProperty("measuredAt", results.startedAt);
        props.setProperty("outcome", results.archiver.outcome);
        results.archiver.services.values().forEach(p -> props.setProperty("peakRssKb." + p.name(), String.valueOf(p.peakRssKb())));
        Files.createDirectories(options.rssStore());
        try (Writer writer = Files.newBufferedWriter(rssFile(options.rssStore(), options.rows()), StandardCharsets.UTF_8)) {
            props.store(writer, "peak RSS (VmHWM) per service of one benchmark run, for the RSS target across row counts");
        }
    }

    static Path repositoryRoot() {
        String configured = System.getProperty("archiver.repository.root");
        Path root = configured != null ? Path.of(configured) : Path.of("").toAbsolutePath();
        if (!Files.isRegularFile(root.resolve("local-stack/pom.xml")) && Files.isRegularFile(root.resolve("../local-stack/pom.xml"))) {
            root = root.resolve("..");
        }
        root = root.toAbsolutePath().normalize();
        if (!Files.isRegularFile(root.resolve("local-stack/pom.xml"))) {
            throw new IllegalStateException("run this from the repository root (where local-stack/ is), or set -Darchiver.repository.root");
        }
        return root;
    }
}
