package io.archiver.benchmark;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** The printed report: figures, ratios, the targets with PASS/FAIL, and the profile's evidence. */
public final class Report {


    private final StringBuilder text = new StringBuilder();
    private final Results r;
    private final boolean withTargets;

    private Report(Results results, boolean withTargets) {
        this.r = results;
        this.withTargets = withTargets;
    }

    /** The report of one run, with issue 25's targets as far as this run measures them. */
    public static String render(Results results) {
        return new Report(results, true).build();
    }

    /** The report of one run of a suite: its figures; the suite's report judges the targets over all its runs. */
    public static String renderWithoutTargets(Results results) {
        return new Report(results, false).build();
    }

    private String build() {
        Results.Archiver a = r.archiver;
        line("Archiver benchmark (issues 7 and 25: measure, do not tune)" + (r.label == null ? "" : " - suite run: " + r.label));
        line("==========================================================");
        kv("command", r.command);
        kv("started", r.startedAt);
        kv("machine", r.machine + ", MariaDB " + r.mysqlVersion);
        kv("services' JVM", servicesJvm());
        kv("cpus", r.cpus);
        kv("code", r.code);
        kv("load average", "at start " + r.loadAtStart + (r.quietWait == null ? "" : " | " + r.quietWait) + " | before the run "
                + nz(r.loadBeforeRun) + " | after the run " + nz(r.loadAfterRun) + " | at the end " + nz(r.loadAtEnd) + "  (1/5/15 min)");
        kv("data", String.format(Locale.ROOT, "`run` seeded with %,d rows (%.1f s)%s, eligible share %.2f; at the cutoff (now - 60 days) %,d eligible,"
                + " %,d young; ~%.0f B/row (AVG_ROW_LENGTH), table %.0f MB", a.rowsSeeded, a.seedSeconds,
                a.warmUp == null ? "" : String.format(Locale.ROOT, " after the warm-up run over %,d others (their young rows stay)", a.warmUp.rowsSeeded),
                r.eligibleShare, a.eligibleBefore, a.youngBefore, a.avgRowLength, a.dataLengthBytes / 1e6));
        kv("settings", "services' defaults, nothing overridden but what the environment sets (MP_MESSAGING_*, ARCHIVER_*): batch-size "
                + ArchiverBench.batchSize(System.getenv()) + " rows (= rows per object; a run's first batches smaller, from archiver.scan.first-batch-rows doubling up to it), delete chunks adapting between 100 and 1000 rows (= rows per delete transaction, to a 0.5 s target), exporter fetch-size 5000, gzip level 1,"
                + " " + Math.max(4, r.instances) + " partitions per topic, " + (r.instances == 1 ? "one instance" : r.instances + " instances")
                + " per service (--instances), -Xmx256m each with the image's JVM options ("
                + String.join(" ", io.archiver.localstack.services.ServiceProcess.IMAGE_JVM_OPTIONS) + "; JIT: " + serviceJitOptions() + ");"
                + " every handler @Blocking (one event at a time per channel copy); the safety rails' confirm-first-run off and"
                + " max-share-per-run 1 for `run` (nobody confirms a benchmark run); from the environment: " + environmentOverrides());
        line("");

        archiver(a);
        for (Results.Peer peer : r.peers) {
            peer(peer);
        }
        if (r.skipPeers) {
            line("PEERS: skipped (--skip-peers)");
            line("");
        }
        ratios(a);
        fillAndDrain(a);
        if (withTargets) {
            line("TARGETS (issue 25; what this run alone cannot measure says which option it needs; benchmark/run --suite measures them all)");
            Targets.lines(Targets.evaluate(List.of(r))).forEach(this::line);
            line("");
        }
        profile(a);
        if (!r.notes.isEmpty()) {
            line("NOTES");
            r.notes.forEach(n -> line("  - " + n));
            line("");
        }
        return text.toString();
    }

