package io.archiver.ctl;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.errors.UnknownMemberIdException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;

import io.archiver.ctl.cli.Archivectl;
import io.archiver.ctl.cli.ConnectionOptions;
import io.archiver.ctl.cli.CtlException;
import io.archiver.ctl.cli.InstantConverter;
import io.archiver.ctl.cli.UsageException;
import io.archiver.ctl.format.Formats;
import io.archiver.ctl.kafka.KafkaAccess;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Makes a service consume a topic partition again from an offset or a time. */
@Command(name = "replay", mixinStandardHelpOptions = true, sortOptions = false,
        description = { "Replay one topic partition for one consumer group from an offset, or from the first record at or after a time.",
                "Resets the group's committed offset of TOPIC-PARTITION, so that the service consumes the records again. The group must "
                        + "have no active members (stop or scale down its service first); while it has, the command refuses, unless "
                        + "--republish is given: then the records from that offset to the partition's current end are published again "
                        + "onto the same topic and partition with their keys and headers, and the running service consumes the copies.",
                "Safe to run any number of times: every handler is idempotent." },
        footer = { "", "Examples:",
                "  archivectl replay --topic archive.uploads --partition 2 \\",
                "      --group archiver-deleter --from-offset 1200 --dry-run",
                "  archivectl replay --topic archive.batches --partition 0 \\",
                "      --group archiver-exporter --from-timestamp 2026-11-23T10:00:00Z",
                "  archivectl replay --topic archive.shards --partition 1 \\",
                "      --group archiver-uploader --from-offset 0 --republish" })
public class ReplayCommand implements Callable<Integer> {

    /** Set on records published again by {@code --republish}: where they were copied from, {@code topic/partition/offset}. */
    public static final String REPUBLISHED_FROM_HEADER = "archiver-republished-from";

    @Spec
    CommandSpec spec;

    @Mixin
    ConnectionOptions connection;

    @Option(names = "--topic", paramLabel = "TOPIC", required = true, description = "The topic.")
    String topic;

    @Option(names = "--partition", paramLabel = "N", required = true, description = "The partition of the topic.")
    int partition;

    @Option(names = "--group", paramLabel = "GROUP", required = true,
            description = "The consumer group, e.g. archiver-scanner, archiver-exporter, archiver-uploader, archiver-deleter.")
    String group;

    @ArgGroup(exclusive = true, multiplicity = "1")
    From from;

    static final class From {
        @Option(names = "--from-offset", paramLabel = "OFFSET", required = true, description = "The first offset to consume again.")
        Long offset;

        @Option(names = "--from-timestamp", paramLabel = "ISO", required = true, converter = InstantConverter.class,
                description = "The first record at or after this time (ISO-8601, e.g. 2026-11-23T10:00:00Z).")
        Instant timestamp;
    }

    @Option(names = "--republish", description = "Publish the records again instead of resetting the offset (works while the group is active).")
    boolean republish;

    @Option(names = "--dry-run", description = "Print what would be done; change nothing.")
    boolean dryRun;

    @Override
    public Integer call() {
        if (from == null) {
            throw new UsageException("give --from-offset OFFSET or --from-timestamp ISO");
        }
        if (partition < 0) {
            throw new UsageException("--partition must not be negative");
        }
        if (from.offset != null && from.offset < 0) {
            throw new UsageException("--from-offset must not be negative");
        }
        PrintWriter out = spec.commandLine().getOut();
        try (KafkaAccess kafka = new KafkaAccess(connection.settings())) {
            List<TopicPartition> partitions = kafka.partitions(List.of(topic), true).get(topic);
            TopicPartition tp = new TopicPartition(topic, partition);
            if (!partitions.contains(tp)) {
                throw new CtlException("topic " + topic + " has no partition " + partition + " (it has " + partitions.size() + ", 0.."
                        + (partitions.size() - 1) + ")");
            }
            long start;
            long end;
            long target;
            try (KafkaConsumer<byte[], byte[]> consumer = kafka.consumer()) {
                start = consumer.beginningOffsets(List.of(tp)).get(tp);
                end = consumer.endOffsets(List.of(tp)).get(tp);
                if (from.offset != null) {
                    target = from.offset;
                    if (target > end) {
                        throw new CtlException("offset " + target + " is past the end of " + tp + " (" + end + ")");
                    }
                    if (target < start) {
                        out.printf("offset %d is before the first offset of %s still kept, %d: replaying from %d%n", target, tp, start, start);
                        target = start;
                    }
                } else {
                    OffsetAndTimestamp found = consumer.offsetsForTimes(Map.of(tp, from.timestamp.toEpochMilli())).get(tp);
                    target = found == null ? end : found.offset();
                    out.printf("first record of %s at or after %s: %s%n", tp, Formats.time(from.timestamp),
                            found == null ? "none (offset " + end + ", the end)" : "offset " + found.offset() + " (" + Formats.time(found.timestamp()) + ")");
                }
            }
            long records = end - target;
            if (republish) {
                return republish(kafka, tp, target, end, out);
            }
            ConsumerGroupDescription description = describe(kafka);
            Collection<MemberDescription> members = description == null ? List.of() : description.members();
            if (!members.isEmpty()) {
                List<String> who = members.stream().map(m -> m.clientId() + "@" + m.host()).distinct().limit(5).toList();
                throw new CtlException("consumer group " + group + " has " + members.size() + " active member(s) (" + String.join(", ", who)
                        + "): its committed offsets cannot be changed while it consumes. Stop its service first (e.g. scale its deployment "
                        + "to 0), or pass --republish to publish the " + records + " record(s) from offset " + target + " again instead.");
            }
            Long committed = committed(kafka, tp);
            String was = committed == null ? "no committed offset" : "committed offset " + committed;
            if (dryRun) {
                out.printf("dry run: would reset consumer group %s on %s from %s to %d: %s%n", group, tp, was, target, records == 0
                        ? "nothing left to consume (the end)" : records + " record(s) (offsets " + target + ".." + (end - 1) + ") to consume again");
                out.flush();
                return Archivectl.OK;
            }
            alter(kafka, tp, target);
            out.printf("consumer group %s on %s: %s -> %d; %s%n", group, tp, was, target, records == 0 ? "nothing left to consume (the end)"
                    : records + " record(s) (offsets " + target + ".." + (end - 1) + ") will be consumed again when its service starts");
            out.flush();
            return Archivectl.OK;
        }
    }

