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
 *               [--database-cpus LIST] [--warm-up-rows W] [--throttle on|off]
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
        String databasePrefix,
        Path repositoryRoot,
        Path workDir,
        Path rssStore,
        String commandLine) {

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
            "                          MariaDB's CPUs back afterwards; default: all share every CPU)");

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
                default -> throw new IllegalArgumentException("unknown argument: " + args[i]);
            }
        }
        Path target = repositoryRoot.resolve("benchmark").resolve("target");
        return new BenchmarkOptions(rows, warmUpRows, share, skipPeers, report, Duration.ofMinutes(timeoutMinutes), waitQuiet, quietLoad, idleSeconds,
                writerRate, txTap, throttle, threadDumpHz, keep, databaseCpus, "archiver_bench", repositoryRoot, target.resolve("bench"), target.resolve("rss"),
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
        if (!databasePrefix.matches("[a-z][a-z0-9_]{0,25}")) {
            throw new IllegalArgumentException("database prefix must match [a-z][a-z0-9_]{0,25}: " + databasePrefix);
        }
        return this;
    }

    /** The same options with another work directory, RSS store and database prefix (the module's test uses its own). */
    public BenchmarkOptions isolated(Path workDir, Path rssStore, String databasePrefix) {
        return new BenchmarkOptions(rows, warmUpRows, eligibleShare, skipPeers, reportFile, runTimeout, waitQuietMinutes, quietLoad, idleSeconds,
                writerRate, txTap, throttle, threadDumpHz, keepDatabases, databaseCpus, databasePrefix, repositoryRoot, workDir, rssStore, commandLine).validate();
    }

    private static String value(String[] args, int i) {
        if (i >= args.length) {
            throw new IllegalArgumentException(args[i - 1] + " needs a value");
        }
        return args[i];
    }
}