    private void archiver(Results.Archiver a) {
        line("ARCHIVER end to end on the local stack (KRaft broker, S3Proxy, MariaDB; the four services as prod jars)");
        if (a.warmUp != null) {
            Results.WarmUp w = a.warmUp;
            kv("  warm-up run", String.format(Locale.ROOT, "%s: %s, %,d rows seeded, %,d archived in %.1f s (%s rows/s), not measured; the"
                    + " services' first run since their start, so the run below is their second", w.runId, w.outcome, w.rowsSeeded, w.rowsRemoved,
                    w.seconds, f0(Stats.rate(w.rowsRemoved, w.seconds))));
        }
        kv("  run", a.runId + ": " + a.outcome + (a.warmUp == null ? " (the services' first run since their start)" : ""));
        if (a.stats != null) {
            kv("  statistics", String.format(Locale.ROOT, "rows found %,d, exported %,d, uploaded %,d, removed %,d, failed %,d; batches %d"
                    + " (failed %d), objects %d, %,d bytes; scanner's durationMs %,d", a.stats.rowsFound(), a.stats.rowsExported(),
                    a.stats.rowsUploaded(), a.stats.rowsRemoved(), a.stats.rowsFailed(), a.stats.batches(), a.stats.batchesFailed(),
                    a.stats.objects(), a.stats.bytesUploaded(), a.stats.durationMs()));
        }
        kv("  check", String.format(Locale.ROOT, "eligible rows left in `run`: %,d (of %,d before)", a.remainingEligible, a.eligibleBefore));
        kv("  end to end", String.format(Locale.ROOT, "%,d rows in %.1f s (trigger -> ArchiveRunCompleted received) = %s rows/s;"
                + " %s MB/s uploaded (gzip CSV, %.1f MB); ~%s MB/s of table data", a.rowsRemoved, a.seconds, f0(a.rowsPerSecond()),
                f2(a.megabytesPerSecond()), a.bytesUploaded / 1e6, f2(Stats.rate(a.rowsRemoved * a.avgRowLength / 1e6, a.seconds))));
        kv("  planning", "PLAN (scanner: eligible ids counted per bucket in the date index, then each range's ends read at their ranks, each range recorded as it is found, the batches published once the rails have seen the whole plan): " + f2(a.planSeconds) + " s from the request to the"
                + " end of planning (ledger: archive_run.planned_at_ms - requested_at_ms)");
        line("  per stage (metrics: archiver_rows_total, archiver_event_duration_seconds_sum/count; window and ms percentiles from the event lines)");
        line(String.format(Locale.ROOT, "    %-17s %-8s %-16s %6s %10s %9s %11s %8s %8s %8s %8s %8s %6s", "service", "stage", "outcome",
                "events", "rows", "busy s", "rows/busy s", "mean ms", "p50 ms", "p99 ms", "window s", "rows/s", "util"));
        for (Results.StageFigures s : a.stages) {
            line(String.format(Locale.ROOT, "    %-17s %-8s %-16s %6d %10.0f %9.1f %11s %8s %8s %8s %8s %8s %6s", s.service(), s.stage(), s.outcome(),
                    s.events(), s.rows(), s.busySeconds(), f0(s.rowsPerBusySecond()), f0(Stats.ratio(s.busySeconds() * 1000, s.events())),
                    f0(Stats.percentile(s.handlerMs(), 50)), f0(Stats.percentile(s.handlerMs(), 99)), f1(s.windowSeconds()),
                    f0(s.rowsPerWindowSecond()), util(s.utilization())));
        }
        line("  delete transactions (deleter: each batch removed in chunks of chunks.min-rows..chunk-rows adapting to chunks.target-time, one transaction each)");
        kv("    rows per batch", String.format(Locale.ROOT, "mean %s, min %s, max %s (n=%d, from the log lines' rows=)",
                f0(Stats.mean(a.deleteRows)), f0(Stats.min(a.deleteRows)), f0(Stats.max(a.deleteRows)), a.deleteRows.size()));
        kv("    rows per transaction", a.txTap && !a.deleteTransactionMs.isEmpty()
                ? String.format(Locale.ROOT, "mean %s (%,d rows removed / %,d committed transactions on the tap)",
                        f0(Stats.ratio(a.rowsRemoved, a.deleteTransactionMs.size())), a.rowsRemoved, a.deleteTransactionMs.size())
                : "not measured (--no-tx-tap)");
        kv("    handler time (log ms=)", msLine(a.deleteHandlerMs) + "  <- the whole handler: ledger peek, S3 GET + gunzip + parse +"
                + " digest of the object, then the transaction, then publish-and-wait of ArchiveBatchDeleted");
        kv("    transaction (tap)", a.txTap ? msLine(a.deleteTransactionMs) + "  <- BEGIN sent .. COMMIT answered on the deleter's connection:"
                + " lock the ledger row, re-read the chunk FOR UPDATE and compare it with the archive, DELETE, record the progress" + (a.rolledBack > 0
                        ? "; " + a.rolledBack + " rolled back" : "") : "not measured (--no-tx-tap)");
        if (a.txTap) {
            kv("    at once (tap)", "at most " + a.deleteTransactionsAtOnce + " deleting transaction" + (a.deleteTransactionsAtOnce == 1 ? "" : "s")
                    + " open together  <- one deleter instance deletes archiver.delete.concurrency batches at once (default 1), one transaction each");
        }
        line("  concurrent writer (own JDBC connection, autocommit single-row INSERT of young rows into `run`, " + a.writerRate + "/s;"
                + " the deleter's health throttle " + (a.throttle ? String.format(Locale.ROOT, "on: %d pauses, %.1f s paused", a.throttlePauses,
                        a.throttlePausedSeconds) : "off (--throttle off)") + ")");
        kv("    idle, before the run", msLine(a.writerIdleMs));
        kv("    during the run", msLine(a.writerDuringMs) + "   p99 ratio during/idle = "
                + f2(Stats.ratio(Stats.percentile(a.writerDuringMs, 99), Stats.percentile(a.writerIdleMs, 99))) + "x");
        line("  memory and CPU per process (RSS from /proc/<pid>/status, CPU = utime+stime from /proc/<pid>/stat, over the run)");
        line(String.format(Locale.ROOT, "    %-30s %12s %14s %16s %9s %11s", "process", "peak RSS MiB", "RSS before MiB", "max RSS in run", "CPU s",
                "% of 1 core"));
        for (Results.ProcessFigures p : a.services.values()) {
            line(String.format(Locale.ROOT, "    %-30s %12s %14s %16s %9s %11s", p.name() + " (pid " + p.pid() + ")", mib(p.peakRssKb()),
                    mib(p.rssBeforeRunKb()), mib(p.maxRssDuringRunKb()), f1(p.cpuSeconds()), pct(Stats.ratio(p.cpuSeconds(), a.seconds))));
        }
        for (Map.Entry<String, Double> infra : a.infraCpuSeconds.entrySet()) {
            line(String.format(Locale.ROOT, "    %-30s %12s %14s %16s %9s %11s", infra.getKey(), "", "", "", f1(infra.getValue()),
                    pct(Stats.ratio(infra.getValue(), a.seconds))));
        }
        line(String.format(Locale.ROOT, "    %-30s %12s %14s %16s %9s %11s", "benchmark JVM", "", "", "", f1(a.benchmarkCpuSeconds),
                pct(Stats.ratio(a.benchmarkCpuSeconds, a.seconds))));
        line("    (peak RSS = VmHWM, the high-water mark since the JVM started; 'max RSS in run' = largest VmRSS sampled every 200 ms"
                + " during the run; the machine has " + BenchmarkMain.machineCores() + " cores = "
                + BenchmarkMain.machineCores() * 100 + "% in all; the benchmark JVM runs the writer, the samplers and the Kafka driver)");
        line("");
    }

