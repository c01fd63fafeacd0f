package io.archiver.api.operations;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import io.archiver.operations.OperationFailed;
import io.archiver.operations.requests.RequestPublisher;
import io.smallrye.common.annotation.Identifier;

/**
 * The producer the API publishes run requests and confirmations with (acks=all, idempotent), from the {@code kafka.*}
 * settings; {@link RequestPublisher} decides topic, key and encoding, as for archivectl.
 */
@ApplicationScoped
public class RequestSink implements RequestPublisher.Sink {

    private static final Duration SEND_TIMEOUT = Duration.ofSeconds(30);

    private final Map<String, Object> kafka;
    private Producer<byte[], byte[]> producer;

    @Inject
    public RequestSink(@Identifier("default-kafka-broker") Map<String, Object> kafka) {
        this.kafka = kafka;
    }

    private synchronized Producer<byte[], byte[]> producer() {
        if (producer == null) {
            Map<String, Object> config = new HashMap<>(kafka);
            config.put(ProducerConfig.ACKS_CONFIG, "all");
            config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
            config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) SEND_TIMEOUT.toMillis());
            config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) SEND_TIMEOUT.toMillis());
            config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 15_000);
            config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
            config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
            config.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "archiver-api");
            producer = new KafkaProducer<>(config);
        }
        return producer;
    }

    @Override
    public RequestPublisher.Published send(String topic, byte[] key, byte[] value) {
        try {
            RecordMetadata sent = producer().send(new ProducerRecord<>(topic, key, value)).get(SEND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            return new RequestPublisher.Published(sent.topic(), sent.partition(), sent.offset(), value);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OperationFailed("interrupted while publishing to " + topic);
        } catch (ExecutionException | TimeoutException | org.apache.kafka.common.KafkaException e) {
            throw new OperationFailed("Kafka did not take the record on " + topic + " within " + SEND_TIMEOUT.toSeconds() + " s");
        }
    }

    @PreDestroy
    synchronized void close() {
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
        }
    }
}
