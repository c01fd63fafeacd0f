package io.archiver.operations.events;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

import io.archiver.events.ArchiveEvent;
import io.archiver.events.EventCodec;
import io.archiver.events.EventDecodingException;
import io.archiver.events.Topics;
import io.archiver.operations.NotFound;
import io.archiver.operations.kafka.KafkaAccess;

/**
 * One run's event log: every event of the run on the topics of the flow ({@link Topics#ALL}), read from their beginning to the end
 * they have when reading starts, ordered by occurredAt (then topic, partition, offset). A replayed event shows once per copy. What
 * archivectl's {@code events} and the API's {@code /api/v1/runs/{runId}/events} show.
 */
public final class RunEvents {

    /** The log, and how many records keyed for the run were not events (they are on a dead-letter topic too). */
    public record Log(List<RunEvent> events, int undecodable) {
    }

    private final KafkaAccess kafka;

    public RunEvents(KafkaAccess kafka) {
        this.kafka = kafka;
    }

    /** The run's log; {@link NotFound} when no topic has an event of it. */
    public Log of(String runId) {
        List<RunEvent> found = new ArrayList<>();
        int[] undecodable = { 0 };
        List<TopicPartition> partitions = new ArrayList<>();
        kafka.partitions(Topics.ALL, false).values().forEach(partitions::addAll);
        kafka.readToEnd(partitions, record -> {
            if (!mayBelong(runId, record)) {
                return;
            }
            try {
                ArchiveEvent event = EventCodec.decode(record.value());
                if (runId.equals(event.runId())) {
                    found.add(new RunEvent(event, record.topic(), record.partition(), record.offset()));
                }
            } catch (EventDecodingException e) {
                if (record.key() != null) {
                    undecodable[0]++;
                }
            }
        });
        if (found.isEmpty()) {
            throw new NotFound("no events of run " + runId + " on " + String.join(", ", Topics.ALL));
        }
        found.sort(Comparator.comparing((RunEvent f) -> f.event().occurredAt()).thenComparing(f -> Topics.ALL.indexOf(f.topic()))
                .thenComparingInt(RunEvent::partition).thenComparingLong(RunEvent::offset));
        return new Log(List.copyOf(found), undecodable[0]);
    }

    /** Events are keyed by their batch id (run id + "-b…") or their run id: other records need not be decoded. */
    private static boolean mayBelong(String runId, ConsumerRecord<byte[], byte[]> record) {
        if (record.key() == null) {
            return true;
        }
        String key = new String(record.key(), StandardCharsets.UTF_8);
        return key.equals(runId) || key.startsWith(runId + "-");
    }
}
