package io.archiver.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.awaitility.Awaitility;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import io.archiver.events.Topics;
import io.archiver.operations.tokens.Roles;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/**
 * Dead letters and partition replays over the API on the real broker of the local stack, as archivectl's {@code dlq} and
 * {@code replay} do them: a dead letter listed with its reason, replayed once to its source topic with the caller on it and
 * skipped the second time; a stopped group's offset reset (a dry run changes nothing); bad input refused naming the field with
 * nothing sent.
 */
@QuarkusTest
@TestProfile(ApiTestProfile.class)
class KafkaOperationsApiTest {

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @Test
    void aDeadLetterIsListedWithItsReasonReplayedOnceWithTheCallerAndThenSkipped() throws Exception {
        String run = "api-dlq-" + UUID.randomUUID().toString().substring(0, 8);
        String key = run + "-b000001";
        RecordHeaders headers = new RecordHeaders();
        headers.add("dead-letter-reason", "ROWS_CHANGED between export and delete".getBytes(StandardCharsets.UTF_8));
        headers.add("dead-letter-topic", Topics.BATCHES.getBytes(StandardCharsets.UTF_8));
        headers.add("dead-letter-partition", "0".getBytes(StandardCharsets.UTF_8));
        headers.add("dead-letter-offset", "3".getBytes(StandardCharsets.UTF_8));
        headers.add("trace", "poison-1".getBytes(StandardCharsets.UTF_8));
        send(new ProducerRecord<>(Topics.dlq(Topics.BATCHES), null, key.getBytes(StandardCharsets.UTF_8),
                "{\"type\":\"ArchiveBatchReady\", not json".getBytes(StandardCharsets.UTF_8), headers));

        given().header("Authorization", bearer("vic", Roles.VIEWER)).get("/api/v1/dead-letters?run=" + run).then().statusCode(200)
                .body("total", equalTo(1)).body("items[0].dlqTopic", equalTo("archive.batches.dlq"))
                .body("items[0].sourceTopic", equalTo(Topics.BATCHES)).body("items[0].key", equalTo(key))
                .body("items[0].reason", equalTo("ROWS_CHANGED between export and delete")).body("items[0].replayed", equalTo(false));

        long before = endOffset(Topics.BATCHES);
        given().header("Authorization", bearer("olga", Roles.OPERATOR)).contentType("application/json")
                .body(Map.of("run", run, "dryRun", true)).post("/api/v1/dead-letters/replay").then().statusCode(200)
                .body("sent", equalTo(1)).body("outcomes[0].action", equalTo("WOULD_SEND"));
        assertThat(endOffset(Topics.BATCHES)).as("a dry run sends nothing").isEqualTo(before);

        given().header("Authorization", bearer("olga", Roles.OPERATOR)).contentType("application/json").body(Map.of("run", run))
                .post("/api/v1/dead-letters/replay").then().statusCode(200).body("sent", equalTo(1)).body("skipped", equalTo(0))
                .body("outcomes[0].action", equalTo("SENT")).body("outcomes[0].topic", equalTo(Topics.BATCHES))
                .body("outcomes[0].partition", equalTo(0));
        ConsumerRecord<byte[], byte[]> copy = lastOf(Topics.BATCHES, 0);
        assertThat(new String(copy.key(), StandardCharsets.UTF_8)).isEqualTo(key);
        assertThat(header(copy, "archiver-replayed-by")).isEqualTo("api:olga");
        assertThat(header(copy, "trace")).isEqualTo("poison-1");
        assertThat(copy.headers().lastHeader("dead-letter-reason")).isNull();

        given().header("Authorization", bearer("olga", Roles.OPERATOR)).contentType("application/json").body(Map.of("run", run))
                .post("/api/v1/dead-letters/replay").then().statusCode(200).body("sent", equalTo(0)).body("skipped", equalTo(1));
        assertThat(endOffset(Topics.BATCHES)).as("sent once").isEqualTo(before + 1);
        given().header("Authorization", bearer("vic", Roles.VIEWER)).get("/api/v1/dead-letters?run=" + run).then().statusCode(200)
                .body("items[0].replayed", equalTo(true));

        given().header("Authorization", bearer("olga", Roles.OPERATOR)).contentType("application/json")
                .body(Map.of("topic", "archive.nowhere")).post("/api/v1/dead-letters/replay").then().statusCode(400)
                .contentType("application/problem+json").body("field", equalTo("topic"));
        given().header("Authorization", bearer("olga", Roles.OPERATOR)).contentType("application/json").body(Map.of())
                .post("/api/v1/dead-letters/replay").then().statusCode(400).body("field", equalTo("run"));
        assertThat(endOffset(Topics.BATCHES)).isEqualTo(before + 1);
    }

