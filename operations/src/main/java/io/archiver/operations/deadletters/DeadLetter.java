package io.archiver.operations.deadletters;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.archiver.events.ArchiveEvent;
import io.archiver.events.EventCodec;
import io.archiver.events.EventDecodingException;
import io.archiver.operations.Texts;

/**
 * A record on a dead-letter topic, with what SmallRye Reactive Messaging's Kafka dead-letter queue
 * wrote in its headers ({@code dead-letter-reason}, {@code -cause}, {@code -exception-class-name},
 * {@code -topic}, {@code -partition}, {@code -offset}) and, where the payload can be read, the run
 * and batch it names. What archivectl's {@code dlq} and the API's {@code /api/v1/dead-letters} show.
 */
public record DeadLetter(ConsumerRecord<byte[], byte[]> record, String reason, String cause, String exceptionClass, String sourceTopic,
        Integer sourcePartition, Long sourceOffset, String type, String runId, String batchId, String decodeError, String replayedFrom) {

    public static final String REASON = "dead-letter-reason";
    public static final String CAUSE = "dead-letter-cause";
    public static final String EXCEPTION_CLASS = "dead-letter-exception-class-name";
    public static final String CAUSE_CLASS = "dead-letter-cause-class-name";
    public static final String TOPIC = "dead-letter-topic";
    public static final String PARTITION = "dead-letter-partition";
    public static final String OFFSET = "dead-letter-offset";
    public static final String PREFIX = "dead-letter-";

    /**
     * Set by {@code archivectl dlq replay} on every record it publishes again:
     * {@code <dlq-topic>/<partition>/<offset>} of the dead letter it came from (the first one, when
     * a replayed record was dead-lettered again). The dead-letter queue copies a failed record's
     * headers, so the mark follows a record that fails again.
     */
    public static final String REPLAYED_FROM = "archiver-replayed-from";

    private static final ObjectMapper JSON = new ObjectMapper();

    public static DeadLetter of(ConsumerRecord<byte[], byte[]> record) {
        String sourceTopic = header(record, TOPIC);
        if (sourceTopic == null && record.topic().endsWith(io.archiver.events.Topics.DLQ_SUFFIX)) {
            sourceTopic = record.topic().substring(0, record.topic().length() - io.archiver.events.Topics.DLQ_SUFFIX.length());
        }
        String type = null;
        String runId = null;
        String batchId = null;
        String decodeError = null;
        try {
            ArchiveEvent event = EventCodec.decode(record.value());
            type = event.getClass().getSimpleName();
            runId = event.runId();
            batchId = event.batchId();
        } catch (EventDecodingException e) {
            decodeError = e.getMessage();
            JsonNode tree = record.value() == null ? null : tree(record.value());
            if (tree != null && tree.isObject()) {
                type = text(tree, "type");
                runId = text(tree, "runId");
                batchId = text(tree, "batchId");
            }
        }
        return new DeadLetter(record, header(record, REASON), header(record, CAUSE), header(record, EXCEPTION_CLASS), sourceTopic,
                integer(header(record, PARTITION)), longValue(header(record, OFFSET)), type, runId, batchId, decodeError,
                header(record, REPLAYED_FROM));
    }

    /** Where this dead letter sits: {@code archive.batches.dlq/2/17}. */
    public String coordinates() {
        return record.topic() + "/" + record.partition() + "/" + record.offset();
    }

    /** The dead letter this record stems from: itself, or the one it was replayed from before it failed again. */
    public String origin() {
        return replayedFrom != null ? replayedFrom : coordinates();
    }

    public String key() {
        return record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
    }

    public String payloadPreview(int max) {
        if (record.value() == null) {
            return "(null)";
        }
        return Texts.oneLine(new String(record.value(), StandardCharsets.UTF_8), max);
    }

    public Map<String, Object> toJson(boolean replayed) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("dlqTopic", record.topic());
        json.put("dlqPartition", record.partition());
        json.put("dlqOffset", record.offset());
        json.put("timestamp", Texts.time(record.timestamp()));
        json.put("key", key());
        json.put("sourceTopic", sourceTopic);
        json.put("sourcePartition", sourcePartition);
        json.put("sourceOffset", sourceOffset);
        json.put("reason", reason);
        json.put("cause", cause);
        json.put("exceptionClass", exceptionClass);
        json.put("type", type);
        json.put("runId", runId);
        json.put("batchId", batchId);
        json.put("decodeError", decodeError);
        json.put("origin", origin());
        json.put("replayed", replayed);
        json.put("payloadBytes", record.value() == null ? 0 : record.value().length);
        json.put("payloadPreview", payloadPreview(200));
        return json;
    }

    /** The first header of that name: the dead-letter queue writes its own before the failed record's copied ones. */
    public static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        java.util.Iterator<Header> headers = record.headers().headers(name).iterator();
        Header header = headers.hasNext() ? headers.next() : null;
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    /** A tree of {@code bytes}, or null when they are not JSON. */
    private static JsonNode tree(byte[] bytes) {
        try {
            return JSON.readTree(bytes);
        } catch (java.io.IOException e) {
            return null;
        }
    }

    private static String text(JsonNode tree, String field) {
        JsonNode node = tree.get(field);
        return node != null && node.isTextual() ? node.asText() : null;
    }

    private static Integer integer(String text) {
        try {
            return text == null ? null : Integer.valueOf(text.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static Long longValue(String text) {
        try {
            return text == null ? null : Long.valueOf(text.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
