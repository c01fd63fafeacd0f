package io.archiver.localstack.pipeline;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import io.archiver.events.ArchiveEvent;
import io.archiver.events.ArchiveMode;
import io.archiver.events.ArchiveRequested;
import io.archiver.events.ArchiveRunAwaitingConfirmation;
import io.archiver.events.ArchiveRunCompleted;
import io.archiver.events.ArchiveRunConfirmed;
import io.archiver.events.EventCodec;
import io.archiver.events.Topics;
import io.archiver.events.kafka.ArchiveEventSerializer;

/**
 * Fires runs and follows them, as a person (or the CronJob) would: publishes ArchiveRequested to
 * {@code archive.requests} and reads the topics back. Used by the demo and the system tests.
 */
public final class PipelineDriver implements AutoCloseable {

    public static final Duration SIXTY_DAYS = Duration.ofDays(60);

    private final String bootstrapServers;
    private final KafkaProducer<String, ArchiveEvent> producer;

    public PipelineDriver(String bootstrapServers) {
        this.bootstrapServers = bootstrapServers;
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ArchiveEventSerializer.class.getName());
        this.producer = new KafkaProducer<>(props);
    }

    /** A fresh, readable run id: {@code run-20261123T061500Z-1a2b3c4d}. */
    public static String newRunId() {
        return "run-" + DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss'Z'").format(LocalDateTime.now(ZoneOffset.UTC)) + "-"
                + UUID.randomUUID().toString().substring(0, 8);
    }

    /** Requests a run of the {@code run} policy with the cutoff now minus 60 days. */
    public ArchiveRequested trigger(String runId, ArchiveMode mode) {
        return trigger(ArchiveRequested.of(runId, "run", "run", Instant.now().minus(SIXTY_DAYS).toEpochMilli(), mode, "local-stack", false,
                null));
    }

    public ArchiveRequested trigger(ArchiveRequested request) {
        send(Topics.REQUESTS, request.key(), request);
        return request;
    }

    public void send(String topic, String key, ArchiveEvent event) {
        try {
            producer.send(new ProducerRecord<>(topic, key, event)).get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot publish to " + topic + ": " + e, e);
        }
    }

    /** Waits for the run's ArchiveRunCompleted on {@code archive.runs}. */
    public ArchiveRunCompleted awaitCompletion(String runId, Duration timeout) {
        return (ArchiveRunCompleted) await(runId, timeout, false);
    }

    /**
     * Waits for the run's first answer on {@code archive.runs}: its ArchiveRunCompleted, or the ArchiveRunAwaitingConfirmation
     * of a run a safety rail holds after planning.
     */
    public ArchiveEvent awaitCompletionOrHold(String runId, Duration timeout) {
        return await(runId, timeout, true);
    }

    /** Lets a run that awaits confirmation go on, as {@code archivectl trigger --confirm RUN} does. */
    public ArchiveRunConfirmed confirm(String runId, String by) {
        ArchiveRunConfirmed confirmation = ArchiveRunConfirmed.of(runId, by);
        send(Topics.REQUESTS, confirmation.key(), confirmation);
        return confirmation;
    }

    private ArchiveEvent await(String runId, Duration timeout, boolean orHold) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (KafkaConsumer<String, byte[]> consumer = consumer()) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.RUNS).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    ArchiveEvent event = EventCodec.decode(record.value());
                    if (event instanceof ArchiveRunCompleted done && done.runId().equals(runId)) {
                        return done;
                    }
                    if (orHold && event instanceof ArchiveRunAwaitingConfirmation held && held.runId().equals(runId)) {
                        return held;
                    }
                }
            }
        }
        throw new IllegalStateException("run " + runId + " did not complete within " + timeout);
    }

    /** Every event of the given topics so far (read to their current end), in partition order. */
    public List<ArchiveEvent> events(String... topics) {
        List<ArchiveEvent> events = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = consumer()) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : topics) {
                consumer.partitionsFor(topic).forEach(p -> partitions.add(new TopicPartition(p.topic(), p.partition())));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("could not read " + List.of(topics) + " to their end within 60 s");
                }
                consumer.poll(Duration.ofMillis(200)).forEach(record -> events.add(EventCodec.decode(record.value())));
            }
        }
        return events;
    }

    private KafkaConsumer<String, byte[]> consumer() {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        return new KafkaConsumer<>(props);
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
