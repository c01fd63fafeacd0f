package io.archiver.operations.replay;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
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

import io.archiver.events.Topics;
import io.archiver.operations.Conflict;
import io.archiver.operations.NotFound;
import io.archiver.operations.OperationFailed;
import io.archiver.operations.OperationRefused;
import io.archiver.operations.Texts;
import io.archiver.operations.kafka.KafkaAccess;

/**
 * Makes a service consume a topic partition again (archivectl's {@code replay}, the API's {@code /api/v1/replays}): resets the
 * consumer group's committed offset, which Kafka allows only while the group has no active member, or with {@code republish}
 * publishes the records from that offset to the partition's end again onto the same partition, with their keys and headers plus
 * {@link #REPUBLISHED_FROM_HEADER}, so that the running service consumes the copies. Safe any number of times: every handler is
 * idempotent (promise 3).
 */
public final class PartitionReplay {

    /** Set on records published again: where they were copied from, {@code topic/partition/offset}. */
    public static final String REPUBLISHED_FROM_HEADER = "archiver-republished-from";
    /** Set on records published again: who asked ({@code requestedBy}). */
    public static final String REPUBLISHED_BY_HEADER = "archiver-republished-by";

    private final KafkaAccess kafka;

    public PartitionReplay(KafkaAccess kafka) {
        this.kafka = kafka;
    }

    /** The order's input on its own, before anything is read: refused naming the field. */
    public static void check(ReplayOrder order) {
        if (order.topic() == null || order.topic().isBlank()) {
            throw new OperationRefused("topic", "is required");
        }
        if (order.group() == null || order.group().isBlank()) {
            throw new OperationRefused("group", "is required: the consumer group, e.g. archiver-deleter");
        }
        if ((order.fromOffset() == null) == (order.fromTimestamp() == null)) {
            throw new OperationRefused("fromOffset", "give fromOffset or fromTimestamp, one of them");
        }
        if (order.partition() < 0) {
            throw new OperationRefused("partition", "must not be negative");
        }
        if (order.fromOffset() != null && order.fromOffset() < 0) {
            throw new OperationRefused("fromOffset", "must not be negative");
        }
    }

    /** Only the flow's topics and their dead-letter topics (the API's rule: no other topic of the cluster is an operator's to replay). */
    public static void requireArchiverTopic(String topic) {
        List<String> known = new ArrayList<>(Topics.ALL);
        Topics.CONSUMED.forEach(t -> known.add(Topics.dlq(t)));
        if (!known.contains(topic)) {
            throw new OperationRefused("topic", "'" + topic + "' is not a topic of the archiver: use one of " + String.join(", ", known));
        }
    }

    public ReplayResult replay(ReplayOrder order) {
        check(order);
        String topic = order.topic();
        List<TopicPartition> partitions = kafka.partitions(List.of(topic), true).get(topic);
        TopicPartition tp = new TopicPartition(topic, order.partition());
        if (!partitions.contains(tp)) {
            throw new NotFound("topic " + topic + " has no partition " + order.partition() + " (it has "
                    + partitions.size() + ", 0.." + (partitions.size() - 1) + ")");
        }
        List<String> notes = new ArrayList<>();
        long end;
        long target;
        try (KafkaConsumer<byte[], byte[]> consumer = kafka.consumer()) {
            long start = consumer.beginningOffsets(List.of(tp)).get(tp);
            end = consumer.endOffsets(List.of(tp)).get(tp);
            if (order.fromOffset() != null) {
                target = order.fromOffset();
                if (target > end) {
                    throw new OperationRefused("fromOffset", "offset " + target + " is past the end of " + tp + " (" + end + ")");
                }
                if (target < start) {
                    notes.add("offset " + target + " is before the first offset of " + tp + " still kept, " + start + ": replaying from "
                            + start);
                    target = start;
                }
            } else {
                OffsetAndTimestamp found = consumer.offsetsForTimes(Map.of(tp, order.fromTimestamp().toEpochMilli())).get(tp);
                target = found == null ? end : found.offset();
                notes.add("first record of " + tp + " at or after " + Texts.time(order.fromTimestamp()) + ": "
                        + (found == null ? "none (offset " + end + ", the end)" : "offset " + found.offset() + " (" + Texts.time(found.timestamp()) + ")"));
            }
        }
        long records = end - target;
        if (order.republish()) {
            return republish(order, tp, target, end, notes);
        }
        ConsumerGroupDescription description = describe(order.group());
        Collection<MemberDescription> members = description == null ? List.of() : description.members();
        if (!members.isEmpty()) {
            List<String> who = members.stream().map(m -> m.clientId() + "@" + m.host()).distinct().limit(5).toList();
            throw new Conflict("consumer group " + order.group() + " has " + members.size() + " active member(s) ("
                    + String.join(", ", who) + "): its committed offsets cannot be changed while it consumes. Stop its service first (e.g."
                    + " scale its deployment to 0), or republish (--republish, \"republish\": true) to publish the " + records + " record(s) from offset " + target
                    + " again instead.");
        }
        Long committed = committed(order.group(), tp);
        if (!order.dryRun()) {
            alter(order.group(), tp, target, order.requestedBy());
        }
        return new ReplayResult(topic, order.partition(), order.group(), order.dryRun() ? ReplayResult.Action.WOULD_RESET
                : ReplayResult.Action.RESET, target, end, committed, records, null, null, notes);
    }

