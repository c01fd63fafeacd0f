package io.archiver.localstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.archiver.events.ArchiveEvent;
import io.archiver.events.ArchiveMode;
import io.archiver.events.ArchiveRequested;
import io.archiver.events.Topics;
import io.archiver.events.kafka.ArchiveEventDeserializer;
import io.archiver.events.kafka.ArchiveEventSerializer;
import io.archiver.localstack.mysql.MySqlServer;
import io.archiver.localstack.pipeline.ArchiveBucket;
import io.archiver.localstack.process.FreePorts;
import io.archiver.localstack.process.StackLayout;

/** The stack's servers are real: an event goes through the broker, `run` is created and seeded. */
class LocalStackTest {

    private static final int SEEDED = 20_000;
    private static LocalStack stack;

    @BeforeAll
    static void start() {
        stack = new LocalStack(StackLayout.locate(java.nio.file.Path.of("target/local-stack-test").toAbsolutePath()),
                "archiver_local_stack_test");
        LocalStack.deleteRecursively(stack.workDir());
        stack.ensure(java.util.EnumSet.of(LocalStack.Server.KAFKA, LocalStack.Server.S3));
        stack.seedMySql(SEEDED, 0.6);
    }

    @AfterAll
    static void stop() {
        stack.close();
    }

    @Test
    void anEventGoesThroughTheBrokerAndComesBackEqual() {
        ArchiveRequested sent = ArchiveRequested.of("run-" + UUID.randomUUID(), "run_60d", "run", 1_700_000_000_000L,
                ArchiveMode.DELETE, "local-stack-test", false, null);
        Properties producerConfig = new Properties();
        producerConfig.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafka().bootstrapServers());
        producerConfig.put(ProducerConfig.ACKS_CONFIG, "all");
        RecordMetadata metadata;
        try (KafkaProducer<String, ArchiveEvent> producer = new KafkaProducer<>(producerConfig, new StringSerializer(),
                new ArchiveEventSerializer())) {
            metadata = producer.send(new ProducerRecord<>(Topics.REQUESTS, sent.key(), sent)).get();
        } catch (Exception e) {
            throw new AssertionError("send failed", e);
        }

        Properties consumerConfig = new Properties();
        consumerConfig.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafka().bootstrapServers());
        consumerConfig.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        List<ArchiveEvent> received = new ArrayList<>();
        try (KafkaConsumer<String, ArchiveEvent> consumer = new KafkaConsumer<>(consumerConfig, new StringDeserializer(),
                new ArchiveEventDeserializer())) {
            TopicPartition partition = new TopicPartition(metadata.topic(), metadata.partition());
            consumer.assign(List.of(partition));
            consumer.seek(partition, metadata.offset());
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (received.isEmpty() && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, ArchiveEvent> record : consumer.poll(Duration.ofMillis(500))) {
                    assertThat(record.key()).isEqualTo(sent.runId());
                    received.add(record.value());
                }
            }
        }
        assertThat(received).containsExactly(sent);
    }

    @Test
    void everyTopicAndDeadLetterTopicExists() throws Exception {
        Properties config = new Properties();
        config.put("bootstrap.servers", stack.kafka().bootstrapServers());
        try (var admin = org.apache.kafka.clients.admin.Admin.create(config)) {
            var names = admin.listTopics().names().get();
            assertThat(names).containsAll(Topics.ALL);
            assertThat(names).containsAll(Topics.CONSUMED.stream().map(Topics::dlq).toList());
        }
    }

    /** The broker runs with less idle work than Kafka's defaults: its CPU per archived row follows a run's wall time. */
    @Test
    void theBrokerRunsWithItsIdleWorkCut() throws Exception {
        Properties config = new Properties();
        config.put("bootstrap.servers", stack.kafka().bootstrapServers());
        try (var admin = org.apache.kafka.clients.admin.Admin.create(config)) {
            var broker = new org.apache.kafka.common.config.ConfigResource(org.apache.kafka.common.config.ConfigResource.Type.BROKER, "1");
            var live = admin.describeConfigs(List.of(broker)).all().get().get(broker);
            assertThat(live.get("metadata.max.idle.interval.ms").value()).isEqualTo("5000");
            assertThat(live.get("num.network.threads").value()).isEqualTo("1");
            assertThat(live.get("num.io.threads").value()).isEqualTo("2");
        }
    }

    @Test
    void runIsSeededWithGapsUnorderedDatesAndEdgeValues() throws SQLException {
        MySqlServer mysql = stack.mysql();
        long cutoff = System.currentTimeMillis() - Duration.ofDays(60).toMillis();
        try (Connection connection = DriverManager.getConnection(mysql.jdbcUrl(), mysql.user(), mysql.password());
                Statement statement = connection.createStatement()) {
            ResultSet counts = statement.executeQuery("SELECT COUNT(*), MIN(id), MAX(id), SUM(msg_sent_date < " + cutoff
                    + ") FROM run");
            counts.next();
            long rows = counts.getLong(1);
            assertThat(rows).isEqualTo(SEEDED);
            assertThat(counts.getLong(3) - counts.getLong(2) + 1).as("ids have gaps").isGreaterThan(rows * 3);
            assertThat((double) counts.getLong(4) / rows).as("share older than 60 days").isBetween(0.55, 0.65);

            ResultSet disorder = statement.executeQuery("SELECT COUNT(*) FROM (SELECT msg_sent_date,"
                    + " LAG(msg_sent_date) OVER (ORDER BY id) AS previous FROM run) x WHERE x.previous > x.msg_sent_date");
            disorder.next();
            assertThat(disorder.getLong(1)).as("rows whose successor is younger: dates are not ordered by id").isPositive();

            ResultSet edges = statement.executeQuery("SELECT SUM(body IS NULL), SUM(body = ''), SUM(body LIKE '%😀%'),"
                    + " SUM(body LIKE '%\n%'), SUM(amount < 0), SUM(attachment LIKE CONCAT('%', 0x00, '%')),"
                    + " SUM(JSON_VALID(payload)), SUM(recipient IS NULL) FROM run");
            edges.next();
            for (int column = 1; column <= 8; column++) {
                assertThat(edges.getLong(column)).as("edge value column " + column).isPositive();
            }
        }
    }

    @Test
    void anObjectIsPutInTheS3ServerAndReadBackEqual() {
        byte[] bytes = "id,msg_sent_date\r\n\"1\",\"1700000000000\"\r\n😀".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        String key = "run-archive/local-stack-test-" + UUID.randomUUID() + ".csv";
        try (ArchiveBucket bucket = ArchiveBucket.of(stack)) {
            bucket.client().putObject(b -> b.bucket(bucket.name()).key(key),
                    software.amazon.awssdk.core.sync.RequestBody.fromBytes(bytes));
            assertThat(bucket.read(key)).isEqualTo(bytes);
            assertThat(bucket.list("run-archive/")).anySatisfy(o -> {
                assertThat(o.key()).isEqualTo(key);
                assertThat(o.size()).isEqualTo(bytes.length);
            });
        }
    }

    @Test
    void aKilledServerComesBackOnItsPort() {
        var s3 = stack.s3();
        assertThat(FreePorts.isListening("127.0.0.1", s3.port())).isTrue();
        s3.kill();
        assertThat(FreePorts.isListening("127.0.0.1", s3.port())).isFalse();
        s3.start();
        assertThat(FreePorts.isListening("127.0.0.1", s3.port())).isTrue();
    }
}
