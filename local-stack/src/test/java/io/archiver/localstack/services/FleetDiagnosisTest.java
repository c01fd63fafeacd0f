package io.archiver.localstack.services;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import io.archiver.events.Topics;
import io.archiver.localstack.LocalStack;
import io.archiver.localstack.process.StackLayout;

/**
 * On a real broker, what a stalled run's diagnosis says about a consumer group: its member with its partitions, and a
 * partition whose records are not committed yet marked; and the last lines of a log.
 */
class FleetDiagnosisTest {

    @Test
    void namesEachGroupsMembersTheirPartitionsAndWhatIsNotCommittedYet() throws Exception {
        try (LocalStack stack = new LocalStack(StackLayout.locate(Path.of("target/fleet-diagnosis-test").toAbsolutePath()), "archiver_fleet_diagnosis")) {
            LocalStack.deleteRecursively(stack.workDir());
            stack.topicPartitions(1).ensure(EnumSet.of(LocalStack.Server.KAFKA));
            String bootstrap = stack.kafka().bootstrapServers();
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                    ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class, ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
                    StringSerializer.class))) {
                producer.send(new ProducerRecord<>(Topics.REQUESTS, "k", "one")).get();
                producer.send(new ProducerRecord<>(Topics.REQUESTS, "k", "two")).get();
            }
            Properties props = new Properties();
            props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            props.put(ConsumerConfig.GROUP_ID_CONFIG, "archiver-diagnosed");
            props.put(ConsumerConfig.CLIENT_ID_CONFIG, "diagnosed-consumer");
            props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
            props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
            props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
            try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props)) {
                consumer.subscribe(List.of(Topics.REQUESTS));
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (consumer.assignment().isEmpty() && System.nanoTime() < deadline) {
                    consumer.poll(Duration.ofMillis(200));
                }
                assertThat(consumer.assignment()).as("assigned within 60 s").isNotEmpty();
                // one of the two records done: the partition stays behind its end
                consumer.commitSync(Map.of(new TopicPartition(Topics.REQUESTS, 0), new OffsetAndMetadata(1)));

                List<String> lines = FleetDiagnosis.consumerGroups(bootstrap);

                assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("  archiver-diagnosed: STABLE").contains("1 member(s)"));
                assertThat(lines).anySatisfy(l -> assertThat(l).contains("diagnosed-consumer: " + Topics.REQUESTS + "-0"));
                assertThat(lines).anySatisfy(l -> assertThat(l).contains(Topics.REQUESTS + "-0=1/2*"));
            }
        }
        Path log = Files.createTempFile("fleet-diagnosis", ".log");
        Files.write(log, List.of("a", "b", "c"));
        assertThat(FleetDiagnosis.tail(log, 2)).containsExactly("b", "c");
        assertThat(FleetDiagnosis.tail(log.resolveSibling("missing.log"), 2)).singleElement().asString().startsWith("(cannot read");
        Files.delete(log);
    }
}
