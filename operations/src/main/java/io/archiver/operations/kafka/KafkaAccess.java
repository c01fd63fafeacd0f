package io.archiver.operations.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import io.archiver.operations.OperationFailed;

/**
 * The Kafka clients of one operation (an archivectl invocation, an API request): an admin client, a producer of raw records
 * (acks=all, idempotent) and group-less consumers that read partitions from the beginning to the end they had when reading
 * started. Timeouts are short, so that an unreachable broker is a clear failure ({@link OperationFailed}).
 */
public final class KafkaAccess implements AutoCloseable {

    public static final Duration API_TIMEOUT = Duration.ofSeconds(20);
    public static final Duration READ_TIMEOUT = Duration.ofMinutes(2);

    private final String bootstrapServers;
    private final Map<String, String> extra;
    private final String clientId;
    private Admin admin;
    private KafkaProducer<byte[], byte[]> producer;

    /** {@code extra}: further client settings (security, say); {@code clientId}: who connects, as the broker's logs name it. */
    public KafkaAccess(String bootstrapServers, Map<String, String> extra, String clientId) {
        this.bootstrapServers = bootstrapServers;
        this.extra = Map.copyOf(extra);
        this.clientId = clientId;
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    private Properties base() {
        Properties props = new Properties();
        props.putAll(extra);
        props.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.putIfAbsent(CommonClientConfigs.CLIENT_ID_CONFIG, clientId);
        props.putIfAbsent(CommonClientConfigs.REQUEST_TIMEOUT_MS_CONFIG, "10000");
        props.putIfAbsent(CommonClientConfigs.DEFAULT_API_TIMEOUT_MS_CONFIG, String.valueOf(API_TIMEOUT.toMillis()));
        props.putIfAbsent(CommonClientConfigs.RECONNECT_BACKOFF_MAX_MS_CONFIG, "2000");
        return props;
    }

    public synchronized Admin admin() {
        if (admin == null) {
            Properties props = base();
            props.putIfAbsent(AdminClientConfig.RETRIES_CONFIG, "3");
            admin = Admin.create(props);
        }
        return admin;
    }

    public synchronized KafkaProducer<byte[], byte[]> producer() {
        if (producer == null) {
            Properties props = base();
            props.put(ProducerConfig.ACKS_CONFIG, "all");
            props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
            props.putIfAbsent(ProducerConfig.MAX_BLOCK_MS_CONFIG, String.valueOf(API_TIMEOUT.toMillis()));
            props.putIfAbsent(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "30000");
            props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
            props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
            producer = new KafkaProducer<>(props);
        }
        return producer;
    }

    /** Sends one record and waits until every in-sync replica has it. */
    public RecordMetadata send(ProducerRecord<byte[], byte[]> record) {
        try {
            return producer().send(record).get(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OperationFailed("interrupted while publishing to " + record.topic());
        } catch (ExecutionException | TimeoutException | org.apache.kafka.common.errors.TimeoutException e) {
            Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
            if (cause instanceof TimeoutException || cause instanceof org.apache.kafka.common.errors.TimeoutException) {
                throw new OperationFailed("cannot publish to " + record.topic() + ": Kafka at " + bootstrapServers + " did not take the record within "
                        + API_TIMEOUT.toSeconds() + " s (is it running, are the bootstrap servers right, does the topic exist?)");
            }
            throw new OperationFailed("cannot publish to " + record.topic() + " on " + bootstrapServers, cause);
        }
    }

    /** A consumer without a group: it commits nothing and is seen by no consumer group. */
    public KafkaConsumer<byte[], byte[]> consumer() {
        Properties props = base();
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        return new KafkaConsumer<>(props);
    }

    /**
     * The partitions of each topic, by name. A topic that does not exist is left out when
     * {@code required} is false, and is a failure otherwise.
     */
    public Map<String, List<TopicPartition>> partitions(Collection<String> topics, boolean required) {
        Map<String, List<TopicPartition>> partitions = new LinkedHashMap<>();
        var described = admin().describeTopics(topics).topicNameValues();
        for (String topic : topics) {
            try {
                TopicDescription description = described.get(topic).get(API_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                List<TopicPartition> list = new ArrayList<>();
                description.partitions().forEach(p -> list.add(new TopicPartition(topic, p.partition())));
                partitions.put(topic, list);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof org.apache.kafka.common.errors.TimeoutException) {
                    throw unreachable();
                }
                if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                    if (required) {
                        throw new OperationFailed("topic " + topic + " does not exist on " + bootstrapServers);
                    }
                    continue;
                }
                throw new OperationFailed("cannot describe topic " + topic + " on " + bootstrapServers, e.getCause());
            } catch (TimeoutException e) {
                throw unreachable();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new OperationFailed("interrupted");
            }
        }
        return partitions;
    }

    private OperationFailed unreachable() {
        return new OperationFailed("Kafka at " + bootstrapServers + " did not answer within " + API_TIMEOUT.toSeconds()
                + " s: is it running, and are the bootstrap servers right?");
    }

    /** Every record of {@code partitions} from the beginning to the end offsets they have now, in partition order. */
    public void readToEnd(Collection<TopicPartition> partitions, Consumer<ConsumerRecord<byte[], byte[]>> sink) {
        read(partitions, null, sink);
    }

    /** The records of one partition from {@code from} (inclusive) to {@code to} (exclusive). */
    public void readRange(TopicPartition partition, long from, long to, Consumer<ConsumerRecord<byte[], byte[]>> sink) {
        read(List.of(partition), Map.of(partition, new long[] { from, to }), sink);
    }

    private void read(Collection<TopicPartition> partitions, Map<TopicPartition, long[]> ranges,
            Consumer<ConsumerRecord<byte[], byte[]>> sink) {
        if (partitions.isEmpty()) {
            return;
        }
        try (KafkaConsumer<byte[], byte[]> consumer = consumer()) {
            consumer.assign(partitions);
            Map<TopicPartition, Long> end = new HashMap<>();
            if (ranges == null) {
                consumer.seekToBeginning(partitions);
                end.putAll(consumer.endOffsets(partitions));
            } else {
                ranges.forEach((tp, range) -> {
                    consumer.seek(tp, range[0]);
                    end.put(tp, range[1]);
                });
            }
            Set<TopicPartition> open = new java.util.HashSet<>(partitions);
            open.removeIf(tp -> consumer.position(tp) >= end.get(tp));
            consumer.pause(partitions.stream().filter(tp -> !open.contains(tp)).toList());
            long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
            while (!open.isEmpty()) {
                if (System.nanoTime() > deadline) {
                    throw new OperationFailed("could not read " + open + " to its end within " + READ_TIMEOUT.toSeconds() + " s");
                }
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    TopicPartition tp = new TopicPartition(record.topic(), record.partition());
                    if (record.offset() < end.get(tp)) {
                        sink.accept(record);
                    }
                }
                for (TopicPartition tp : List.copyOf(open)) {
                    if (consumer.position(tp) >= end.get(tp)) {
                        open.remove(tp);
                        consumer.pause(List.of(tp));
                    }
                }
            }
        }
    }

    @Override
    public synchronized void close() {
        if (producer != null) {
            producer.close(Duration.ofSeconds(10));
        }
        if (admin != null) {
            admin.close(Duration.ofSeconds(5));
        }
    }
}
