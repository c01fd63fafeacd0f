package io.archiver.operations.deadletters;

import java.util.List;
import java.util.Locale;

import io.archiver.events.Topics;
import io.archiver.operations.OperationRefused;

/**
 * Which dead letters an operation takes: of one source topic (or its .dlq topic; every consumed topic when null), of one run
 * (decoded runId, else the record key), of one batch (its id, or its short name with the run), whose reason, cause or exception
 * class contains a text (any case). Every field is optional.
 */
public record DeadLetterFilter(String topic, String run, String batch, String reason) {

    public static final DeadLetterFilter ALL = new DeadLetterFilter(null, null, null, null);

    /** The dead-letter topics to read; a topic that is not consumed is refused naming {@code topic}. */
    public List<String> dlqTopics() {
        if (topic == null) {
            return Topics.CONSUMED.stream().map(Topics::dlq).toList();
        }
        String source = topic.endsWith(Topics.DLQ_SUFFIX) ? topic.substring(0, topic.length() - Topics.DLQ_SUFFIX.length()) : topic;
        if (!Topics.CONSUMED.contains(source)) {
            throw new OperationRefused("topic", topic + " is not a consumed topic: use one of " + String.join(", ", Topics.CONSUMED));
        }
        return List.of(Topics.dlq(source));
    }

    public boolean any() {
        return run != null || batch != null || reason != null;
    }

    public boolean matches(DeadLetter letter) {
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
