package io.archiver.benchmark;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Issue 25's targets 1..7 judged over one or more benchmark runs (one run, or the runs of {@code --suite}). Each target is
 * PASS, FAIL or NOT MEASURED with its figures; a target the runs at hand cannot measure says which option it needs. Pure:
 * {@code TargetsTest} judges made-up figures.
 */
public final class Targets {

    static final double SERVICES_FIRST_US = 25;
    static final double SERVICES_WARM_US = 15;
    static final double KAFKA_S3_US = 5;
    static final double PLAN_SECONDS_PER_MILLION = 1;
    static final double FIRST_DELETE_SECONDS = 3;
    static final double E2E_FACTOR = 2;
    static final double MARIADB_FACTOR = 1.1;
    static final double DELETE_P99_MS = 200;
    static final double INSERT_P99_FACTOR = 2;
    static final double RSS_PERCENT = 20;

    /** A verdict; REPORTED: a figure the target asks to see, not to judge. */
    public enum Verdict {
        PASS, FAIL, NOT_MEASURED, REPORTED;

        String text() {
            return this == NOT_MEASURED ? "NOT MEASURED" : name();
        }
    }

    /** One judged part of a target. */
    public record Part(String what, Verdict verdict, String figure) {

        static Part judged(String what, double value, boolean pass, String figure) {
            return new Part(what, Double.isNaN(value) ? Verdict.NOT_MEASURED : pass ? Verdict.PASS : Verdict.FAIL, figure);
        }

        static Part needs(String what, String option) {
            return new Part(what, Verdict.NOT_MEASURED, "not measured in this run: needs " + option);
        }
    }

    /** One of the targets: FAIL if a part fails, else NOT MEASURED if a part is, else PASS. */
    public record Target(int number, String title, List<Part> parts) {

        public Verdict verdict() {
            List<Verdict> judged = parts.stream().map(Part::verdict).filter(v -> v != Verdict.REPORTED).toList();
            if (judged.contains(Verdict.FAIL)) {
                return Verdict.FAIL;
            }
            if (judged.isEmpty() || judged.contains(Verdict.NOT_MEASURED)) {
                return Verdict.NOT_MEASURED;
            }
            return Verdict.PASS;
        }
    }

    private final List<Results> runs;

    private Targets(List<Results> runs) {
        this.runs = runs;
    }

    /** Targets 1..7 over {@code runs}. */
    public static List<Target> evaluate(List<Results> runs) {
        Targets t = new Targets(runs);
        return List.of(t.servicesCpu(), t.kafkaAndS3(), t.planningAndFill(), t.endToEnd(), t.database(), t.noSharedFilesystem(), t.scaleOut());
    }

    /** The report's lines for {@code targets}. */
    public static List<String> lines(List<Target> targets) {
        List<String> lines = new ArrayList<>();
        for (Target target : targets) {
            lines.add(String.format(Locale.ROOT, "  [%s] %d. %s", target.verdict().text(), target.number(), target.title()));
            for (Part part : target.parts()) {
                lines.add(String.format(Locale.ROOT, "        [%s] %s: %s", part.verdict().text(), part.what(), part.figure()));
            }
        }
        return lines;
    }

    // which runs a target reads

    static boolean firstRun(Results r) {
        return r.archiver.warmUp == null;
    }

    /** One instance of each service and every CPU shared: the runs the figures are about. */
    static boolean reference(Results r) {
        return r.instances == 1 && r.databaseCpus == null;
    }

    static boolean completed(Results r) {
        return "SUCCEEDED".equals(r.archiver.outcome) && r.archiver.rowsRemoved > 0;
    }

    private List<Results> where(Predicate<Results> which) {
        return runs.stream().filter(which).toList();
    }

