package io.archiver.ctl;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;

import io.archiver.ctl.cli.Archivectl;
import io.archiver.ctl.cli.ConnectionOptions;
import io.archiver.ctl.cli.UsageException;
import io.archiver.ctl.format.Formats;
import io.archiver.ctl.format.Json;
import io.archiver.operations.OperationRefused;
import io.archiver.operations.deadletters.DeadLetter;
import io.archiver.operations.deadletters.DeadLetterFilter;
import io.archiver.operations.deadletters.DeadLetters;
import io.archiver.operations.deadletters.DeadLetters.Outcome;
import io.archiver.operations.kafka.KafkaAccess;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** The dead-letter topics: what failed, why, and sending it back, through {@link DeadLetters} (as the API's). */
@Command(name = "dlq", mixinStandardHelpOptions = true,
        description = { "List and replay dead letters: the records a service could not handle, on <topic>.dlq for every consumed topic "
                + "(archive.requests, .batches, .shards, .uploads, .completions), with the reason the service gave." },
        subcommands = { DlqCommand.ListCommand.class, DlqCommand.ReplayDeadLetters.class, CommandLine.HelpCommand.class })
public class DlqCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a dlq command is required: list or replay");
    }

    /** The filters both subcommands take. */
    public static final class Filters {

        @Option(names = "--topic", paramLabel = "TOPIC",
                description = "Only this source topic (or its .dlq topic): one of archive.requests, archive.batches, archive.shards, "
                        + "archive.uploads, archive.completions. Default: all.")
        String topic;

        @Option(names = "--run", paramLabel = "RUN", description = "Only records of this run (decoded runId, else the record key).")
        String run;

        @Option(names = "--batch", paramLabel = "BATCH",
                description = "Only records of this batch: its id, or its short name (b000003) with --run; matched against the decoded "
                        + "batchId, else the record key.")
        String batch;

        @Option(names = "--reason", paramLabel = "TEXT", description = "Only records whose reason, cause or exception class contains TEXT (any case).")
        String reason;

        DeadLetterFilter filter() {
            DeadLetterFilter filter = new DeadLetterFilter(topic, run, batch, reason);
            try {
                filter.dlqTopics();
            } catch (OperationRefused e) {
                throw new UsageException("--" + e.field() + " " + e.reason());
            }
            return filter;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, sortOptions = false,
            description = { "List dead letters: where each came from (topic, partition, offset), the reason and cause from its headers, "
                    + "the run and batch its payload names where it can be read, and whether it was replayed already." },
            footer = { "", "Example:", "  archivectl dlq list --topic archive.batches --reason ROWS_CHANGED" })
    public static class ListCommand implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Mixin
        ConnectionOptions connection;

        @Mixin
        Filters filters;

        @Option(names = "--json", description = "One JSON object per line.")
        boolean json;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            DeadLetterFilter filter = filters.filter();
            DeadLetters.Scan scan;
            try (KafkaAccess kafka = connection.settings().kafka()) {
                scan = new DeadLetters(kafka).scan(filter);
            }
            if (scan.letters().isEmpty() && !json) {
                out.println("no dead letters" + (filter.topic() != null ? " on " + filter.dlqTopics().get(0) : "")
                        + (filter.any() ? " matching the filters" : ""));
            }
            for (DeadLetter letter : scan.letters()) {
                boolean replayed = scan.replayed(letter);
                if (json) {
                    out.println(Json.line(letter.toJson(replayed)));
                    continue;
                }
                out.printf("%s  %s  from %s/%s/%s  key=%s%n", letter.coordinates(), Formats.time(letter.record().timestamp()),
                        letter.sourceTopic(), orDash(letter.sourcePartition()), orDash(letter.sourceOffset()), orDash(letter.key()));
                out.printf("    event   %s  run=%s  batch=%s%n", letter.type() == null ? "(not an event)" : letter.type(), orDash(letter.runId()),
                        orDash(letter.batchId()));
                out.printf("    reason  %s%n", Formats.oneLine(letter.reason(), 300));
                if (letter.cause() != null) {
                    out.printf("    cause   %s%n", Formats.oneLine(letter.cause(), 300));
                }
                if (letter.decodeError() != null) {
                    out.printf("    payload %s (%d bytes)%n", letter.payloadPreview(120), letter.record().value() == null ? 0
                            : letter.record().value().length);
                }
                out.printf("    replay  %s%n", letter.replayedFrom() != null
                        ? "failed again after its replay from " + letter.origin() + (replayed ? "; 'dlq replay --force' sends it once more" : "")
                        : replayed ? "replayed already (" + DeadLetter.REPLAYED_FROM + ": " + letter.origin() + ")" : "not replayed");
            }
            if (!json && !scan.letters().isEmpty()) {
                long replayed = scan.letters().stream().filter(scan::replayed).count();
                out.printf("%d dead letter(s), %d replayed already%n", scan.letters().size(), replayed);
            }
            out.flush();
            return Archivectl.OK;
        }
    }

    @Command(name = "replay", mixinStandardHelpOptions = true, sortOptions = false,
            description = { "Publish matching dead letters again to their source topic, with their original key (and partition), value "
                    + "and headers, minus the dead-letter-* headers, plus " + DeadLetters.REPLAYED_BY + ": <actor>.",
                    "Idempotent across invocations: every record sent carries the header " + DeadLetter.REPLAYED_FROM
                            + ": <dlq-topic>/<partition>/<offset>, and a dead letter whose coordinates already appear in such a header on "
                            + "its source topic is skipped. A replayed record that fails again comes back to the dead-letter topic with that "
                            + "header and is skipped too: use --force to send it once more (after fixing the cause)." },
            footer = { "", "Examples:", "  archivectl dlq replay --topic archive.uploads \\",
                    "      --run run-20261123T105258Z-5f3725ea --dry-run",
                    "  archivectl dlq replay --reason 'Connection refused'" })
    public static class ReplayDeadLetters implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Mixin
        ConnectionOptions connection;

        @Mixin
        Filters filters;

        @Mixin
        PolicyCommand.ActorOption actor;

        @Option(names = "--dry-run", description = "Print what would be sent; send nothing.")
        boolean dryRun;

        @Option(names = "--force", description = "Send dead letters that were replayed already once more.")
        boolean force;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            DeadLetterFilter filter = filters.filter();
            List<Outcome> outcomes;
            try (KafkaAccess kafka = connection.settings().kafka()) {
                outcomes = new DeadLetters(kafka).replay(filter, force, dryRun, actor.resolve(spec));
            }
            int sent = 0;
            int skipped = 0;
            for (Outcome outcome : outcomes) {
                DeadLetter letter = outcome.letter();
                switch (outcome.action()) {
                    case SKIPPED -> {
                        skipped++;
                        out.printf("skip     %s: replayed already (%s)%n", letter.coordinates(), letter.origin());
                    }
                    case WOULD_SEND -> {
                        sent++;
                        out.printf("would send %s -> %s%s key=%s (%s)%n", letter.coordinates(), outcome.topic(),
                                outcome.partition() == null ? "" : " partition " + outcome.partition(), orDash(letter.key()), outcome.describe());
                    }
                    case SENT -> {
                        sent++;
                        out.printf("sent     %s -> %s/%d/%d key=%s (%s)%n", letter.coordinates(), outcome.topic(), outcome.partition(),
                                outcome.offset(), orDash(letter.key()), outcome.describe());
                    }
                }
            }
            if (dryRun) {
                out.printf("dry run: would replay %d dead letter(s), %d skipped as replayed already; nothing sent%n", sent, skipped);
            } else {
                out.printf("replayed %d dead letter(s), %d skipped as replayed already%n", sent, skipped);
            }
            out.flush();
            return Archivectl.OK;
        }
    }

    private static String orDash(Object value) {
        return value == null ? "-" : String.valueOf(value);
    }
}
