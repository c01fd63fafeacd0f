package io.archiver.ctl;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

import io.archiver.ctl.cli.Archivectl;
import io.archiver.ctl.cli.ConnectionOptions;
import io.archiver.ctl.cli.CtlException;
import io.archiver.ctl.cli.DurationConverter;
import io.archiver.ctl.cli.UsageException;
import io.archiver.ctl.format.Formats;
import io.archiver.ctl.format.Json;
import io.archiver.ctl.format.Table;
import io.archiver.operations.runs.BatchRow;
import io.archiver.ctl.ledger.Ledger;
import io.archiver.operations.runs.RunRow;
import io.archiver.operations.runs.RunView;
import io.archiver.events.RowCounts;
import io.archiver.ledger.BatchState;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Runs and batches as the ledger has them. */
@Command(name = "status", mixinStandardHelpOptions = true, sortOptions = false,
        description = { "Show runs from the ledger (archive_run, archive_batch).",
                "Without RUN: the latest runs with their batches by state. With RUN: that run, its batches grouped by state, rows "
                        + "removed, bytes, and for a running run a progress bar (rows removed over the time since it was requested); "
                        + "what the safety rails said (a refusal's reason, a held run's plan and how to confirm it)." },
        footer = { "", "Examples:", "  archivectl status", "  archivectl status run-20261123T105258Z-5f3725ea --watch",
                "  archivectl status --schedule-slot 2026-11-23 --json" })
public class StatusCommand implements Callable<Integer> {

    private static final int GROUP_LIST_MAX = 12;

    @Spec
    CommandSpec spec;

    @Mixin
    ConnectionOptions connection;

    @Parameters(index = "0", arity = "0..1", paramLabel = "RUN", description = "A run id; without it, the latest runs.")
    String runId;

    @Option(names = "--json", description = "Print JSON (with --watch: one JSON object per line, per redraw).")
    boolean json;

    @Option(names = "--watch", description = "Redraw every --interval until the run completes, or awaits confirmation (exit 3) (needs RUN; bounded by --timeout).")
    boolean watch;