    /** The suite's name of a run, else its row count, first or warm, instances and CPU split. */
    static String describe(Results r) {
        if (r.label != null) {
            return r.label;
        }
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "%,d rows", r.rows)).append(firstRun(r) ? " first run" : " warm");
        if (r.instances > 1) {
            s.append(", ").append(r.instances).append(" instances");
        }
        if (r.databaseCpus != null) {
            s.append(", --database-cpus ").append(r.databaseCpus);
        }
        return s.toString();
    }

    // 1

    private Target servicesCpu() {
        List<Part> parts = new ArrayList<>();
        perRun(parts, where(r -> reference(r) && firstRun(r) && completed(r)), "first run", "a run without --warm-up-rows, --database-cpus or --instances", r -> {
            double us = Report.us(r.archiver.servicesCpuSeconds(), r.archiver.rowsRemoved);
            return Part.judged("first run (" + describe(r) + ")", us, Stats.atMost(us, SERVICES_FIRST_US), Report.f1(us) + " us (JIT compiler threads "
                    + Report.f1(Report.us(r.archiver.compilerCpuSeconds(), r.archiver.rowsRemoved)) + " us of it) <= " + f0(SERVICES_FIRST_US) + " us");
        });
        perRun(parts, where(r -> reference(r) && !firstRun(r) && completed(r)), "warm run", "--warm-up-rows W", r -> {
            double us = Report.us(r.archiver.servicesCpuSeconds(), r.archiver.rowsRemoved);
            return Part.judged("warm run (" + describe(r) + ")", us, Stats.atMost(us, SERVICES_WARM_US), Report.f1(us) + " us (JIT compiler threads "
                    + Report.f1(Report.us(r.archiver.compilerCpuSeconds(), r.archiver.rowsRemoved)) + " us of it) <= " + f0(SERVICES_WARM_US) + " us");
        });
        return new Target(1, "the services' CPU per archived row <= 25 us on their first run, <= 15 us warm, JIT included", parts);
    }

    // 2

    private Target kafkaAndS3() {
        List<Part> parts = new ArrayList<>();
        perRun(parts, where(r -> reference(r) && completed(r)), "a run", "one instance of each service without --database-cpus", r -> {
            Results.Archiver a = r.archiver;
            double kafka = Report.us(a.infraCpuSeconds(ArchiverBench.KAFKA), a.rowsRemoved);
            double s3 = Report.us(a.infraCpuSeconds(ArchiverBench.S3PROXY), a.rowsRemoved);
            double both = kafka + s3;
            return Part.judged(describe(r), both, Stats.atMost(both, KAFKA_S3_US), "Kafka " + Report.f1(kafka) + " + S3 server " + Report.f1(s3) + " = "
                    + Report.f1(both) + " us <= " + f0(KAFKA_S3_US) + " us");
        });
        return new Target(2, "Kafka and the S3 server together <= 5 us per archived row", parts);
    }

    // 3

    private Target planningAndFill() {
        List<Part> parts = new ArrayList<>();
        perRun(parts, where(r -> reference(r) && completed(r)), "planning", "one instance of each service without --database-cpus", r -> {
            double perMillion = Stats.ratio(r.archiver.planSeconds * 1e6, r.archiver.eligibleBefore);
            return Part.judged("planning (" + describe(r) + ")", perMillion, Stats.atMost(perMillion, PLAN_SECONDS_PER_MILLION),
                    Report.f2(perMillion) + " s per million eligible rows (" + Report.f2(r.archiver.planSeconds) + " s for "
                            + String.format(Locale.ROOT, "%,d", r.archiver.eligibleBefore) + ") <= " + f0(PLAN_SECONDS_PER_MILLION) + " s");
        });
        perRun(parts, where(r -> reference(r) && !firstRun(r) && completed(r)), "first delete on warm services", "--warm-up-rows W", r -> {
            double first = firstDeleteSeconds(r.archiver);
            return Part.judged("first delete on warm services (" + describe(r) + ")", first, Stats.atMost(first, FIRST_DELETE_SECONDS),
                    firstDeleteText(r.archiver) + " <= " + f0(FIRST_DELETE_SECONDS) + " s");
        });
        for (Results r : where(r -> reference(r) && firstRun(r) && completed(r))) {
            parts.add(new Part("first delete on the services' first run (" + describe(r) + ")", Verdict.REPORTED, firstDeleteText(r.archiver)));
        }
        List<Results> filled = where(r -> !r.archiver.stageDoneSeconds.isEmpty());
        if (filled.isEmpty()) {
            parts.add(Part.needs("the pipeline's fill and drain shown", "a run that archived a batch"));
        } else {
            List<String> shown = new ArrayList<>();
            for (Results r : filled) {
                List<String> stages = new ArrayList<>();
                r.archiver.stageDoneSeconds.forEach((stage, offsets) -> stages.add(stage + " " + Report.f1(Stats.min(offsets)) + ".."
                        + Report.f1(Stats.max(offsets)) + " s"));
                shown.add(describe(r) + ": " + String.join(", ", stages));
            }
            boolean all = filled.stream().allMatch(r -> r.archiver.stageDoneSeconds.keySet().containsAll(
                    List.of(FillDrain.PLANNED, FillDrain.EXPORTED, FillDrain.UPLOADED, FillDrain.DELETED)));
            parts.add(new Part("the pipeline's fill and drain shown (first..last batch per stage after the trigger; each run's timeline below)",
                    all ? Verdict.PASS : Verdict.FAIL, String.join("; ", shown) + (all ? "" : " (a stage is missing)")));
        }
        return new Target(3, "planning <= 1 s per million eligible rows; the first delete <= 3 s after the trigger on warm services;"
                + " the pipeline's fill and drain shown", parts);
    }

    /** The first committed delete transaction (the tap), else the first ArchiveBatchDeleted handled (the deleter's log). */
    static double firstDeleteSeconds(Results.Archiver a) {
        return Double.isNaN(a.firstDeleteTxSeconds) ? a.firstDeletedEventSeconds : a.firstDeleteTxSeconds;
    }

    static String firstDeleteText(Results.Archiver a) {
        return (Double.isNaN(a.firstDeleteTxSeconds) ? "" : Report.f1(a.firstDeleteTxSeconds) + " s to the first committed delete transaction (tap), ")
                + Report.f1(a.firstDeletedEventSeconds) + " s to the first ArchiveBatchDeleted (deleter's event line)";
    }

    // 4

    private Target endToEnd() {
        List<Part> parts = new ArrayList<>();
        List<Results> withPeers = where(r -> reference(r) && firstRun(r) && !r.skipPeers);
        for (Results r : withPeers) {
            Results.Peer pt = r.peer(PeerBench.PT_ARCHIVER);
            if (pt == null || !pt.ran) {
                parts.add(new Part("at " + describe(r), Verdict.NOT_MEASURED, "pt-archiver did not run" + (pt == null ? "" : ": " + pt.failure)));
                continue;
            }
            double factor = Stats.ratio(r.archiver.rowsPerSecond(), pt.rowsPerSecondWithUpload());
            parts.add(Part.judged("at " + describe(r), factor, Stats.atLeast(factor, E2E_FACTOR) && !r.archiver.timedOut,
                    f0(r.archiver.rowsPerSecond()) + " vs " + f0(pt.rowsPerSecondWithUpload()) + " rows/s = " + Report.f2(factor) + "x >= 2x"));
        }
        long sizes = withPeers.stream().mapToLong(r -> r.rows).distinct().count();
        if (withPeers.isEmpty()) {
            parts.add(Part.needs("at 1M and at 5M rows, first runs", "the peers (no --skip-peers, no --warm-up-rows) at --rows 1000000 and 5000000, or --suite"));
        } else if (sizes < 2) {
            parts.add(Part.needs("at a second row count (the issue asks 1M and 5M)", "another --rows with the peers, or --suite"));
        }
        return new Target(4, "end to end >= 2x pt-archiver with its upload, at 1M and at 5M rows, first runs", parts);
    }

    // 5

    private Target database() {
        List<Part> parts = new ArrayList<>();
        List<Results> withFloor = where(r -> reference(r) && completed(r) && r.peer(PeerBench.FLOOR) != null && r.peer(PeerBench.FLOOR).ran);
        if (withFloor.isEmpty()) {
            parts.add(Part.needs("MariaDB's CPU per archived row <= 1.1x the floor's", "the peers (no --skip-peers)"));
        }
        for (Results r : withFloor) {
            Results.Peer floor = r.peer(PeerBench.FLOOR);
            double archiver = Report.us(r.archiver.infraCpuSeconds(ArchiverBench.MARIADB), r.archiver.rowsRemoved);
            double floorUs = Report.us(floor.mysqlCpuSeconds, floor.rows);
            double ratio = Stats.ratio(archiver, floorUs);
            parts.add(Part.judged("MariaDB's CPU per archived row vs the floor's (" + describe(r) + ")", ratio, Stats.atMost(ratio, MARIADB_FACTOR),
                    Report.f1(archiver) + " us vs " + Report.f1(floorUs) + " us = " + Report.f2(ratio) + "x <= 1.1x"));
        }
        perRun(parts, where(r -> r.instances == 1 && completed(r)), "delete transaction p99", "a completed run", r -> {
            Results.Archiver a = r.archiver;
            double p99 = Stats.percentile(a.deleteTransactionMs, 99);
            return Part.judged("delete transaction p99 (" + describe(r) + ")", p99, Stats.atMost(p99, DELETE_P99_MS), a.txTap
                    ? "p99 " + Report.f0(p99) + " ms <= 200 ms (BEGIN..COMMIT through the tap, n=" + a.deleteTransactionMs.size()
                            + "; the handler's p99 " + Report.f0(Stats.percentile(a.deleteHandlerMs, 99)) + " ms)"
                    : "not measured in this run: needs the tap (no --no-tx-tap)");
        });
        perRun(parts, where(r -> r.databaseCpus != null && r.instances == 1 && completed(r)), "concurrent insert p99 with --database-cpus",
                "--database-cpus 0", r -> {
                    double idle = Stats.percentile(r.archiver.writerIdleMs, 99);
                    double during = Stats.percentile(r.archiver.writerDuringMs, 99);
                    return Part.judged("concurrent insert p99 <= 2x idle (" + describe(r) + ")", during,
                            Stats.atMost(during, INSERT_P99_FACTOR * idle), insertText(idle, during));
                });
        for (Results r : where(r -> r.databaseCpus == null && r.instances == 1 && completed(r))) {
            double idle = Stats.percentile(r.archiver.writerIdleMs, 99);
            double during = Stats.percentile(r.archiver.writerDuringMs, 99);
            parts.add(new Part("concurrent insert p99, every CPU shared (" + describe(r) + ")", Verdict.REPORTED, insertText(idle, during)));
        }
        return new Target(5, "MariaDB's CPU per archived row <= 1.1x the floor's; delete transaction p99 <= 200 ms; concurrent insert p99"
                + " <= 2x idle with --database-cpus 0, and reported without it", parts);
    }

    private static String insertText(double idle, double during) {
        return "idle p99 " + Report.f1(idle) + " ms, during the run " + Report.f1(during) + " ms = " + Report.f2(Stats.ratio(during, idle)) + "x";
    }

    // 6

    private Target noSharedFilesystem() {
        List<Part> parts = new ArrayList<>();
        List<String> shared = runs.isEmpty() ? List.of() : runs.get(0).sharedVolumeManifests;
        parts.add(new Part("no volume shared between services in the deployment (deploy/: no ReadWriteMany claim)",
                shared.isEmpty() ? Verdict.PASS : Verdict.FAIL, shared.isEmpty() ? "none declared" : "ReadWriteMany in " + String.join(", ", shared)));
        parts.add(rss());
        return new Target(6, "no shared filesystem between services; each service's peak RSS within 20% from 1M to 5M rows", parts);
    }

    /** The peaks of the smallest and the largest first run at hand, else this run's against the peaks earlier runs stored. */
    private Part rss() {
        String what = "each service's peak RSS within 20% from the smaller to the larger row count";
        List<Results> firsts = where(r -> reference(r) && firstRun(r) && completed(r) && !r.archiver.services.isEmpty());
        Optional<Results> small = firsts.stream().min(Comparator.comparingLong(r -> r.rows));
        Optional<Results> large = firsts.stream().max(Comparator.comparingLong(r -> r.rows));
        if (small.isPresent() && large.get().rows > small.get().rows) {
            return rssPart(what, small.get().rows, Report.currentRss(small.get().archiver), large.get().rows, Report.currentRss(large.get().archiver));
        }
        if (small.isEmpty()) {
            return Part.needs(what, "a first run (the peaks of a run with --warm-up-rows hold the warm-up's rows too)");
        }
        Results r = small.get();
        Map<Long, Map<String, Long>> stored = r.storedPeakRss;
        Optional<Long> other = stored.keySet().stream().filter(n -> n != r.rows)
                .max(Comparator.comparingDouble(n -> Math.max(n, r.rows) / (double) Math.min(n, r.rows)));
        if (other.isEmpty()) {
            return Part.needs(what, String.format(Locale.ROOT, "a run at another --rows (only N=%,d so far; runs are kept in benchmark/target/rss), or --suite",
                    r.rows));
        }
        long n = other.get();
        Map<String, Long> current = Report.currentRss(r.archiver);
        return n < r.rows ? rssPart(what + " (the smaller from an earlier run)", n, stored.get(n), r.rows, current)
                : rssPart(what + " (the larger from an earlier run)", r.rows, current, n, stored.get(n));
    }

    static Part rssPart(String what, long smallRows, Map<String, Long> smallRss, long largeRows, Map<String, Long> largeRss) {
        boolean all = !smallRss.isEmpty();
        List<String> parts = new ArrayList<>();
        for (Map.Entry<String, Long> e : smallRss.entrySet()) {
            Long big = largeRss.get(e.getKey());
            boolean ok = big != null && Stats.withinPercent(e.getValue(), big, RSS_PERCENT);
            all &= ok;
            parts.add(e.getKey().replace("-service", "") + " " + Report.mib(e.getValue()) + " -> " + (big == null ? "?" : Report.mib(big)) + " MiB ("
                    + (big == null ? "?" : String.format(Locale.ROOT, "%+.1f%%", Stats.changePercent(e.getValue(), big))) + (ok ? "" : " !") + ")");
        }
        String pair = String.format(Locale.ROOT, "N=%,d vs N=%,d%s: ", smallRows, largeRows,
                smallRows == 1_000_000 && largeRows == 5_000_000 ? "" : " (the issue asks 1M vs 5M)");
        return new Part(what, all ? Verdict.PASS : Verdict.FAIL, pair + String.join(", ", parts));
    }

    // 7

    private Target scaleOut() {
        List<Part> parts = new ArrayList<>();
        List<Results> scaled = where(r -> r.instances > 1);
        if (scaled.isEmpty()) {
            parts.add(Part.needs("--instances 2 runs two of each service, correctly", "--instances 2 (or --suite)"));
        }
        for (Results r : scaled) {
            Results.Archiver a = r.archiver;
            boolean correct = completed(r) && a.remainingEligible == 0 && a.rowsRemoved == a.eligibleBefore;
            parts.add(new Part(r.instances + " of each service, every eligible row archived once (" + describe(r) + ")",
                    correct ? Verdict.PASS : Verdict.FAIL, String.format(Locale.ROOT, "%s; %,d of %,d eligible rows removed, %,d eligible left",
                            a.outcome, a.rowsRemoved, a.eligibleBefore, a.remainingEligible)));
        }
        // like with like: first runs on shared CPUs at the row counts of the scaled runs (all of them when none scaled)
        List<Long> scaledRows = scaled.stream().map(r -> r.rows).toList();
        List<String> perCount = new ArrayList<>();
        for (Results r : where(r -> completed(r) && firstRun(r) && r.databaseCpus == null && (scaledRows.isEmpty() || scaledRows.contains(r.rows)))) {
            perCount.add(r.instances + (r.instances == 1 ? " instance: " : " instances: ") + f0(r.archiver.rowsPerSecond()) + " rows/s ("
                    + describe(r) + ")");
        }
        parts.add(new Part("throughput per instance count", Verdict.REPORTED, perCount.isEmpty() ? "no completed run" : String.join("; ", perCount)));
        return new Target(7, "scale-out: --instances 2 runs two of each service, correctness holds, throughput per instance count", parts);
    }

    private static void perRun(List<Part> parts, List<Results> which, String what, String option, java.util.function.Function<Results, Part> judge) {
        if (which.isEmpty()) {
            parts.add(Part.needs(what, option));
            return;
        }
        which.forEach(r -> parts.add(judge.apply(r)));
    }

    private static String f0(double v) {
        return Report.f0(v);
    }
}
