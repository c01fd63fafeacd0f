package io.archiver.support.messaging;

import jakarta.enterprise.context.ApplicationScoped;

import io.archiver.events.ArchiveEvent;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * Sends an event keyed by {@link ArchiveEvent#key()} (its batch, else its run), so that all events
 * of one batch keep their order; the returned {@link Uni} completes when the broker acknowledged it.
 */
@ApplicationScoped
public class EventPublisher {

    private final MessagingConfig config;

    public EventPublisher(MessagingConfig config) {
        this.config = config;
    }

    public static Uni<Void> publish(MutinyEmitter<ArchiveEvent> emitter, ArchiveEvent event) {
        return emitter.sendMessage(Message.<ArchiveEvent> of(event)
                .addMetadata(OutgoingKafkaRecordMetadata.<String> builder().withKey(event.key()).build()));
    }

    /**
     * Blocking form for worker threads: waits for the broker's acknowledgement at most {@code archiver.messaging.publish-timeout},
     * then fails with a (transient) timeout, so that the handler is retried rather than held for ever.
     */
    public void publishAndWait(MutinyEmitter<ArchiveEvent> emitter, ArchiveEvent event) {
        publish(emitter, event).await().atMost(config.publishTimeout());
    }
}
