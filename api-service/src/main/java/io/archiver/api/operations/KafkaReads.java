package io.archiver.api.operations;

import java.util.Map;
import java.util.TreeMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.archiver.operations.kafka.KafkaAccess;
import io.smallrye.common.annotation.Identifier;

/**
 * Kafka for the operations that read topics (a run's event log): a {@link KafkaAccess} per request, from the {@code kafka.*}
 * settings, closed when the request is done. Its consumers have no group: they commit nothing and no consumer group sees them.
 */
@ApplicationScoped
public class KafkaReads {

    private final Map<String, Object> kafka;

    @Inject
    public KafkaReads(@Identifier("default-kafka-broker") Map<String, Object> kafka) {
        this.kafka = kafka;
    }

    public KafkaAccess open() {
        Map<String, String> settings = new TreeMap<>();
        kafka.forEach((key, value) -> settings.put(key, String.valueOf(value)));
        String bootstrap = settings.remove("bootstrap.servers");
        return new KafkaAccess(bootstrap, settings, "archiver-api");
    }
}
