package io.archiver.ctl;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;

import io.archiver.ctl.cli.Archivectl;
import io.archiver.ctl.cli.ConnectionOptions;
import io.archiver.ctl.cli.CtlException;
import io.archiver.ctl.cli.DurationConverter;
import io.archiver.ctl.cli.Settings;
import io.archiver.ctl.cli.UsageException;
import io.archiver.ctl.format.Formats;
import io.archiver.ctl.format.Json;
import io.archiver.operations.kafka.KafkaAccess;
import io.archiver.ctl.ledger.Ledger;
import io.archiver.operations.runs.RunRow;
import io.archiver.operations.runs.RunView;
import io.archiver.events.ArchiveEvent;
import io.archiver.events.ArchiveMode;
import io.archiver.events.ArchiveRequested;
import io.archiver.events.ArchiveRunAwaitingConfirmation;
import io.archiver.events.ArchiveRunCompleted;
import io.archiver.events.ArchiveRunConfirmed;
import io.archiver.events.EventCodec;
import io.archiver.events.EventDecodingException;
import io.archiver.events.RunOutcome;
import io.archiver.events.RunPlan;
import io.archiver.events.RunStatistics;
import io.archiver.events.SchemaVersion;
import io.archiver.events.Topics;
import io.archiver.events.kafka.ArchiveEventSerializer;
import io.archiver.operations.OperationRefused;
import io.archiver.operations.deadletters.DeadLetter;
import io.archiver.operations.requests.RequestPublisher;
import io.archiver.operations.requests.RunOrder;
import io.archiver.operations.requests.RunRequests;
import io.archiver.operations.requests.Slots;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Publishes an ArchiveRequested (or, with {@code --confirm}, an ArchiveRunConfirmed) and, with {@code --wait}, follows the run
 * to its ArchiveRunCompleted, or to the safety rail that holds it.
 */
@Command(name = "trigger", mixinStandardHelpOptions = true, sortOptions = false,
        description = { "Request an archival run: publish an ArchiveRequested to archive.requests (key = run id, acks=all) and print "
                + "the run id.",
                "The cutoff is computed once, here: now minus --min-age. With --wait, wait for the run's ArchiveRunCompleted on "
                        + "archive.runs, print its statistics, and exit 1 unless it SUCCEEDED. A run a safety rail holds after planning "
                        + "(docs/safety-rails.md) prints its plan and why, and exits 3: confirm it with --confirm RUN." },
        footer = { "", "Examples:", "  archivectl trigger --wait", "  archivectl trigger --schedule-slot auto --wait PT2H     (a CronJob)",
                "  archivectl trigger --policy run --min-age P90D --mode MOVE --dry-run",
                "  archivectl trigger --confirm run-20261123T105258Z-5f3725ea --wait     (a run that awaits confirmation)" })