    private void peer(Results.Peer p) {
        line("PEER " + (p.name.equals(PeerBench.PT_ARCHIVER) ? "1: pt-archiver, then aws s3 cp of its file" : "2 (the floor): SELECT ... INTO OUTFILE"
                + " + range deletes of 10,000 rows, then aws s3 cp") + " - on a freshly seeded copy of the same data");
        if (p.command != null) {
            kv("  command", p.command);
        }
        if (!p.ran) {
            kv("  FAILED", p.failure);
            p.details.forEach(d -> line("    " + d));
            line("");
            return;
        }
        kv("  rows", String.format(Locale.ROOT, "%,d archived of %,d eligible; eligible left: %,d", p.rows, p.eligibleBefore, p.remainingEligible));
        if (!Double.isNaN(p.exportSeconds)) {
            kv("  time", String.format(Locale.ROOT, "export %.1f s + deletes %.1f s = %.1f s; upload %.1f s (%.1f MB file, %s MB/s)",
                    p.exportSeconds, p.deleteSeconds, p.toolSeconds, p.uploadSeconds, p.fileBytes / 1e6, f1(Stats.rate(p.fileBytes / 1e6, p.uploadSeconds))));
        } else {
            kv("  time", String.format(Locale.ROOT, "%s %.1f s (CPU of the tool %s s); upload %.1f s (%.1f MB file, %s MB/s)", p.name, p.toolSeconds,
                    f1(p.toolCpuSeconds), p.uploadSeconds, p.fileBytes / 1e6, f1(Stats.rate(p.fileBytes / 1e6, p.uploadSeconds))));
        }
        kv("  rows/s", String.format(Locale.ROOT, "%s including the upload; %s without it", f0(p.rowsPerSecondWithUpload()),
                f0(p.rowsPerSecondWithoutUpload())));
        if (p.transactionSource.isEmpty()) {
            p.transactionSource = "not measured: --no-tx-tap";
        }
        double rowsPerTx = p.transactionRows.isEmpty() ? Stats.ratio(p.rows, p.transactionMs.size()) : Stats.mean(p.transactionRows);
        kv("  delete transactions", msLine(p.transactionMs) + "; rows per trx mean " + f0(rowsPerTx) + " (" + p.transactionSource + ")");
        kv("  concurrent writer", msLine(p.writerDuringMs) + "   p99 ratio to Archiver's idle baseline = "
                + f2(Stats.ratio(Stats.percentile(p.writerDuringMs, 99), Stats.percentile(r.archiver.writerIdleMs, 99))) + "x");
        kv("  mariadbd CPU", f1(p.mysqlCpuSeconds) + " s during the tool (" + pct(Stats.ratio(p.mysqlCpuSeconds, p.toolSeconds)) + " of one core)");
        p.details.forEach(d -> line("    | " + d));
        line("");
    }

