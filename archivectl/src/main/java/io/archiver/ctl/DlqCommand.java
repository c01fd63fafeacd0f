package io.archiver.ctl;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;

import io.archiver.ctl.cli.Archivectl;
import io.archiver.ctl.cli.ConnectionOptions;
import io.archiver.ctl.cli.UsageException;
import io.archiver.ctl.format.Formats;
import io.archiver.ctl.format.Json;
import io.archiver.ctl.kafka.KafkaAccess;
import io.archiver.events.Topics;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** The dead-letter topics: what failed, why, and sending it back. */
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

        List<String> dlqTopics() {
            if (topic == null) {
                return Topics.CONSUMED.stream().map(Topics::dlq).toList();
            }
            String source = topic.endsWith(Topics.DLQ_SUFFIX) ? topic.substring(0, topic.length() - Topics.DLQ_SUFFIX.length()) : topic;
            if (!Topics.CONSUMED.contains(source)) {
                throw new UsageException("--topic " + topic + " is not a consumed topic: use one of " + String.join(", ", Topics.CONSUMED));
            }
            return List.of(Topics.dlq(source));
        }

        boolean matches(DeadLetter letter) {
            String key = letter.key();
            if (run != null) {
                boolean byEvent = run.equals(letter.runId());
                boolean byKey = letter.runId() == null && key != null && (key.equals(run) || key.startsWith(run + "-"));
                if (!byEvent && !byKey) {
                    return false;
                }
            }
            if (batch != null) {
                String full = run != null && !batch.startsWith(run) ? run + "-" + batch : batch;
                String id = letter.batchId() != null ? letter.batchId() : key;
                if (id == null || !(id.equals(batch) || id.equals(full) || id.endsWith("-" + batch))) {
                    return false;
                }
            }
            if (reason != null) {
                String needle = reason.toLowerCase(Locale.ROOT);
                String haystack = (letter.reason() + " " + letter.cause() + " " + letter.exceptionClass()).toLowerCase(Locale.ROOT);
                if (!haystack.contains(needle)) {
                    return false;
                }
            }
            return true;
        }
    }

    /** The matching dead letters, and the dead letters already replayed (their origins, from the source topics' headers). */
    record Scan(List<DeadLetter> letters, Set<String> replayed, Map<String, List<TopicPartition>> sourcePartitions) {
    }

    static Scan scan(KafkaAccess kafka, Filters filters) {
        List<String> dlqTopics = filters.dlqTopics();
        List<TopicPartition> partitions = new ArrayList<>();
        kafka.partitions(dlqTopics, false).values().forEach(partitions::addAll);
        List<DeadLetter> letters = new ArrayList<>();
        kafka.readToEnd(partitions, record -> {
            DeadLetter letter = DeadLetter.of(record);
            if (filters.matches(letter)) {
                letters.add(letter);
            }
        });
        letters.sort(java.util.Comparator.comparing((DeadLetter l) -> l.record().topic()).thenComparingInt(l -> l.record().partition())
                .thenComparingLong(l -> l.record().offset()));
        Set<String> sources = new LinkedHashSet<>();
        letters.forEach(l -> sources.add(l.sourceTopic()));
        Map<String, List<TopicPartition>> sourcePartitions = sources.isEmpty() ? Map.of() : kafka.partitions(sources, false);
        Set<String> replayed = new HashSet<>();
        List<TopicPartition> sourceList = new ArrayList<>();
        sourcePartitions.values().forEach(sourceList::addAll);
        kafka.readToEnd(sourceList, record -> {
            for (Header header : record.headers().headers(DeadLetter.REPLAYED_FROM)) {
                replayed.add(new String(header.value(), StandardCharsets.UTF_8));
            }
        });
        return new Scan(letters, replayed, sourcePartitions);
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
            try (KafkaAccess kafka = new KafkaAccess(connection.settings())) {
                Scan scan = scan(kafka, filters);
                if (scan.letters().isEmpty() && !json) {
                    out.println("no dead letters" + (filters.topic != null ? " on " + filters.dlqTopics().get(0) : "")
                            + (filters.run != null || filters.batch != null || filters.reason != null ? " matching the filters" : ""));
                }
                for (DeadLetter letter : scan.letters()) {
                    boolean replayed = scan.replayed().contains(letter.origin());
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
                    long replayed = scan.letters().stream().filter(l -> scan.replayed().contains(l.origin())).count();
                    out.printf("%d dead letter(s), %d replayed already%n", scan.letters().size(), replayed);
                }
                out.flush();
                return Archivectl.OK;
            }
        }
    }

    @Command(name = "replay", mixinStandardHelpOptions = true, sortOptions = false,
            description = { "Publish matching dead letters again to their source topic, with their original key (and partition), value "
                    + "and headers, minus the dead-letter-* headers.",
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

        @Option(names = "--dry-run", description = "Print what would be sent; send nothing.")
        boolean dryRun;

        @Option(names = "--force", description = "Send dead letters that were replayed already once more.")
        boolean force;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            try (KafkaAccess kafka = new KafkaAccess(connection.settings())) {
                Scan scan = scan(kafka, filters);
                Set<String> done = new HashSet<>(force ? Set.of() : scan.replayed());
                int sent = 0;
                int skipped = 0;
                for (DeadLetter letter : scan.letters()) {
                    if (!done.add(letter.origin())) {
                        skipped++;
                        out.printf("skip     %s: replayed already (%s)%n", letter.coordinates(), letter.origin());
                        continue;
                    }
                    Integer partition = partition(letter, scan.sourcePartitions());
                    if (dryRun) {
                        out.printf("would send %s -> %s%s key=%s (%s)%n", letter.coordinates(), letter.sourceTopic(),
                                partition == null ? "" : " partition " + partition, orDash(letter.key()), describe(letter));
                        sent++;
                        continue;
                    }
                    RecordHeaders headers = new RecordHeaders();
                    for (Header header : letter.record().headers()) {
                        if (!header.key().startsWith(DeadLetter.PREFIX) && !header.key().equals(DeadLetter.REPLAYED_FROM)) {
                            headers.add(header);
                        }
                    }
                    headers.add(DeadLetter.REPLAYED_FROM, letter.origin().getBytes(StandardCharsets.UTF_8));
                    RecordMetadata metadata = kafka.send(new ProducerRecord<>(letter.sourceTopic(), partition, null, letter.record().key(),
                            letter.record().value(), headers));
                    sent++;
                    out.printf("sent     %s -> %s/%d/%d key=%s (%s)%n", letter.coordinates(), metadata.topic(), metadata.partition(),
                            metadata.offset(), orDash(letter.key()), describe(letter));
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

        /** The partition the record failed on, where the source topic still has it; else the key decides. */
        private static Integer partition(DeadLetter letter, Map<String, List<TopicPartition>> sourcePartitions) {
            Integer partition = letter.sourcePartition();
            List<TopicPartition> partitions = sourcePartitions.getOrDefault(letter.sourceTopic(), List.of());
            if (partition == null || partitions.stream().noneMatch(tp -> tp.partition() == partition)) {
                return null;
            }
            return partition;
        }

        private static String describe(DeadLetter letter) {
            Map<String, String> parts = new LinkedHashMap<>();
            parts.put("event", letter.type() == null ? "not an event" : letter.type());
            if (letter.runId() != null) {
                parts.put("run", letter.runId());
            }
            if (letter.batchId() != null) {
                parts.put("batch", letter.batchId());
            }
            return String.join(" ", parts.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList());
        }
    }

    private static String orDash(Object value) {
        return value == null ? "-" : String.valueOf(value);
    }
}