    @Test
    void aStoppedGroupsOffsetIsResetAndBadInputIsRefusedNamingTheField() throws Exception {
        String group = "api-replay-" + UUID.randomUUID().toString().substring(0, 8);
        for (int i = 0; i < 3; i++) {
            send(new ProducerRecord<>(Topics.SHARDS, 0, ("k" + i).getBytes(StandardCharsets.UTF_8), "x".getBytes(StandardCharsets.UTF_8)));
        }
        long end = endOffset(Topics.SHARDS, 0);
        try (Admin admin = admin()) {
            admin.alterConsumerGroupOffsets(group, Map.of(new TopicPartition(Topics.SHARDS, 0), new OffsetAndMetadata(end))).all()
                    .get(30, TimeUnit.SECONDS);
        }
        Map<String, Object> order = Map.of("topic", Topics.SHARDS, "partition", 0, "group", group, "fromOffset", end - 2, "dryRun", true);
        given().header("Authorization", bearer("olga", Roles.OPERATOR)).contentType("application/json").body(order).post("/api/v1/replays")
                .then().statusCode(200).body("action", equalTo("WOULD_RESET")).body("committedBefore", equalTo((int) end))
                .body("records", equalTo(2));
        assertThat(committed(group)).as("a dry run changes nothing").isEqualTo(end);

        Map<String, Object> reset = new java.util.HashMap<>(order);
        reset.remove("dryRun");
        given().header("Authorization", bearer("olga", Roles.OPERATOR)).contentType("application/json").body(reset).post("/api/v1/replays")
                .then().statusCode(200).body("action", equalTo("RESET")).body("target", equalTo((int) end - 2)).body("firstCopy", nullValue());
        assertThat(committed(group)).isEqualTo(end - 2);

        long shardsEnd = endOffset(Topics.SHARDS);
        refused(Map.of("topic", "__consumer_offsets", "partition", 0, "group", group, "fromOffset", 0), "topic");
        refused(Map.of("topic", Topics.SHARDS, "group", group, "fromOffset", 0), "partition");
        refused(Map.of("topic", Topics.SHARDS, "partition", 0, "group", group), "fromOffset");
        refused(Map.of("topic", Topics.SHARDS, "partition", 0, "group", group, "fromOffset", -1), "fromOffset");
        refused(Map.of("topic", Topics.SHARDS, "partition", 0, "group", group, "fromTimestamp", "yesterday"), "fromTimestamp");
        refused(Map.of("topic", Topics.SHARDS, "partition", 0, "fromOffset", 0), "group");
        given().header("Authorization", bearer("olga", Roles.OPERATOR)).contentType("application/json")
                .body(Map.of("topic", Topics.SHARDS, "partition", 99, "group", group, "fromOffset", 0)).post("/api/v1/replays").then()
                .statusCode(404).contentType("application/problem+json");
        assertThat(endOffset(Topics.SHARDS)).as("nothing published").isEqualTo(shardsEnd);
        assertThat(committed(group)).isEqualTo(end - 2);
    }

    private void refused(Map<String, Object> body, String field) {
        given().header("Authorization", bearer("olga", Roles.OPERATOR)).contentType("application/json").body(body).post("/api/v1/replays")
                .then().statusCode(400).contentType("application/problem+json").body("field", equalTo(field));
    }

    private void send(ProducerRecord<byte[], byte[]> record) throws Exception {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props)) {
            producer.send(record).get(30, TimeUnit.SECONDS);
        }
    }

    private Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers));
    }

    private long committed(String group) throws Exception {
        try (Admin admin = admin()) {
            OffsetAndMetadata offset = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS)
                    .get(new TopicPartition(Topics.SHARDS, 0));
            return offset == null ? -1 : offset.offset();
        }
    }

    private KafkaConsumer<byte[], byte[]> consumer() {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        return new KafkaConsumer<>(props);
    }

    private long endOffset(String topic) {
        try (KafkaConsumer<byte[], byte[]> consumer = consumer()) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            return consumer.endOffsets(partitions).values().stream().mapToLong(Long::longValue).sum();
        }
    }

    private long endOffset(String topic, int partition) {
        try (KafkaConsumer<byte[], byte[]> consumer = consumer()) {
            TopicPartition tp = new TopicPartition(topic, partition);
            return consumer.endOffsets(List.of(tp)).get(tp);
        }
    }

    private ConsumerRecord<byte[], byte[]> lastOf(String topic, int partition) {
        try (KafkaConsumer<byte[], byte[]> consumer = consumer()) {
            TopicPartition tp = new TopicPartition(topic, partition);
            consumer.assign(List.of(tp));
            long end = consumer.endOffsets(List.of(tp)).get(tp);
            consumer.seek(tp, end - 1);
            List<ConsumerRecord<byte[], byte[]>> read = new ArrayList<>();
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(read::add);
                return !read.isEmpty();
            });
            return read.get(0);
        }
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        var header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static String bearer(String subject, Roles role) {
        return "Bearer " + TestTokens.token(subject, role);
    }
}