    private void ratios(Results.Archiver a) {
        line("RATIOS (Archiver end-to-end rows/s divided by the peer's)");
        Results.Peer pt = r.peer(PeerBench.PT_ARCHIVER);
        Results.Peer floor = r.peer(PeerBench.FLOOR);
        if (pt == null && floor == null) {
            line("  (no peers ran)");
        }
        if (pt != null && pt.ran) {
            line("  Archiver / pt-archiver incl. upload  = " + f0(a.rowsPerSecond()) + " / " + f0(pt.rowsPerSecondWithUpload()) + " = "
                    + f2(Stats.ratio(a.rowsPerSecond(), pt.rowsPerSecondWithUpload())) + "x");
            line("  Archiver / pt-archiver alone         = " + f2(Stats.ratio(a.rowsPerSecond(), pt.rowsPerSecondWithoutUpload())) + "x");
        }
        if (floor != null && floor.ran) {
            line("  Archiver / floor incl. upload        = " + f0(a.rowsPerSecond()) + " / " + f0(floor.rowsPerSecondWithUpload()) + " = "
                    + f2(Stats.ratio(a.rowsPerSecond(), floor.rowsPerSecondWithUpload())) + "x");
            line("  Archiver / floor export+delete only  = " + f2(Stats.ratio(a.rowsPerSecond(), floor.rowsPerSecondWithoutUpload())) + "x");
        }
        cpuPerRow(a, pt, floor);
        if (pt != null && pt.ran) {
            budget(a, pt, floor);
        }
        line("");
    }

    /** CPU per archived row, everything each tool took; Archiver's counts its services, Kafka, S3Proxy and MariaDB. */
    private void cpuPerRow(Results.Archiver a, Results.Peer pt, Results.Peer floor) {
        line("  CPU per archived row, all that each took (us; the benchmark JVM's own, " + f1(us(a.benchmarkCpuSeconds, a.rowsRemoved))
                + " us during Archiver's run for the writer, the samplers and the tap, not counted):");
        line(String.format(Locale.ROOT, "    %-13s %7s = services %s (of which JIT compiler threads %s) + Kafka and S3Proxy %s + %s (of which JIT"
                + " compiler threads %s) + mariadbd %s", "Archiver", f1(archiverCpuPerRow(a)), f1(us(a.servicesCpuSeconds(), a.rowsRemoved)),
                f1(us(a.compilerCpuSeconds(), a.rowsRemoved)), f1(us(a.infraCpuSeconds(ArchiverBench.KAFKA), a.rowsRemoved)),
                f1(us(a.infraCpuSeconds(ArchiverBench.S3PROXY), a.rowsRemoved)), f1(us(a.infraCompilerCpuSeconds(), a.rowsRemoved)),
                f1(us(a.infraCpuSeconds(ArchiverBench.MARIADB), a.rowsRemoved))));
        for (Results.Peer p : java.util.Arrays.asList(pt, floor)) {
            if (p != null && p.ran) {
                line(String.format(Locale.ROOT, "    %-13s %7s = %s %s + mariadbd %s + upload %s (aws CLI + S3Proxy)", p.name, f1(us(p.totalCpuSeconds(), p.rows)),
                        p.name.equals(PeerBench.FLOOR) ? "the mariadb client" : "the tool", f1(us(p.toolCpuSeconds, p.rows)),
                        f1(us(p.mysqlCpuSeconds, p.rows)), f1(us(p.uploadCpuSeconds, p.rows))));
            }
        }
    }