    private ReplayResult republish(ReplayOrder order, TopicPartition tp, long from, long to, List<String> notes) {
        if (order.dryRun()) {
            return new ReplayResult(tp.topic(), tp.partition(), order.group(), ReplayResult.Action.WOULD_REPUBLISH, from, to, null, to - from,
                    null, null, notes);
        }
        List<long[]> sent = new ArrayList<>();
        kafka.readRange(tp, from, to, record -> {
            RecordHeaders headers = new RecordHeaders();
            for (Header header : record.headers()) {
                if (!header.key().equals(REPUBLISHED_FROM_HEADER) && !header.key().equals(REPUBLISHED_BY_HEADER)) {
                    headers.add(header);
                }
            }
            headers.add(REPUBLISHED_FROM_HEADER, (tp.topic() + "/" + tp.partition() + "/" + record.offset()).getBytes(StandardCharsets.UTF_8));
            if (order.requestedBy() != null) {
                headers.add(REPUBLISHED_BY_HEADER, order.requestedBy().getBytes(StandardCharsets.UTF_8));
            }
            RecordMetadata metadata = kafka.send(new ProducerRecord<>(tp.topic(), tp.partition(), null, record.key(), record.value(), headers));
            sent.add(new long[] { record.offset(), metadata.offset() });
        });
        return new ReplayResult(tp.topic(), tp.partition(), order.group(), ReplayResult.Action.REPUBLISHED, sent.isEmpty() ? from : sent.get(0)[0],
                sent.isEmpty() ? to : sent.get(sent.size() - 1)[0] + 1, null, sent.size(), sent.isEmpty() ? null : sent.get(0)[1],
                sent.isEmpty() ? null : sent.get(sent.size() - 1)[1], notes);
    }

    private ConsumerGroupDescription describe(String group) {
        try {
            return kafka.admin().describeConsumerGroups(List.of(group)).describedGroups().get(group).get(KafkaAccess.API_TIMEOUT.toMillis(),
                    TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof GroupIdNotFoundException) {
                return null;
            }
            throw new OperationFailed("cannot describe consumer group " + group, e.getCause());
        } catch (TimeoutException e) {
            throw new OperationFailed("Kafka at " + kafka.bootstrapServers() + " did not describe group " + group + " in time");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OperationFailed("interrupted");
        }
    }

    private Long committed(String group, TopicPartition tp) {
        try {
            Map<TopicPartition, OffsetAndMetadata> offsets = kafka.admin().listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata()
                    .get(KafkaAccess.API_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            OffsetAndMetadata offset = offsets.get(tp);
            return offset == null ? null : offset.offset();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof GroupIdNotFoundException) {
                return null;
            }
            throw new OperationFailed("cannot read the offsets of consumer group " + group, e.getCause());
        } catch (TimeoutException e) {
            throw new OperationFailed("Kafka at " + kafka.bootstrapServers() + " did not list the offsets of group " + group + " in time");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OperationFailed("interrupted");
        }
    }

    private void alter(String group, TopicPartition tp, long offset, String requestedBy) {
        try {
            String metadata = "replay" + (requestedBy == null ? "" : " by " + requestedBy);
            kafka.admin().alterConsumerGroupOffsets(group, Map.of(tp, new OffsetAndMetadata(offset, metadata))).all()
                    .get(KafkaAccess.API_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownMemberIdException
                    || e.getCause() instanceof org.apache.kafka.common.errors.GroupNotEmptyException) {
                throw new Conflict("consumer group " + group + " became active: its offsets cannot be changed while it"
                        + " consumes; stop its service and run this again, or use --republish");
            }
            throw new OperationFailed("cannot reset consumer group " + group + " on " + tp, e.getCause());
        } catch (TimeoutException e) {
            throw new OperationFailed("Kafka at " + kafka.bootstrapServers() + " did not reset group " + group + " in time");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OperationFailed("interrupted");
        }
    }
}
