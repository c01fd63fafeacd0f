package io.archiver.benchmark;

import java.nio.file.Path;
import java.time.Duration;

/**
 * The command line of {@code benchmark/run}.
 *
 * <pre>
 * benchmark/run [--rows N] [--eligible-share S] [--skip-peers] [--report FILE]
 *               [--timeout-minutes M] [--wait-quiet-minutes W] [--quiet-load L]
 *               [--idle-seconds S] [--writer-rate R] [--no-tx-tap] [--thread-dumps HZ] [--keep-databases]
 *               [--database-cpus LIST] [--warm-up-rows W] [--throttle on|off] [--instances N]
 *               [--suite [--suite-rows SMALL,LARGE] [--suite-warm-up-rows W]]
 * </pre>
 */
public record BenchmarkOptions(
        long rows,
        long warmUpRows,
        double eligibleShare,
        boolean skipPeers,
        Path reportFile,
        Duration runTimeout,
        int waitQuietMinutes,
        double quietLoad,
        int idleSeconds,
        int writerRate,
        boolean txTap,
        boolean throttle,
        double threadDumpHz,
        boolean keepDatabases,
        String databaseCpus,
        int instances,
        SuiteOptions suite,
        String databasePrefix,
        Path repositoryRoot,
        Path workDir,
        Path rssStore,
        String commandLine) {

    /**
     * {@code --suite}: the runs issue 25's targets need, one after the other, one report: {@code smallRows} first run with
     * the peers, {@code smallRows} on warm services (after {@code warmUpRows}), {@code largeRows} first run with the peers,
     * {@code smallRows} with {@code --database-cpus 0}, {@code smallRows} with {@code --instances 2} (the last three Archiver
     * alone but the large one).
     */
    public record SuiteOptions(long smallRows, long largeRows, long warmUpRows, String databaseCpus, int instances) {
    }

    /** The most instances of a service: each needs a partition of each topic, and the machine runs them all. */
    public static final int MAX_INSTANCES = 8;

    public static final String USAGE = String.join(System.lineSeparator(),
            "usage: benchmark/run [--rows N] [--eligible-share S] [--skip-peers] [--report FILE] [options]",
            "  --rows N                rows seeded into `run` (default 1000000)",
            "  --eligible-share S      share of them older than 60 days (default 0.6)",
            "  --warm-up-rows W        first archive W other rows on the same services, unmeasured, then seed the N rows and",
            "                          measure: the figures of a run on services that have run before, their JIT compilation",
            "                          mostly done (default 0: the services' first run after their start)",
            "  --skip-peers            Archiver only: no pt-archiver, no SELECT INTO OUTFILE floor",
            "  --report FILE           also write the report to FILE (it always goes to benchmark/target/benchmark-report.txt)",
            "  --timeout-minutes M     longest wait for ArchiveRunCompleted, and for each peer (default 60); on timeout the",
            "                          figures measured so far are reported",
            "  --wait-quiet-minutes W  first wait up to W minutes for the 1-minute load average to fall below --quiet-load",
            "                          (default 0: do not wait; the load average is recorded either way)",
            "  --quiet-load L          the load average counted as quiet (default 1.0)",
            "  --idle-seconds S        how long the concurrent writer is measured before the run (default 30)",
            "  --writer-rate R         single-row inserts per second of the concurrent writer (default 50)",
            "  --no-tx-tap             connect the deleter and pt-archiver straight to MySQL instead of through the",
            "                          transaction-timing tap (then only the deleter's log gives delete times)",
"  --throttle on|off       the deleter's health throttle (Threads_running, history list length) as by default (on),",
            "                          or switched off: run both to see what it does to the concurrent writer (default on)",
            "  --thread-dumps HZ       profile: SIGQUIT thread dumps of the services HZ times a second during the run, counted by",
            "                          where the handler threads are (slows the run: for attribution, not for the figures)",
            "  --keep-databases        keep the archiver_bench* databases afterwards (default: dropped)",
            "  --database-cpus LIST    give MariaDB (all its threads) and the concurrent writer's thread these CPUs (e.g. 0)",
            "                          and everything else (Kafka, S3Proxy, the services, the peers) the others, as when",
            "                          the database has a host of its own (benchmark/run pins them with taskset and puts",
            "                          MariaDB's CPUs back afterwards, whatever happens; default: all share every CPU)",
            "  --instances N           run N of each of the four services (same consumer groups, each its own HTTP port; the",
            "                          topics get max(4, N) partitions; default 1, at most " + MAX_INSTANCES + ")",
            "  --suite                 one command for every target of issue 25: runs in order SMALL first run with the peers,",
            "                          SMALL on warm services (--warm-up-rows), LARGE first run with the peers, SMALL with",
            "                          --database-cpus 0, SMALL with --instances 2 (the last two Archiver alone), and prints",
            "                          one report: every target with PASS/FAIL and its figure, then each run's own report",
            "  --suite-rows S,L        the suite's SMALL and LARGE row counts (default 1000000,5000000; shrink to try it)",
            "  --suite-warm-up-rows W  rows of the warm run's unmeasured warm-up (default: SMALL)");

    public static BenchmarkOptions parse(String[] args, Path repositoryRoot) {
        long rows = 1_000_000;
        long warmUpRows = 0;
        double share = 0.6;
        boolean skipPeers = false;
        Path report = null;
        int timeoutMinutes = 60;
        int waitQuiet = 0;
        double quietLoad = 1.0;
        int idleSeconds = 30;
        int writerRate = 50;
        boolean txTap = true;
        boolean throttle = true;
        double threadDumpHz = 0;
        boolean keep = false;
        String databaseCpus = null;
        int instances = 1;
        boolean suite = false;
        long[] suiteRows = { 1_000_000, 5_000_000 };
        long suiteWarmUp = -1;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--rows" -> rows = Long.parseLong(value(args, ++i));
                case "--warm-up-rows" -> warmUpRows = Long.parseLong(value(args, ++i));
                case "--eligible-share" -> share = Double.parseDouble(value(args, ++i));
                case "--skip-peers" -> skipPeers = true;
                case "--report" -> report = Path.of(value(args, ++i)).toAbsolutePath();
                case "--timeout-minutes" -> timeoutMinutes = Integer.parseInt(value(args, ++i));
                case "--wait-quiet-minutes" -> waitQuiet = Integer.parseInt(value(args, ++i));
                case "--quiet-load" -> quietLoad = Double.parseDouble(value(args, ++i));
                case "--idle-seconds" -> idleSeconds = Integer.parseInt(value(args, ++i));
                case "--writer-rate" -> writerRate = Integer.parseInt(value(args, ++i));
                case "--no-tx-tap" -> txTap = false;
                case "--throttle" -> throttle = switch (value(args, ++i)) {
                    case "on" -> true;
                    case "off" -> false;
                    default -> throw new IllegalArgumentException("--throttle takes on or off, was " + args[i]);
                };
                case "--thread-dumps" -> threadDumpHz = Double.parseDouble(value(args, ++i));
                case "--keep-databases" -> keep = true;
                case "--database-cpus" -> databaseCpus = value(args, ++i);
                case "--instances" -> instances = Integer.parseInt(value(args, ++i));
                case "--suite" -> suite = true;
                case "--suite-rows" -> suiteRows = suiteRows(value(args, ++i));
                case "--suite-warm-up-rows" -> suiteWarmUp = Long.parseLong(value(args, ++i));
                default -> throw new IllegalArgumentException("unknown argument: " + args[i]);
            }
        }
        Path target = repositoryRoot.resolve("benchmark").resolve("target");
        SuiteOptions suiteOptions = null;
        if (suite) {
            suiteOptions = new SuiteOptions(suiteRows[0], suiteRows[1], suiteWarmUp < 0 ? suiteRows[0] : suiteWarmUp, "0", 2);
        } else if (suiteWarmUp >= 0 || java.util.Arrays.asList(args).contains("--suite-rows")) {
            throw new IllegalArgumentException("--suite-rows and --suite-warm-up-rows go with --suite");
        }
        return new BenchmarkOptions(rows, warmUpRows, share, skipPeers, report, Duration.ofMinutes(timeoutMinutes), waitQuiet, quietLoad, idleSeconds,
                writerRate, txTap, throttle, threadDumpHz, keep, databaseCpus, instances, suiteOptions, "archiver_bench", repositoryRoot, target.resolve("bench"), target.resolve("rss"),
                "benchmark/run" + (args.length == 0 ? "" : " " + String.join(" ", args))).validate();
    }

    public BenchmarkOptions validate() {
        if (rows < 1 || warmUpRows < 0 || eligibleShare <= 0 || eligibleShare >= 1) {
            throw new IllegalArgumentException("--rows must be >= 1, --warm-up-rows >= 0 and --eligible-share within (0, 1)");
        }
        if (runTimeout.isNegative() || runTimeout.isZero() || waitQuietMinutes < 0 || idleSeconds < 1 || writerRate < 1 || writerRate > 1000
) {
            throw new IllegalArgumentException("--timeout-minutes > 0, --wait-quiet-minutes >= 0, --idle-seconds >= 1,"
                    + " --writer-rate within 1..1000");
        }
        if (databaseCpus != null && !databaseCpus.matches("\\d{1,3}(,\\d{1,3})*")) {
            throw new IllegalArgumentException("--database-cpus takes CPU numbers separated by commas, like 0 or 0,1: " + databaseCpus);
        }
        if (instances < 1 || instances > MAX_INSTANCES) {
            throw new IllegalArgumentException("--instances takes 1 to " + MAX_INSTANCES + ": " + instances);
        }
        if (suite != null) {
            if (suite.smallRows() < 1 || suite.largeRows() < suite.smallRows() || suite.warmUpRows() < 1) {
                throw new IllegalArgumentException("--suite-rows takes SMALL,LARGE with 1 <= SMALL <= LARGE, and --suite-warm-up-rows >= 1");
            }
            if (warmUpRows > 0 || databaseCpus != null || instances != 1 || rows != 1_000_000 || threadDumpHz > 0) {
                throw new IllegalArgumentException("--suite chooses --rows, --warm-up-rows, --database-cpus, --instances per run itself"
                        + " (--suite-rows, --suite-warm-up-rows shrink it); --thread-dumps does not go with it");
            }
        }
        if (!databasePrefix.matches("[a-z][a-z0-9_]{0,25}")) {
            throw new IllegalArgumentException("database prefix must match [a-z][a-z0-9_]{0,25}: " + databasePrefix);
        }
        return this;
    }

    /** The same options with another work directory, RSS store and database prefix (the module's test uses its own). */
    public BenchmarkOptions isolated(Path workDir, Path rssStore, String databasePrefix) {
        return new BenchmarkOptions(rows, warmUpRows, eligibleShare, skipPeers, reportFile, runTimeout, waitQuietMinutes, quietLoad, idleSeconds,
                writerRate, txTap, throttle, threadDumpHz, keepDatabases, databaseCpus, instances, suite, databasePrefix, repositoryRoot, workDir, rssStore,
                commandLine).validate();
    }

    /** One run of the suite: these options with its row counts, peers, CPU split and instances, and no suite. */
    public BenchmarkOptions suiteRun(long runRows, long runWarmUpRows, boolean runSkipPeers, String runDatabaseCpus, int runInstances) {
        StringBuilder command = new StringBuilder("benchmark/run --rows ").append(runRows);
        if (runWarmUpRows > 0) {
            command.append(" --warm-up-rows ").append(runWarmUpRows);
        }
        if (runSkipPeers) {
            command.append(" --skip-peers");
        }
        if (runDatabaseCpus != null) {
            command.append(" --database-cpus ").append(runDatabaseCpus);
        }
        if (runInstances != 1) {
            command.append(" --instances ").append(runInstances);
        }
        // --wait-quiet-minutes: before each run
        return new BenchmarkOptions(runRows, runWarmUpRows, eligibleShare, runSkipPeers, null, runTimeout, waitQuietMinutes, quietLoad, idleSeconds, writerRate,
                txTap, throttle, 0, keepDatabases, runDatabaseCpus, runInstances, null, databasePrefix, repositoryRoot, workDir, rssStore,
                command.toString()).validate();
    }

    static long[] suiteRows(String value) {
        String[] parts = value.split(",");
        if (parts.length != 2) {
            throw new IllegalArgumentException("--suite-rows takes SMALL,LARGE, like 200000,1000000: " + value);
        }
        try {
            return new long[] { Long.parseLong(parts[0].trim()), Long.parseLong(parts[1].trim()) };
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--suite-rows takes SMALL,LARGE, like 200000,1000000: " + value);
        }
    }

    private static String value(String[] args, int i) {
        if (i >= args.length) {
            throw new IllegalArgumentException(args[i - 1] + " needs a value");
        }
        return args[i];
    }
}