    /** Archiver's CPU per archived row: its services, Kafka, the S3 server and the MySQL server over the run. */
    static double archiverCpuPerRow(Results.Archiver a) {
        double cpu = a.servicesCpuSeconds() + a.infraCpuSeconds.values().stream().mapToDouble(Double::doubleValue).sum();
        return us(cpu, a.rowsRemoved);
    }

    /**
     * The CPU per row a throughput allows on {@code cores} cores when every one of them is busy all the time: a job
     * that takes more cannot reach it on this machine, however its work is spread.
     */
    static double budgetMicrosPerRow(int cores, double rowsPerSecond) {
        return Stats.ratio(cores * 1e6, rowsPerSecond);
    }

    static double us(double cpuSeconds, long rows) {
        return Stats.ratio(cpuSeconds * 1e6, rows);
    }

    /** What 2x pt-archiver's rows/s leaves per row on this machine's cores, against what Archiver and the floor took. */
    private void budget(Results.Archiver a, Results.Peer pt, Results.Peer floor) {
        double target = Targets.E2E_FACTOR * pt.rowsPerSecondWithUpload();
        int cores = BenchmarkMain.machineCores();
        double archiver = archiverCpuPerRow(a);
        String floorPart = floor != null && floor.ran
                ? ", the floor, which verifies nothing, " + f1(us(floor.totalCpuSeconds(), floor.rows)) + " us"
                : "";
        line(String.format(Locale.ROOT, "         CPU budget: %s rows/s on %d cores leaves at most %s us of CPU per archived row with every core busy all"
                + " the time; Archiver took %s us (%s without the JIT compilation of its services, Kafka and S3Proxy)%s", f0(target), cores,
                f1(budgetMicrosPerRow(cores, target)), f1(archiver),
                f1(archiver - us(a.compilerCpuSeconds() + a.infraCompilerCpuSeconds(), a.rowsRemoved)), floorPart));
    }

    /** When each stage got its first and last batch through, and how the batches spread over the run. */
    private void fillAndDrain(Results.Archiver a) {
        line("FILL AND DRAIN (seconds after the trigger at which each batch got through a stage: planned = archive_batch.published_at_ms in"
                + " the ledger; exported, uploaded, deleted = the end of the batch's handler on the services' event lines)");
        FillDrain.lines(a.stageDoneSeconds, a.seconds).forEach(l -> line("    " + l));
        kv("  first delete", Targets.firstDeleteText(a) + " after the trigger");
        kv("  planning", f2(a.planSeconds) + " s = " + f2(Stats.ratio(a.planSeconds * 1e6, a.eligibleBefore)) + " s per million eligible rows");
        line("");
    }

    /** The service settings this run's environment overrides (the services inherit it), or "none". */
    static String environmentOverrides() {
        List<String> set = System.getenv().entrySet().stream()
                .filter(e -> e.getKey().startsWith("MP_MESSAGING_") || (e.getKey().startsWith("ARCHIVER_") && !e.getKey().equals("ARCHIVER_SKIP_BUILD")))
                .filter(e -> !e.getKey().contains("PASSWORD") && !e.getKey().contains("SECRET"))
                .map(e -> e.getKey() + "=" + e.getValue()).sorted().toList();
        return set.isEmpty() ? "none" : String.join(" ", set);
    }

    static Map<String, Long> currentRss(Results.Archiver a) {
        Map<String, Long> rss = new java.util.LinkedHashMap<>();
        a.services.values().forEach(p -> rss.put(p.name(), p.peakRssKb()));
        return rss;
    }

