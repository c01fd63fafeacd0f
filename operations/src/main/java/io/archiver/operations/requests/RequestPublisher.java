package io.archiver.operations.requests;

import java.nio.charset.StandardCharsets;

import io.archiver.events.ArchiveEvent;
import io.archiver.events.RestoreRequested;
import io.archiver.events.Topics;
import io.archiver.events.kafka.ArchiveEventSerializer;

/**
 * Publishes a run's request or confirmation to {@code archive.requests}, keyed by its run id (a restore's request to
 * {@code archive.restores}, keyed by its restore id), through a {@link Sink} (archivectl's
 * producer, or the API's): the one place that decides topic, key and encoding for both.
 */
public final class RequestPublisher {

    /** Sends one record and returns where it landed once the broker took it (acks=all); fails with OperationFailed otherwise. */
    @FunctionalInterface
    public interface Sink {
        Published send(String topic, byte[] key, byte[] value);
    }

    /** Where a record landed, with the bytes sent. */
    public record Published(String topic, int partition, long offset, byte[] value) {
    }

    private final Sink sink;

    public RequestPublisher(Sink sink) {
        this.sink = sink;
    }

    public Published publish(ArchiveEvent event) {
        String topic = event instanceof RestoreRequested ? Topics.RESTORES : Topics.REQUESTS;
        byte[] value = new ArchiveEventSerializer().serialize(topic, event);
        return sink.send(topic, event.key().getBytes(StandardCharsets.UTF_8), value);
    }
}
