package io.archiver.support.messaging;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** {@code archiver.messaging.*}: how the services publish their events. */
@ConfigMapping(prefix = "archiver.messaging")
public interface MessagingConfig {

    /**
     * Longest a blocking handler waits for the broker to acknowledge an event it publishes. Longer than the Kafka producer's
     * own {@code delivery.timeout.ms} (two minutes by default), so that the producer's error is what is usually seen.
     */
    @WithDefault("PT2M30S")
    Duration publishTimeout();
}