    private void profile(Results.Archiver a) {
        line("PROFILE (where Archiver's time goes)");
        List<Results.StageFigures> main = a.stages.stream().filter(s -> (s.service().equals("exporter-service") && s.stage().equals("EXPORT"))
                || (s.service().equals("uploader-service") && s.stage().equals("UPLOAD"))
                || (s.service().equals("deleter-service") && s.stage().equals("DELETE"))).toList();
        Optional<Results.StageFigures> bottleneck = main.stream().max(Comparator.comparingDouble(Results.StageFigures::busySeconds));
        bottleneck.ifPresent(b -> line(String.format(Locale.ROOT, "  bottleneck stage: %s (%s) - busy %.1f s of the %.1f s run (%s), %s rows per busy"
                + " second; each service handles one batch at a time (the deleter archiver.delete.concurrency), so the run cannot be faster than"
                + " its busiest stage", b.stage(), b.service(),
                b.busySeconds(), a.seconds, pct(Stats.ratio(b.busySeconds(), a.seconds)), f0(b.rowsPerBusySecond()))));
        for (Results.StageFigures s : main) {
            line(String.format(Locale.ROOT, "  %-7s busy %7.1f s = %6s of the run, %6s per batch (p50), %8s rows per busy s, %s CPU s in %s", s.stage(),
                    s.busySeconds(), pct(Stats.ratio(s.busySeconds(), a.seconds)), f0(Stats.percentile(s.handlerMs(), 50)) + " ms",
                    f0(s.rowsPerBusySecond()), f1(Optional.ofNullable(a.services.get(s.service())).map(Results.ProcessFigures::cpuSeconds).orElse(Double.NaN)),
                    s.service()));
        }
        for (Results.StageFigures s : main) {
            if (s.firstStart() != null && a.triggeredAt != null) {
                line(String.format(Locale.ROOT, "  %-7s first batch started %5.1f s after the trigger, last ended %5.1f s after it (the run closed at %.1f s)",
                        s.stage(), java.time.Duration.between(a.triggeredAt, s.firstStart()).toMillis() / 1e3,
                        java.time.Duration.between(a.triggeredAt, s.lastEnd()).toMillis() / 1e3, a.seconds));
            }
        }
        if (!a.deleteTransactionMs.isEmpty() && !a.deleteHandlerMs.isEmpty()) {
            double txPerBatch = Stats.ratio(a.deleteTransactionMs.size(), a.deleteHandlerMs.size());
            double txMsPerBatch = Stats.mean(a.deleteTransactionMs) * txPerBatch;
            line(String.format(Locale.ROOT, "  DELETE  per batch: handler mean %s ms = %s transactions x mean %s ms + %s ms outside them (ledger peek,"
                    + " S3 GET, gunzip, CSV parse and digest of the object, publish-and-wait)", f0(Stats.mean(a.deleteHandlerMs)), f1(txPerBatch),
                    f0(Stats.mean(a.deleteTransactionMs)), f0(Stats.mean(a.deleteHandlerMs) - txMsPerBatch)));
        }
        line(String.format(Locale.ROOT, "  batches: %d of ~%,d rows over 4 partitions; planning %s s; the pipeline overlaps the stages:"
                + " sum of stage busy time %.1f s vs %.1f s wall", a.batches, ArchiverBench.batchSize(System.getenv()), f1(a.planSeconds), main.stream().mapToDouble(Results.StageFigures::busySeconds).sum(),
                a.seconds));
        line("  CPU by thread group during the run (each thread's /proc/<pid>/task/<tid>/stat every 250 ms, threads that ended"
                + " during the run included with their last sample; '#' stands for digits):");
        for (Results.ProcessFigures p : a.services.values()) {
            List<String> top = p.threadCpuSeconds().entrySet().stream().sorted(Map.Entry.<String, Double>comparingByValue().reversed()).limit(6)
                    .map(e -> e.getKey() + " " + f1(e.getValue()) + " s").toList();
            line(String.format(Locale.ROOT, "    %-17s %s; of %s CPU s: %s s in threads that ended during the run, %s s unsampled", p.name(),
                    String.join(", ", top), f1(p.cpuSeconds()), f1(p.endedThreadsCpuSeconds()), f1(p.unsampledCpuSeconds())));
        }
        for (Map.Entry<String, Map<String, Double>> infra : a.infraThreadCpuSeconds.entrySet()) {
            List<String> top = infra.getValue().entrySet().stream().sorted(Map.Entry.<String, Double>comparingByValue().reversed()).limit(6)
                    .map(e -> e.getKey() + " " + f1(e.getValue()) + " s").toList();
            line(String.format(Locale.ROOT, "    %-17s %s; of %s CPU s", infra.getKey(), String.join(", ", top), f1(a.infraCpuSeconds(infra.getKey()))));
        }
        if (!a.threadProfiles.isEmpty()) {
            line("  THREAD SAMPLES (--thread-dumps " + a.threadDumpHz + "/s): where the threads inside an Archiver handler were, share of"
                    + " their samples ('innermost Archiver frame <- top frame'; WAITING = blocked on the database, S3, Kafka or a lock)");
            for (Map.Entry<String, StackSampler.Profile> e : a.threadProfiles.entrySet()) {
                StackSampler.Profile profile = e.getValue();
                long running = profile.places().entrySet().stream().filter(p -> p.getKey().startsWith("RUNNING")).mapToLong(Map.Entry::getValue).sum();
                line(String.format(Locale.ROOT, "    %s: %d dumps, %d handler-thread samples, %s running", e.getKey(), profile.dumps(),
                        profile.handlerSamples(), pct(Stats.ratio(running, profile.handlerSamples()))));
                for (Map.Entry<String, Integer> place : StackSampler.top(profile, 10)) {
                    line(String.format(Locale.ROOT, "      %5s  %s", pct(Stats.ratio(place.getValue(), profile.handlerSamples())), place.getKey()));
                }
            }
        }
        double cpuTotal = a.services.values().stream().mapToDouble(Results.ProcessFigures::cpuSeconds).sum()
                + a.infraCpuSeconds.values().stream().mapToDouble(Double::doubleValue).sum() + a.benchmarkCpuSeconds;
        line(String.format(Locale.ROOT, "  CPU: %.1f CPU s measured over %.1f s wall on %d cores = %s of the machine", cpuTotal, a.seconds,
                BenchmarkMain.machineCores(), pct(Stats.ratio(cpuTotal, a.seconds * BenchmarkMain.machineCores()))));
        line("");
    }