public class TriggerCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ConnectionOptions connection;

    @Option(names = "--policy", paramLabel = "POLICY|all", defaultValue = "run", description = "The archival policy (default: ${DEFAULT-VALUE}); "
            + "'all': one run for every enabled policy of the control database, each with its own table, mode and minimum age "
            + "(needs the ledger settings).")
    String policy;

    @Option(names = "--table", paramLabel = "TABLE", description = "The table; the policy must name it (default: the policy's name).")
    String table;

    @Option(names = "--min-age", paramLabel = "DURATION", defaultValue = "P60D", converter = DurationConverter.class,
            description = "Rows older than this are archived: cutoff = now - min-age (default: ${DEFAULT-VALUE}). The services "
                    + "refuse a cutoff younger than the policy's minimum age.")
    Duration minAge;

    @Option(names = "--mode", paramLabel = "DELETE|MOVE",
            description = "DELETE the archived rows, or MOVE them to the archive table (default: the policy's mode, read from the "
                    + "control database; a mode that differs from it is refused). Required without the control database settings.")
    ArchiveMode mode;

    @Option(names = "--dry-run", description = "Plan and count only: nothing is exported, uploaded or removed.")
    boolean dryRun;

    @Option(names = "--schedule-slot", paramLabel = "SLOT|auto",
            description = "The schedule slot this trigger fires for; a second request for the same policy and slot joins the first "
                    + "one's run. 'auto': the current time rounded down to --slot-length (2026-11-23 for daily slots).")
    String scheduleSlot;

    @Option(names = "--slot-length", paramLabel = "DURATION", defaultValue = "PT24H", converter = DurationConverter.class,
            description = "Length of an 'auto' schedule slot, whole minutes (default: ${DEFAULT-VALUE}).")
    Duration slotLength;

    @Option(names = "--run-id", paramLabel = "ID", description = "The run id (default: run-<yyyyMMdd'T'HHmmss'Z'>-<8 hex>).")
    String runId;

    @Option(names = "--requested-by", paramLabel = "WHO", description = "Who asks, recorded in the ledger (default: archivectl:<user>).")
    String requestedBy;

    @Option(names = "--wait", paramLabel = "DURATION", arity = "0..1", fallbackValue = "PT1H", converter = DurationConverter.class,
            description = "Wait for the run to complete, at most DURATION (default PT1H), print its statistics; exit 1 unless it SUCCEEDED.")
    Duration wait;

    @Option(names = "--json", description = "Print the request (and the completion) as JSON.")
    boolean json;

    @Option(names = "--confirm", paramLabel = "RUN",
            description = "Confirm RUN, a run that awaits confirmation (planned, nothing exported yet): publish an ArchiveRunConfirmed "
                    + "for it instead of a request; the scanner then publishes its batches. Confirming a run that does not await "
                    + "confirmation changes nothing.")
    String confirmRunId;

    Clock clock = Clock.systemUTC();

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Settings settings = connection.settings();
        if (confirmRunId != null) {
            return confirm(out, err, settings);
        }
        Instant now = clock.instant();
        if (ALL.equals(policy)) {
            return triggerAll(out, err, settings, now);
        }
        ArchiveRequested request = request(now, policyOf(settings));
        try (KafkaAccess kafka = settings.kafka()) {
            RequestPublisher.Published sent = publisher(kafka).publish(request);
            byte[] value = sent.value();
            if (json && wait == null) {
                Map<String, Object> doc = new LinkedHashMap<>();
                doc.put("runId", request.runId());
                doc.put("request", Json.tree(value));
                out.println(Json.pretty(doc));
            } else if (!json) {
                out.println(request.runId());
            }
            out.flush();
            err.printf("requested run %s: policy %s, table %s, mode %s%s, cutoff %s%s (%s-%d@%d)%n", request.runId(), request.policy(),
                    request.table(), request.mode(), request.dryRun() ? ", dry run" : "", Formats.time(request.cutoffEpochMs()),
                    request.scheduleSlot() == null ? "" : ", schedule slot " + request.scheduleSlot(), sent.topic(), sent.partition(),
                    sent.offset());
            err.flush();
            if (wait == null) {
                return Archivectl.OK;
            }
            ArchiveEvent end = awaitEnd(kafka, settings, request.runId(), request.policy(), request.scheduleSlot(), true, err);
            return report(out, err, settings, "request", value, end, request.dryRun());
        }
    }

    static final String ALL = "all";

    /** {@code --policy all}: a request per enabled policy, published one after the other; with --wait, each run followed to its end. */
    private int triggerAll(PrintWriter out, PrintWriter err, Settings settings, Instant now) {
        for (String option : List.of("--run-id", "--table")) {
            if (spec.commandLine().getParseResult().hasMatchedOption(option)) {
                throw new UsageException("--policy all triggers every enabled policy with its own table and run id: " + option
                        + " does not go with it");
            }
        }
        List<io.archiver.policy.StoredPolicy> policies;
        try (java.sql.Connection jdbc = Ledger.connect(settings, true)) {
            policies = new io.archiver.policy.PolicyStore(jdbc).list();
        } catch (java.sql.SQLException e) {
            throw new CtlException("cannot close the control database connection: " + e.getMessage());
        }
        List<ArchiveRequested> requests = requestsForAll(policies, now);
        if (requests.isEmpty()) {
            throw new CtlException("no enabled policy in the control database: see 'archivectl policy list'");
        }
        int worst = Archivectl.OK;
        try (KafkaAccess kafka = settings.kafka()) {
            for (ArchiveRequested request : requests) {
                RequestPublisher.Published sent = publisher(kafka).publish(request);
                out.println(request.runId());
                out.flush();
                err.printf("requested run %s: policy %s, table %s, mode %s%s, cutoff %s (%s-%d@%d)%n", request.runId(), request.policy(),
                        request.table(), request.mode(), request.dryRun() ? ", dry run" : "", Formats.time(request.cutoffEpochMs()),
                        sent.topic(), sent.partition(), sent.offset());
                err.flush();
            }
            if (wait == null) {
                return Archivectl.OK;
            }
            for (ArchiveRequested request : requests) {
                ArchiveEvent end = awaitEnd(kafka, settings, request.runId(), request.policy(), request.scheduleSlot(), true, err);
                int code = report(out, err, settings, "request", new ArchiveEventSerializer().serialize(Topics.REQUESTS, request), end,
                        request.dryRun());
                worst = Math.max(worst, code);
            }
        }
        return worst;
    }

    /**
     * The requests of {@code --policy all}: one per enabled policy, with its table, its mode (a --mode must be each policy's own) and
     * its minimum age unless --min-age is given (a --min-age younger than a policy's own is raised to it: the services would refuse
     * that cutoff).
     */
    List<ArchiveRequested> requestsForAll(List<io.archiver.policy.StoredPolicy> policies, Instant now) {
        boolean minAgeGiven = spec != null && spec.commandLine().getParseResult().hasMatchedOption("--min-age");
        String by = requestedBy != null ? requestedBy : "archivectl:" + System.getProperty("user.name", "unknown");
        try {
            return RunRequests.forEveryPolicy(policies, new RunOrder(ALL, null, minAgeGiven ? minAge : null, mode,
                    dryRun, scheduleSlot, slotLength, null, by), now);
        } catch (OperationRefused e) {
            throw new UsageException(e.field() == null ? e.reason() : option(e.field()) + " " + e.reason());
        }
    }

    /** {@code --confirm RUN}: publishes the confirmation, and with {@code --wait} follows the run to its completion. */
    private int confirm(PrintWriter out, PrintWriter err, Settings settings) {
        for (String option : List.of("--run-id", "--dry-run", "--schedule-slot", "--min-age", "--mode", "--policy", "--table")) {
            if (spec.commandLine().getParseResult().hasMatchedOption(option)) {
                throw new UsageException("--confirm RUN confirms a run already requested: " + option + " does not go with it");
            }
        }
        String by = requestedBy != null ? requestedBy : "archivectl:" + System.getProperty("user.name", "unknown");
        ArchiveRunConfirmed confirmation;
        try {
            confirmation = RunRequests.confirmation(confirmRunId, by);
        } catch (OperationRefused e) {
            throw new UsageException("--confirm: " + e.reason());
        }
        try (KafkaAccess kafka = settings.kafka()) {
            RequestPublisher.Published sent = publisher(kafka).publish(confirmation);
            byte[] value = sent.value();
            if (!json) {
                out.println(confirmation.runId());
                out.flush();
            }
            err.printf("confirmed run %s as %s (%s-%d@%d)%n", confirmation.runId(), confirmation.requestedBy(), sent.topic(), sent.partition(),
                    sent.offset());
            err.flush();
            if (wait == null) {
                if (json) {
                    out.println(Json.pretty(Map.of("runId", confirmation.runId(), "confirmation", Json.tree(value))));
                    out.flush();
                }
                return Archivectl.OK;
            }
            // the hold announced before this confirmation is not an answer to it: only the completion is
            ArchiveEvent end = awaitEnd(kafka, settings, confirmation.runId(), null, null, false, err);
            return report(out, err, settings, "confirmation", value, end, false);
        }
    }

    /** Prints how the run ended (or that it awaits confirmation) and returns the exit code. */
    private int report(PrintWriter out, PrintWriter err, Settings settings, String sentName, byte[] sent, ArchiveEvent end, boolean dryRun) {
        if (json) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("runId", end.runId());
            doc.put(sentName, Json.tree(sent));
            doc.put(end instanceof ArchiveRunAwaitingConfirmation ? "awaitingConfirmation" : "completion", Json.tree(EventCodec.encode(end)));
            out.println(Json.pretty(doc));
        }
        if (end instanceof ArchiveRunAwaitingConfirmation held) {
            if (!json) {
                printAwaiting(out, held);
            }
            out.flush();
            err.printf("run %s awaits confirmation (%s): nothing has been exported; go on with 'archivectl trigger --confirm %s --wait',"
                    + " or change the policy (docs/safety-rails.md)%n", held.runId(), held.reason(), held.runId());
            err.flush();
            return Archivectl.AWAITING_CONFIRMATION;
        }
        ArchiveRunCompleted done = (ArchiveRunCompleted) end;
        if (!json) {
            printCompletion(out, done);
            if (dryRun) {
                printEstimate(out, settings, done);
            }
        }
        out.flush();
        if (done.outcome() != RunOutcome.SUCCEEDED) {
            err.printf("run %s ended %s%s: see 'archivectl status %s' and 'archivectl events %s'%n", done.runId(), done.outcome(),
                    done.reason() == null ? "" : " (" + done.reason() + ")", done.runId(), done.runId());
            err.flush();
            return Archivectl.FAILED;
        }
        return Archivectl.OK;
    }

    /**
     * The policy as the control database holds it, whose mode a run takes unless --mode is given; null without the control
     * database's settings, where --mode is then required (the CronJob gives it).
     */
    private io.archiver.policy.PolicySpec policyOf(Settings settings) {
        if (!settings.hasLedger()) {
            if (mode == null) {
                throw new UsageException("--mode is required without the control database settings (" + Settings.ENV_DB_URL + ", "
                        + Settings.ENV_DB_USER + ", " + Settings.ENV_DB_PASSWORD + "): give them, and the run takes the policy's mode, or give"
                        + " --mode DELETE|MOVE as policy " + policy + " says");
            }
            return null;
        }
        try (java.sql.Connection jdbc = Ledger.connect(settings, true)) {
            return new io.archiver.policy.PolicyStore(jdbc).find(policy).map(io.archiver.policy.StoredPolicy::spec)
                    .orElseThrow(() -> new UsageException("--policy: no policy named '" + policy + "' in the control database; see "
                            + "'archivectl policy list'"));
        } catch (java.sql.SQLException e) {
            throw new CtlException("cannot close the control database connection: " + e.getMessage());
        }
    }

    ArchiveRequested request(Instant now, io.archiver.policy.PolicySpec stored) {
        String by = requestedBy != null ? requestedBy : "archivectl:" + System.getProperty("user.name", "unknown");
        try {
            return RunRequests.request(new RunOrder(policy, table, minAge, mode, dryRun, scheduleSlot, slotLength, runId, by), stored, now);
        } catch (OperationRefused e) {
            throw new UsageException(e.field() == null ? e.reason() : option(e.field()) + " " + e.reason());
        }
    }

    /** The option a refused field of the order came from: {@code minAge} is {@code --min-age}. */
    static String option(String field) {
        return "--" + field.replaceAll("([A-Z])", "-$1").toLowerCase(java.util.Locale.ROOT);
    }

    static String newRunId(Instant now) {
        return RunRequests.newRunId(now);
    }

    /** The shared publisher of requests, sending with archivectl's producer. */
    private static RequestPublisher publisher(KafkaAccess kafka) {
        return new RequestPublisher((topic, key, value) -> {
            RecordMetadata sent = kafka.send(new ProducerRecord<>(topic, key, value));
            return new RequestPublisher.Published(sent.topic(), sent.partition(), sent.offset(), value);
        });
    }

    /**
     * Reads archive.runs from its beginning until the completion of the run appears (or, with {@code stopWhenHeld}, the
     * announcement that it awaits confirmation). When the request named a schedule slot that another run already holds, the
     * scanner joins it to that run: the ledger tells which, and that run's end is the answer.
     */
    private ArchiveEvent awaitEnd(KafkaAccess kafka, Settings settings, String runId, String policy, String scheduleSlot, boolean stopWhenHeld,
            PrintWriter err) {
        Set<String> wanted = new HashSet<>(Set.of(runId));
        Map<String, String> lastProgress = new java.util.HashMap<>();
        long deadline = System.nanoTime() + wait.toNanos();
        long nextLedgerLook = System.nanoTime() + Duration.ofSeconds(2).toNanos();
        long nextProgress = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        Ledger ledger = null;
        boolean ledgerFailed = !settings.hasLedger();
        List<TopicPartition> partitions = new java.util.ArrayList<>(kafka.partitions(List.of(Topics.RUNS), true).get(Topics.RUNS));
        // a request the scanner refuses (a table no policy names, a cutoff too young) is dead-lettered, not completed
        String requestsDlq = Topics.dlq(Topics.REQUESTS);
        partitions.addAll(kafka.partitions(List.of(requestsDlq), false).getOrDefault(requestsDlq, List.of()));
        try (KafkaConsumer<byte[], byte[]> consumer = kafka.consumer()) {
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            while (true) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    if (record.topic().equals(requestsDlq)) {
                        if (record.key() != null && new String(record.key(), StandardCharsets.UTF_8).equals(runId)) {
                            DeadLetter letter = DeadLetter.of(record);
                            throw new CtlException("the scanner refused the request: it is on " + letter.coordinates() + " with reason: "
                                    + letter.reason() + " (see 'archivectl dlq list --run " + runId + "')");
                        }
                        continue;
                    }
                    ArchiveEvent event;
                    try {
                        event = EventCodec.decode(record.value());
                    } catch (EventDecodingException e) {
                        continue;
                    }
                    if (event instanceof ArchiveRunCompleted done && wanted.contains(done.runId())) {
                        return done;
                    }
                    if (stopWhenHeld && event instanceof ArchiveRunAwaitingConfirmation held && wanted.contains(held.runId())) {
                        return held;
                    }
                }
                long now = System.nanoTime();
                if (now > deadline) {
                    throw new CtlException("run " + String.join(" / ", wanted) + " did not complete within " + wait + ": see 'archivectl status "
                            + runId + "' and 'archivectl events " + runId + "'");
                }
                if (!ledgerFailed && (now > nextLedgerLook || now > nextProgress)) {
                    try {
                        if (ledger == null) {
                            ledger = Ledger.open(settings);
                        }
                        if (scheduleSlot != null && now > nextLedgerLook) {
                            Optional<RunRow> slotRun = ledger.runOfSlot(policy, scheduleSlot);
                            if (slotRun.isPresent() && wanted.add(slotRun.get().runId())) {
                                err.printf("schedule slot %s of policy %s is already run %s: following that run%n", scheduleSlot,
                                        policy, slotRun.get().runId());
                                err.flush();
                                // its completion may be behind the records read so far
                                consumer.seekToBeginning(partitions);
                            }
                        }
                        if (now > nextProgress) {
                            for (String id : wanted) {
                                Optional<RunRow> run = ledger.run(id);
                                if (run.isPresent()) {
                                    RunView view = new RunView(run.get(), ledger.batches(id), ledger.throttlePauses(id));
                                    String line = String.format("run %s: %s, %s%s", id, run.get().state(),
                                            view.progress(System.currentTimeMillis()).render(), view.throttledMs() == 0 ? ""
                                                    : ", throttled " + Formats.elapsed(Duration.ofMillis(view.throttledMs())) + " for the database's health");
                                    if (!line.equals(lastProgress.get(id))) {
                                        err.println(line);
                                        err.flush();
                                        lastProgress.put(id, line);
                                    }
                                }
                            }
                            nextProgress = now + Duration.ofSeconds(15).toNanos();
                        }
                    } catch (RuntimeException e) {
                        err.println("(cannot follow the run in the ledger: " + Archivectl.describe(e) + ")");
                        err.flush();
                        ledgerFailed = true;
                    }
                    nextLedgerLook = now + Duration.ofSeconds(2).toNanos();
                }
            }
        } finally {
            if (ledger != null) {
                ledger.close();
            }
        }
    }

    /** A dry run counts rows and ranges; with the ledger settings it also estimates the bytes from the table's average row length. */
    static void printEstimate(PrintWriter out, Settings settings, ArchiveRunCompleted done) {
        if (!settings.hasLedger()) {
            out.println("  dry run: nothing exported or removed (give the ledger settings for a size estimate)");
            return;
        }
        try (Ledger ledger = Ledger.open(settings)) {
            long average = ledger.averageRowLength(done.table()).orElse(0L);
            out.printf("  dry run: nothing exported or removed; %s rows in %s ranges, about %s of table data (%s bytes a row)%n",
                    Formats.count(done.stats().rowsFound()), Formats.count(done.stats().batches()),
                    Formats.bytes(average * done.stats().rowsFound()), Formats.count(average));
        }
    }

    static void printCompletion(PrintWriter out, ArchiveRunCompleted done) {
        RunStatistics s = done.stats();
        out.printf("run %s completed: %s in %s%n", done.runId(), done.outcome(), Formats.elapsed(Duration.ofMillis(s.durationMs())));
        out.printf("  policy %s, table %s, mode %s, cutoff %s%n", done.policy(), done.table(), done.mode(), Formats.time(done.cutoffEpochMs()));
        out.printf("  rows found %s, exported %s, uploaded %s, removed %s, failed %s%s%n", Formats.count(s.rowsFound()),
                Formats.count(s.rowsExported()), Formats.count(s.rowsUploaded()), Formats.count(s.rowsRemoved()), Formats.count(s.rowsFailed()),
                keptAndMissing(s.counts(), 0));
        out.printf("  batches %s (failed %s), objects %s, %s%n", Formats.count(s.batches()), Formats.count(s.batchesFailed()),
                Formats.count(s.objects()), Formats.bytes(s.bytesUploaded()));
        if (done.manifestKey() != null) {
            out.printf("  manifest %s%n", done.manifestKey());
        }
        if (done.reason() != null) {
            out.printf("  %s: %s%n", done.reason(), done.detail());
        }
    }

    /**
     * What follows "failed N" in the rows line: the rows kept (and why) and missing, and those still pending, when there are
     * any; with them found = removed + failed + kept + missing + pending (docs/live-tables.md).
     */
    static String keptAndMissing(io.archiver.events.RowCounts counts, long pending) {
        StringBuilder text = new StringBuilder();
        if (counts.kept() + counts.missing() > 0) {
            text.append(String.format(", kept %s (changed %s, not in object %s), missing %s", Formats.count(counts.kept()),
                    Formats.count(counts.keptChanged()), Formats.count(counts.keptNotInObject()), Formats.count(counts.missing())));
        }
        if (pending > 0) {
            text.append(", pending ").append(Formats.count(pending));
        }
        return text.toString();
    }

    /** A run a safety rail holds: why, and its plan. */
    static void printAwaiting(PrintWriter out, ArchiveRunAwaitingConfirmation held) {
        RunPlan plan = held.plan();
        out.printf("run %s awaits confirmation: %s%n", held.runId(), held.reason());
        out.printf("  policy %s, table %s, mode %s, cutoff %s%n", held.policy(), held.table(), held.mode(), Formats.time(held.cutoffEpochMs()));
        out.printf(java.util.Locale.ROOT, "  plan: %s rows in %s %s (ids %d..%d), %.1f%% of the table's %s rows, dated %s .. %s%n",
                Formats.count(plan.eligibleRows()), Formats.count(plan.batches()), plan.batches() == 1 ? "batch" : "batches", plan.firstId(),
                plan.lastId(), plan.share() * 100,
                Formats.count(plan.tableRows()), Formats.time(plan.oldestEligible()), Formats.time(plan.newestEligible()));
        out.printf("  why: %s%n", held.detail());
        out.printf("  nothing has been exported; to go on: archivectl trigger --confirm %s --wait%n", held.runId());
    }
}
