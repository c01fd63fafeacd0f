package io.archiver.operations.deadletters;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;

import io.archiver.operations.kafka.KafkaAccess;

/**
 * The dead-letter topics: what failed and why ({@link #scan}), and sending it back ({@link #replay}), for archivectl's {@code dlq}
 * and the API's {@code /api/v1/dead-letters} alike. A replay is idempotent across calls: every record sent carries
 * {@link DeadLetter#REPLAYED_FROM}, and a dead letter whose coordinates already appear in such a header on its source topic is
 * skipped unless forced.
 */
public final class DeadLetters {

    /** Who replayed a record ({@code requestedBy}: {@code api:<name>} or archivectl's actor), on every record a replay sends. */
    public static final String REPLAYED_BY = "archiver-replayed-by";

    /** The matching dead letters, and the dead letters already replayed (their origins, from the source topics' headers). */
    public record Scan(List<DeadLetter> letters, Set<String> replayed, Map<String, List<TopicPartition>> sourcePartitions) {

        public boolean replayed(DeadLetter letter) {
            return replayed.contains(letter.origin());
        }
    }

    /** What a replay did with one dead letter: SKIPPED (replayed already), WOULD_SEND (a dry run) or SENT, and where it went. */
    public record Outcome(DeadLetter letter, Action action, String topic, Integer partition, Long offset) {

        public enum Action {
            SKIPPED, WOULD_SEND, SENT
        }

        /** {@code event=ArchiveBatchReady run=... batch=...}. */
        public String describe() {
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

    private final KafkaAccess kafka;

    public DeadLetters(KafkaAccess kafka) {
        this.kafka = kafka;
    }

    public Scan scan(DeadLetterFilter filter) {
        List<String> dlqTopics = filter.dlqTopics();
        List<TopicPartition> partitions = new ArrayList<>();
        kafka.partitions(dlqTopics, false).values().forEach(partitions::addAll);
        List<DeadLetter> letters = new ArrayList<>();
        kafka.readToEnd(partitions, record -> {
            DeadLetter letter = DeadLetter.of(record);
            if (filter.matches(letter)) {
                letters.add(letter);
            }
        });
        letters.sort(Comparator.comparing((DeadLetter l) -> l.record().topic()).thenComparingInt(l -> l.record().partition())
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

    /**
     * Publishes the matching dead letters again to their source topic with their original key (and partition, where the topic still
     * has it), value and headers, minus the dead-letter-* headers, plus {@link DeadLetter#REPLAYED_FROM} and {@link #REPLAYED_BY};
     * one replayed already is skipped unless {@code force}. A dry run sends nothing.
     */
    public List<Outcome> replay(DeadLetterFilter filter, boolean force, boolean dryRun, String requestedBy) {
        Scan scan = scan(filter);
        Set<String> done = new HashSet<>(force ? Set.of() : scan.replayed());
        List<Outcome> outcomes = new ArrayList<>();
        for (DeadLetter letter : scan.letters()) {
            if (!done.add(letter.origin())) {
                outcomes.add(new Outcome(letter, Outcome.Action.SKIPPED, null, null, null));
                continue;
            }
            Integer partition = partition(letter, scan.sourcePartitions());
            if (dryRun) {
                outcomes.add(new Outcome(letter, Outcome.Action.WOULD_SEND, letter.sourceTopic(), partition, null));
                continue;
            }
            RecordHeaders headers = new RecordHeaders();
            for (Header header : letter.record().headers()) {
                if (!header.key().startsWith(DeadLetter.PREFIX) && !header.key().equals(DeadLetter.REPLAYED_FROM)
                        && !header.key().equals(REPLAYED_BY)) {
                    headers.add(header);
                }
            }
            headers.add(DeadLetter.REPLAYED_FROM, letter.origin().getBytes(StandardCharsets.UTF_8));
            if (requestedBy != null) {
                headers.add(REPLAYED_BY, requestedBy.getBytes(StandardCharsets.UTF_8));
            }
            RecordMetadata metadata = kafka.send(new ProducerRecord<>(letter.sourceTopic(), partition, null, letter.record().key(),
                    letter.record().value(), headers));
            outcomes.add(new Outcome(letter, Outcome.Action.SENT, metadata.topic(), metadata.partition(), metadata.offset()));
        }
        return outcomes;
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
}