    /** PASS or FAIL; NOT MEASURED where the figure is NaN (nothing to judge). */
    private void verdict(double figure, boolean pass, String target, String figures) {
        line("  [" + (Double.isNaN(figure) ? "NOT MEASURED" : pass ? "PASS" : "FAIL") + "] " + target + ": " + figures);
    }

    static String msLine(List<Double> ms) {
        if (ms.isEmpty()) {
            return "no samples";
        }
        return String.format(Locale.ROOT, "p50 %s ms, p99 %s ms, max %s ms, mean %s ms (n=%d)", f1(Stats.percentile(ms, 50)), f1(Stats.percentile(ms, 99)),
                f1(Stats.max(ms)), f1(Stats.mean(ms)), ms.size());
    }

    /** Each service's JIT options, as its image is built ({@code ServiceProcess.jitOptions}). */
    private static String serviceJitOptions() {
        return java.util.Arrays.stream(io.archiver.localstack.services.ArchiverService.values())
                .map(s -> s.module() + " " + String.join(" ", io.archiver.localstack.services.ServiceProcess.jitOptions(s)))
                .collect(java.util.stream.Collectors.joining(", "));
    }

    /** Which JDK ran the services and whether their AOT caches were used (ServiceJvm: ARCHIVER_SERVICE_JAVA_HOME, ARCHIVER_SERVICE_AOT_CACHE_DIR). */
    private static String servicesJvm() {
        return io.archiver.localstack.services.ServiceJvm.fromEnvironment().describe(BenchmarkMain.repositoryRoot());
    }

    private void kv(String key, String value) {
        line(String.format(Locale.ROOT, "%-28s %s", key, value));
    }

    private void line(String s) {
        text.append(s).append(System.lineSeparator());
    }

    static String nz(String s) {
        return s == null ? "n/a" : s;
    }

    static String f0(double v) {
        return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%,.0f", v);
    }

    static String f1(double v) {
        return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%,.1f", v);
    }

    static String f2(double v) {
        return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%,.2f", v);
    }

    static String pct(double fraction) {
        return Double.isNaN(fraction) ? "n/a" : String.format(Locale.ROOT, "%.0f%%", fraction * 100);
    }

    /** A utilization: busy time over its window, at most 100% (the two are measured with millisecond rounding). */
    static String util(double fraction) {
        return pct(Double.isNaN(fraction) ? fraction : Math.min(1.0, fraction));
    }

    static String mib(long kb) {
        return kb <= 0 ? "n/a" : String.format(Locale.ROOT, "%.0f", kb / 1024.0);
    }
}