    private int republish(KafkaAccess kafka, TopicPartition tp, long from, long to, PrintWriter out) {
        if (dryRun) {
            out.printf("dry run: would publish %d record(s) of %s%s again onto %s, with their keys and headers%n", to - from, tp,
                    to > from ? " (offsets " + from + ".." + (to - 1) + ")" : "", tp);
            out.flush();
            return Archivectl.OK;
        }
        List<long[]> sent = new ArrayList<>();
        kafka.readRange(tp, from, to, record -> {
            RecordHeaders headers = new RecordHeaders();
            for (Header header : record.headers()) {
                if (!header.key().equals(REPUBLISHED_FROM_HEADER)) {
                    headers.add(header);
                }
            }
            headers.add(REPUBLISHED_FROM_HEADER, (tp.topic() + "/" + tp.partition() + "/" + record.offset()).getBytes(StandardCharsets.UTF_8));
            RecordMetadata metadata = kafka.send(new ProducerRecord<>(tp.topic(), tp.partition(), null, record.key(), record.value(), headers));
            sent.add(new long[] { record.offset(), metadata.offset() });
        });
        if (sent.isEmpty()) {
            out.printf("nothing to publish: %s has no records from offset %d to its end %d%n", tp, from, to);
        } else {
            out.printf("published %d record(s) of %s (offsets %d..%d) again onto %s as offsets %d..%d, with their keys and headers%n", sent.size(),
                    tp, sent.get(0)[0], sent.get(sent.size() - 1)[0], tp, sent.get(0)[1], sent.get(sent.size() - 1)[1]);
        }
        out.flush();
        return Archivectl.OK;
    }

    private ConsumerGroupDescription describe(KafkaAccess kafka) {
        try {
            return kafka.admin().describeConsumerGroups(List.of(group)).describedGroups().get(group).get(KafkaAccess.API_TIMEOUT.toMillis(),
                    TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof GroupIdNotFoundException) {
                return null;
            }
            throw new CtlException("cannot describe consumer group " + group, e.getCause());
        } catch (TimeoutException e) {
            throw new CtlException("Kafka at " + kafka.bootstrapServers() + " did not describe group " + group + " in time");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CtlException("interrupted");
        }
    }

    private Long committed(KafkaAccess kafka, TopicPartition tp) {
        try {
            Map<TopicPartition, OffsetAndMetadata> offsets = kafka.admin().listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata()
                    .get(KafkaAccess.API_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            OffsetAndMetadata offset = offsets.get(tp);
            return offset == null ? null : offset.offset();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof GroupIdNotFoundException) {
                return null;
            }
            throw new CtlException("cannot read the offsets of consumer group " + group, e.getCause());
        } catch (TimeoutException e) {
            throw new CtlException("Kafka at " + kafka.bootstrapServers() + " did not list the offsets of group " + group + " in time");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CtlException("interrupted");
        }
    }

    private void alter(KafkaAccess kafka, TopicPartition tp, long offset) {
        try {
            kafka.admin().alterConsumerGroupOffsets(group, Map.of(tp, new OffsetAndMetadata(offset, "archivectl replay"))).all()
                    .get(KafkaAccess.API_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownMemberIdException
                    || e.getCause() instanceof org.apache.kafka.common.errors.GroupNotEmptyException) {
                throw new CtlException("consumer group " + group + " became active: its offsets cannot be changed while it consumes; stop its "
                        + "service and run this again, or use --republish");
            }
            throw new CtlException("cannot reset consumer group " + group + " on " + tp, e.getCause());
        } catch (TimeoutException e) {
            throw new CtlException("Kafka at " + kafka.bootstrapServers() + " did not reset group " + group + " in time");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CtlException("interrupted");
        }
    }
}