    @Option(names = "--interval", paramLabel = "DURATION", defaultValue = "2s", converter = DurationConverter.class,
            description = "Time between redraws with --watch (default: ${DEFAULT-VALUE}).")
    Duration interval;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "PT1H", converter = DurationConverter.class,
            description = "Longest --watch; exit 1 when the run has not completed by then (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Option(names = "--batches", description = "With RUN: list every batch (range, rows, bytes, object key).")
    boolean listBatches;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "20", description = "Without RUN: how many runs (default: ${DEFAULT-VALUE}).")
    int limit;

    @Option(names = "--policy", paramLabel = "POLICY", description = "Without RUN: only runs of this policy.")
    String policy;

    @Option(names = "--schedule-slot", paramLabel = "SLOT", description = "Without RUN: only the run(s) of this schedule slot.")
    String scheduleSlot;

    @Override
    public Integer call() throws InterruptedException {
        if (watch && runId == null) {
            throw new UsageException("--watch needs a RUN to follow");
        }
        if (limit < 1) {
            throw new UsageException("--limit must be at least 1");
        }
        if (interval.isNegative() || interval.isZero()) {
            throw new UsageException("--interval must be positive");
        }
        PrintWriter out = spec.commandLine().getOut();
        try (Ledger ledger = Ledger.open(connection.settings())) {
            if (runId == null) {
                listRuns(ledger, out);
                return Archivectl.OK;
            }
            if (!watch) {
                RunView view = view(ledger).orElseThrow(() -> new CtlException("no run " + runId + " in the ledger"));
                print(out, view, !view.run().completed());
                return Archivectl.OK;
            }
            return watch(ledger, out);
        }
    }

    private Optional<RunView> view(Ledger ledger) {
        return ledger.reader().view(runId);
    }

    private void listRuns(Ledger ledger, PrintWriter out) {
        List<RunRow> runs = ledger.latestRuns(limit, policy, scheduleSlot);
        Map<String, Map<String, Long>> states = ledger.batchStates(runs.stream().map(RunRow::runId).toList());
        if (json) {
            List<Map<String, Object>> list = new ArrayList<>();
            for (RunRow run : runs) {
                Map<String, Long> byState = states.getOrDefault(run.runId(), Map.of());
                Map<String, Long> all = RunView.byState(List.of());
                all.putAll(byState);
                list.add(RunView.runJson(run, all));
            }
            out.println(Json.pretty(Map.of("runs", list)));
            out.flush();
            return;
        }
        if (runs.isEmpty()) {
            out.println("no runs in the ledger" + (policy != null ? " of policy " + policy : "")
                    + (scheduleSlot != null ? " for schedule slot " + scheduleSlot : ""));
            out.flush();
            return;
        }
        Table table = new Table("RUN", "POLICY", "STATE", "OUTCOME", "ROWS FOUND", "BATCHES", "SLOT", "REQUESTED", "ENDED");
        table.alignRight(4);
        for (RunRow run : runs) {
            Map<String, Long> byState = states.getOrDefault(run.runId(), Map.of());
            String batches = RunView.STATES.stream().filter(s -> byState.getOrDefault(s, 0L) > 0).map(s -> byState.get(s) + " " + s)
                    .collect(Collectors.joining(", "));
            table.row(run.runId(), run.policy(), run.state(), run.outcome() == null ? "-" : run.outcome(), Formats.count(run.rowsFound()),
                    batches.isEmpty() ? "-" : batches, run.scheduleSlot() == null ? "-" : run.scheduleSlot(), Formats.time(run.requestedAtMs()),
                    Formats.time(run.completedAtMs()));
        }
        table.print(out);
        out.flush();
    }

    private int watch(Ledger ledger, PrintWriter out) throws InterruptedException {
        boolean terminal = System.console() != null && !json;
        long deadline = System.nanoTime() + timeout.toNanos();
        boolean announced = false;
        String lastLine = null;
        while (true) {
            Optional<RunView> current = view(ledger);
            if (current.isEmpty()) {
                if (!announced) {
                    spec.commandLine().getErr().println("waiting for run " + runId + " to appear in the ledger ...");
                    spec.commandLine().getErr().flush();
                    announced = true;
                }
            } else {
                RunView view = current.get();
                // a held run does not move until someone confirms it: the watch ends there, saying so
                boolean done = view.run().completed() || view.run().awaitingConfirmation();
                if (json) {
                    out.println(Json.line(view.toJson(System.currentTimeMillis())));
                } else if (terminal) {
                    out.print("\033[H\033[2J");
                    print(out, view, !done);
                } else if (done) {
                    print(out, view, false);
                } else {
                    String line = Formats.time(java.time.Instant.now()) + "  " + view.run().runId() + "  " + view.run().state() + "  "
                            + view.progress(System.currentTimeMillis()).render();
                    // a line when something moved, not for every tick of the rate
                    String comparable = view.run().state() + " " + view.rowsRemoved() + " " + view.run().rowsFound() + " " + view.batchesByState();
                    if (!comparable.equals(lastLine)) {
                        out.println(line);
                        lastLine = comparable;
                    }
                }
                out.flush();
                if (done) {
                    return view.run().awaitingConfirmation() ? Archivectl.AWAITING_CONFIRMATION : Archivectl.OK;
                }
            }
            if (System.nanoTime() > deadline) {
                throw new CtlException("run " + runId + (current.isEmpty() ? " did not appear in the ledger" : " did not complete") + " within "
                        + timeout);
            }
            Thread.sleep(interval.toMillis());
        }
    }

    private void print(PrintWriter out, RunView view, boolean withProgress) {
        long now = System.currentTimeMillis();
        if (json) {
            out.println(Json.pretty(view.toJson(now)));
            out.flush();
            return;
        }
        RunRow run = view.run();
        out.printf("run        %s%n", run.runId());
        out.printf("policy     %s (table %s, mode %s%s)%n", run.policy(), run.table(), run.mode(), run.dryRun() ? ", dry run" : "");
        out.printf("cutoff     %s%n", Formats.time(run.cutoffEpochMs()));
        out.printf("slot       %s%n", run.scheduleSlot() == null ? "-" : run.scheduleSlot());
        out.printf("requested  %s by %s%n", Formats.time(run.requestedAtMs()), run.requestedBy());
        out.printf("planned    %s%n", Formats.time(run.plannedAtMs()));
        out.printf("ended      %s%s%n", Formats.time(run.completedAtMs()),
                run.completedAtMs() == null ? "" : " (" + Formats.elapsed(Duration.ofMillis(run.completedAtMs() - run.requestedAtMs())) + ")");
        out.printf("state      %s%s%n", run.state(), run.outcome() == null ? "" : " " + run.outcome());
        RowCounts counts = view.counts();
        out.printf("rows       found %s, exported %s, uploaded %s, removed %s, failed %s%s%n", Formats.count(view.rowsFound()),
                Formats.count(view.rowsExported()), Formats.count(view.rowsUploaded()), Formats.count(view.rowsRemoved()),
                Formats.count(view.rowsFailed()), TriggerCommand.keptAndMissing(counts, view.rowsPending()));
        out.printf("objects    %s, %s%n", Formats.count(view.objects()), Formats.bytes(view.bytesUploaded()));
        Map<String, Long> byState = view.batchesByState();
        out.printf("batches    %d: %s%n", view.batches().size(),
                byState.entrySet().stream().map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", ")));
        if (!view.throttle().isEmpty()) {
            out.printf("throttled  %s for the database's health: %s%n", Formats.elapsed(Duration.ofMillis(view.throttledMs())),
                    view.throttle().stream().map(t -> t.reason() + " " + t.pauses() + (t.pauses() == 1 ? " pause " : " pauses ")
                            + Formats.elapsed(Duration.ofMillis(t.pausedMs())) + " (last: " + t.detail() + ")").collect(Collectors.joining("; ")));
        }
        printRails(out, run);
        if (withProgress && !run.awaitingConfirmation()) {
            out.printf("progress   %s%n", view.progress(now).render());
        }
        Map<String, List<BatchRow>> groups = new LinkedHashMap<>();
        RunView.STATES.forEach(s -> groups.put(s, new ArrayList<>()));
        view.batches().forEach(b -> groups.computeIfAbsent(b.state(), k -> new ArrayList<>()).add(b));
        for (Map.Entry<String, List<BatchRow>> group : groups.entrySet()) {
            List<BatchRow> batches = group.getValue();
            if (batches.isEmpty()) {
                continue;
            }
            if (group.getKey().equals(BatchState.FAILED.name())) {
                out.printf("  %s (%d):%n", group.getKey(), batches.size());
                for (BatchRow b : batches) {
                    out.printf("    %s  %s  %s  %s%n", b.shortId(), b.failedStage() == null ? "-" : b.failedStage(),
                            b.failureReason() == null ? "-" : b.failureReason(), Formats.oneLine(b.failureDetail(), 160));
                }
                continue;
            }
            String ids = batches.stream().limit(GROUP_LIST_MAX).map(BatchRow::shortId).collect(Collectors.joining(" "));
            long rows = batches.stream().mapToLong(b -> b.rowsRemoved() != null ? b.rowsRemoved()
                    : b.rowsUploaded() != null ? b.rowsUploaded() : b.rowsExported() != null ? b.rowsExported() : b.expectedRows()).sum();
            out.printf("  %s (%d, %s rows): %s%s%n", group.getKey(), batches.size(), Formats.count(rows), ids,
                    batches.size() > GROUP_LIST_MAX ? " … (--batches lists all)" : "");
        }
        if (listBatches && !view.batches().isEmpty()) {
            Table table = new Table("BATCH", "STATE", "IDS", "EXPECTED", "EXPORTED", "REMOVED", "BYTES", "OBJECT KEY");
            table.alignRight(3, 4, 5, 6);
            for (BatchRow b : view.batches()) {
                table.row(b.shortId(), b.state(), b.firstId() + ".." + b.lastId(), Formats.count(b.expectedRows()), count(b.rowsExported()),
                        count(b.rowsRemoved()), count(b.objectBytes()), b.objectKey() == null ? "-" : b.objectKey());
            }
            out.println();
            table.print(out);
        }
        out.flush();
    }

    /** What the safety rails recorded: the reason and what it says, the plan's figures, the confirmation. */
    private static void printRails(PrintWriter out, RunRow run) {
        RunRow.Rails rails = run.rails();
        if (rails.reason() != null) {
            out.printf("rails      %s: %s%n", rails.reason(), rails.reasonDetail());
        }
        if (rails.dateMinValue() != null && "REFUSED".equals(run.outcome())) {
            out.printf("dates seen %s .. %s%n", rails.dateMinValue(), rails.dateMaxValue());
        }
        if (rails.tableRows() != null) {
            out.printf("plan       %s of the table's %s rows (%s), dated %s .. %s%n", Formats.count(run.rowsFound()),
                    Formats.count(rails.tableRows()), rails.tableRows() == 0 ? "-"
                            : String.format(java.util.Locale.ROOT, "%.1f%%", 100.0 * run.rowsFound() / rails.tableRows()),
                    Formats.time(rails.oldestRowMs()), Formats.time(rails.newestEligibleMs()));
        }
        if (rails.confirmedBy() != null) {
            out.printf("confirmed  %s by %s%n", Formats.time(rails.confirmedAtMs()), rails.confirmedBy());
        }
        if (run.awaitingConfirmation()) {
            out.printf("confirm    archivectl trigger --confirm %s --wait   (nothing has been exported)%n", run.runId());
        }
    }

    private static String count(Long value) {
        return value == null ? "-" : Formats.count(value);
    }
}
