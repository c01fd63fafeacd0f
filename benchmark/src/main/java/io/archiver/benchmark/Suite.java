package io.archiver.benchmark;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

import io.archiver.localstack.LocalStack;

/**
 * {@code benchmark/run --suite}: the runs issue 25's targets need, one after the other on the same machine, and one report
 * that judges every target over all of them, then each run's own report. A run that fails is reported as such and the
 * suite goes on with the next.
 */
final class Suite {

    /** One run of the suite: what the report calls it and its options. */
    record Step(String label, BenchmarkOptions options) {
    }

    private Suite() {
    }

    /** The suite's runs in order (see {@link BenchmarkOptions.SuiteOptions}). */
    static List<Step> steps(BenchmarkOptions options) {
        BenchmarkOptions.SuiteOptions s = options.suite();
        String small = rows(s.smallRows());
        String large = rows(s.largeRows());
        String peers = options.skipPeers() ? " (--skip-peers)" : " with the peers";
        return List.of(
                new Step("1/5 " + small + " first run" + peers, options.suiteRun(s.smallRows(), 0, options.skipPeers(), null, 1)),
                new Step("2/5 " + small + " on warm services", options.suiteRun(s.smallRows(), s.warmUpRows(), true, null, 1)),
                new Step("3/5 " + large + " first run" + peers, options.suiteRun(s.largeRows(), 0, options.skipPeers(), null, 1)),
                new Step("4/5 " + small + " with --database-cpus " + s.databaseCpus() + " (Archiver alone)",
                        options.suiteRun(s.smallRows(), 0, true, s.databaseCpus(), 1)),
                new Step("5/5 " + small + " with --instances " + s.instances() + " (Archiver alone)",
                        options.suiteRun(s.smallRows(), 0, true, null, s.instances())));
    }

    static List<Results> run(BenchmarkOptions options, Consumer<String> progress) throws Exception {
        List<Results> all = new ArrayList<>();
        Path runs = options.workDir().resolveSibling("suite");
        LocalStack.deleteRecursively(runs);
        Files.createDirectories(runs);
        int n = 0;
        for (Step step : steps(options)) {
            n++;
            progress.accept("suite run " + step.label() + ": " + step.options().commandLine());
            BenchmarkOptions runOptions = step.options();
            Results results;
            try {
                results = BenchmarkMain.run(runOptions, progress);
            } catch (Exception e) {
                results = new Results();
                results.rows = runOptions.rows();
                results.command = runOptions.commandLine();
                results.instances = runOptions.instances();
                results.databaseCpus = runOptions.databaseCpus();
                results.skipPeers = runOptions.skipPeers();
                results.archiver.outcome = "FAILED: " + e;
                results.notes.add("this run of the suite failed: " + e);
                progress.accept("suite run " + step.label() + " failed: " + e + "; going on with the next");
            }
            results.label = step.label();
            Files.writeString(runs.resolve("run-" + n + "-report.txt"), Report.renderWithoutTargets(results), StandardCharsets.UTF_8);
            keepServiceLogs(runOptions.workDir().resolve("services"), runs.resolve("run-" + n + "-services"));
            all.add(results);
        }
        return all;
    }

    /** Each run's service logs, kept beside its report: the next run starts its services in the same directory. */
    private static void keepServiceLogs(Path services, Path kept) throws java.io.IOException {
        if (!Files.isDirectory(services)) {
            return;
        }
        try (java.util.stream.Stream<Path> files = Files.walk(services)) {
            for (Path file : (Iterable<Path>) files.filter(f -> f.toString().endsWith(".log"))::iterator) {
                Path target = kept.resolve(services.relativize(file).toString());
                Files.createDirectories(target.getParent());
                Files.copy(file, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    /** The suite's report: every target over all runs, throughput per instance count, then each run's own report. */
    static String render(BenchmarkOptions options, List<Results> runs) {
        StringBuilder text = new StringBuilder();
        String nl = System.lineSeparator();
        text.append("Archiver benchmark suite (issue 25: every target in one command)").append(nl);
        text.append("=================================================================").append(nl);
        text.append(String.format(Locale.ROOT, "%-28s %s%n", "command", options.commandLine()));
        text.append(String.format(Locale.ROOT, "%-28s %s%n", "finished", Instant.now().truncatedTo(ChronoUnit.SECONDS)));
        if (!runs.isEmpty()) {
            text.append(String.format(Locale.ROOT, "%-28s %s%n", "machine", runs.get(0).machine));
            text.append(String.format(Locale.ROOT, "%-28s %s%n", "code", runs.get(0).code));
        }
        text.append("runs (each one's report follows; also in benchmark/target/suite/run-N-report.txt):").append(nl);
        for (Results r : runs) {
            text.append(String.format(Locale.ROOT, "  %-52s %-12s %,10d rows in %6.1f s = %8s rows/s   (%s)%n", r.label, shortOutcome(r.archiver.outcome),
                    r.archiver.rowsRemoved, r.archiver.seconds, Report.f0(r.archiver.rowsPerSecond()), r.command));
        }
        text.append(nl).append("TARGETS (issue 25, over the runs above)").append(nl);
        List<Targets.Target> targets = Targets.evaluate(runs);
        Targets.lines(targets).forEach(l -> text.append(l).append(nl));
        long passed = targets.stream().filter(t -> t.verdict() == Targets.Verdict.PASS).count();
        text.append(String.format(Locale.ROOT, "  %d of %d targets PASS%n", passed, targets.size()));
        text.append(nl);
        for (Results r : runs) {
            text.append(nl).append(Report.renderWithoutTargets(r));
        }
        return text.toString();
    }

    private static String shortOutcome(String outcome) {
        return outcome.length() > 12 ? outcome.substring(0, 12) : outcome;
    }

    static String rows(long rows) {
        if (rows % 1_000_000 == 0) {
            return rows / 1_000_000 + "M";
        }
        if (rows % 1_000 == 0) {
            return rows / 1_000 + "k";
        }
        return String.format(Locale.ROOT, "%,d", rows);
    }
}
