package io.archiver.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.awaitility.Awaitility;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.archiver.events.ArchiveEvent;
import io.archiver.events.ArchiveRequested;
import io.archiver.events.EventCodec;
import io.archiver.events.Topics;
import io.archiver.operations.tokens.Roles;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/**
 * The API's operations on the real Kafka and MariaDB: a policy applied by an admin, a run triggered by an operator (the request
 * on archive.requests names the caller), bad input refused as a problem naming the field with nothing published, and a run's
 * batches and its progress streamed as server-sent events until it completes.
 */
@QuarkusTest
@TestProfile(ApiTestProfile.class)
class RunApiTest {

    private static final String POLICY = """
            policies:
              apirun:
                table: run
                date-column: msg_sent_date
                min-age: P61D
                prefix: apirun-archive
            """;

    @Inject
    DataSource dataSource;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @TestHTTPResource("/api/v1/runs")
    URI runs;

    @BeforeEach
    void runTableAndPolicy() throws SQLException {
        sql("CREATE TABLE IF NOT EXISTS run (id BIGINT NOT NULL PRIMARY KEY, msg_sent_date BIGINT NOT NULL, body VARCHAR(64),"
                + " KEY idx_run_msg_sent_date (msg_sent_date))");
        given().header("Authorization", bearer("ann", Roles.ADMIN)).contentType("application/yaml").body(POLICY.getBytes(StandardCharsets.UTF_8))
                .post("/api/v1/policies").then().statusCode(200);
    }

    @Test
    void aPolicyAppliedByAnAdminIsReadByAViewerWithItsActor() {
        given().header("Authorization", bearer("vic", Roles.VIEWER)).get("/api/v1/policies/apirun").then().statusCode(200)
                .body("name", equalTo("apirun")).body("settings.table", equalTo("run")).body("settings.min-age", equalTo("P61D"));
        given().header("Authorization", bearer("vic", Roles.VIEWER)).get("/api/v1/policies/apirun/history").then().statusCode(200)
                .body("[0].actor", equalTo("api:ann"));
        given().header("Authorization", bearer("vic", Roles.VIEWER)).get("/api/v1/policies?limit=1").then().statusCode(200)
                .body("limit", equalTo(1)).body("items.size()", equalTo(1));
        // a document that does not fit its live table is refused naming the problem, and changes nothing
        given().header("Authorization", bearer("ann", Roles.ADMIN)).contentType("application/yaml")
                .body("policies:\n  ghost:\n    table: no_such_table\n".getBytes(StandardCharsets.UTF_8)).post("/api/v1/policies").then().statusCode(400)
                .contentType("application/problem+json").body("field", equalTo("policies"));
        given().header("Authorization", bearer("vic", Roles.VIEWER)).get("/api/v1/policies/ghost").then().statusCode(404)
                .contentType("application/problem+json");
    }

    @Test
    void aTriggeredRunIsPublishedWithTheCallerAsRequestedBy() throws Exception {
        long before = endOffset();
        String runId = "api-test-" + UUID.randomUUID().toString().substring(0, 8);
        given().header("Authorization", bearer("olga", Roles.OPERATOR)).contentType("application/json")
                .body(Map.of("policy", "run", "dryRun", true, "minAge", "P90D", "runId", runId)).post("/api/v1/runs").then()
                .statusCode(202).body("runId", equalTo(runId)).body("requestedBy", equalTo("api:olga"));
        List<ArchiveEvent> published = readRequests(before);
        assertThat(published).hasSize(1);
        ArchiveRequested request = (ArchiveRequested) published.get(0);
        assertThat(request.runId()).isEqualTo(runId);
        assertThat(request.requestedBy()).isEqualTo("api:olga");
        assertThat(request.dryRun()).isTrue();
        assertThat(request.policy()).isEqualTo("run");
    }

    @Test
    void badInputIsRefusedNamingTheFieldAndNothingIsPublished() throws Exception {
        long before = endOffset();
        refused(Map.of("policy", "run", "minAge", "P0D"), "minAge");
        refused(Map.of("policy", "run", "minAge", "sixty days"), "minAge");
        refused(Map.of("policy", "run", "mode", "SIDEWAYS"), "mode");
        refused(Map.of("policy", "run", "runId", "no spaces please"), "runId");
        refused(Map.of("policy", "nosuch"), "policy");
        refused(Map.of("table", "run"), "policy");
        given().header("Authorization", bearer("olga", Roles.OPERATOR)).get("/api/v1/runs?limit=0").then().statusCode(400)
                .body("field", equalTo("limit"));
        assertThat(endOffset()).as("nothing published").isEqualTo(before);
    }

    private void refused(Map<String, Object> body, String field) {
        given().header("Authorization", bearer("olga", Roles.OPERATOR)).contentType("application/json").body(body).post("/api/v1/runs")
                .then().statusCode(400).contentType("application/problem+json").body("field", equalTo(field));
    }

    @Test
    void aRunShowsItsBatchesAndItsProgressStreamsUntilItCompletes() throws Exception {
        String runId = "api-stream-" + UUID.randomUUID().toString().substring(0, 8);
        long now = System.currentTimeMillis();
        sql("INSERT INTO archive_run (run_id, policy, table_name, cutoff_epoch_ms, mode, run_date, dry_run, requested_by, state,"
                + " batches_planned, rows_found, requested_at_ms, planned_at_ms) VALUES ('" + runId + "', 'run', 'run', " + (now - 1000)
                + ", 'DELETE', CURRENT_DATE, false, 'api:olga', 'RUNNING', 2, 200, " + (now - 2000) + ", " + (now - 1500) + ")");
        sql("INSERT INTO archive_batch (batch_id, run_id, seq, first_id, last_id, expected_rows, state, rows_exported, rows_uploaded,"
                + " rows_removed, object_key, object_bytes, updated_at_ms) VALUES ('" + runId + "-1', '" + runId + "', 1, 1, 100, 100,"
                + " 'DELETED', 100, 100, 100, 'run_archive_20261206/a.csv', 1000, " + now + ")");
        sql("INSERT INTO archive_batch (batch_id, run_id, seq, first_id, last_id, expected_rows, state, updated_at_ms, failed_stage,"
                + " failure_reason, failure_detail) VALUES ('" + runId + "-2', '" + runId + "', 2, 101, 200, 100, 'PLANNED', " + now
                + ", NULL, NULL, NULL)");

        given().header("Authorization", bearer("vic", Roles.VIEWER)).get("/api/v1/runs/" + runId).then().statusCode(200)
                .body("state", equalTo("RUNNING")).body("batches.size()", equalTo(2)).body("rowsRemoved", equalTo(100))
                .body("progress.percent", equalTo(50));

        List<JsonNode> events = Collections.synchronizedList(new ArrayList<>());
        HttpRequest request = HttpRequest.newBuilder(URI.create(runs + "/" + runId + "/progress"))
                .header("Authorization", bearer("vic", Roles.VIEWER)).header("Accept", "text/event-stream").build();
        CompletableFuture<HttpResponse<java.io.InputStream>> response = HttpClient.newHttpClient().sendAsync(request,
                HttpResponse.BodyHandlers.ofInputStream());
        CompletableFuture<Void> reading = response.thenAcceptAsync(r -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null) {
                    if (line.startsWith("data:")) {
                        events.add(new ObjectMapper().readTree(line.substring("data:".length())));
                    }
                }
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> !events.isEmpty());
        assertThat(events.get(0).get("progress").get("percent").asInt()).isEqualTo(50);
        assertThat(events.get(0).get("done").asBoolean()).isFalse();

        // the second batch fails; the run completes: the stream says so and ends
        sql("UPDATE archive_batch SET state = 'FAILED', failed_stage = 'UPLOAD', failure_reason = 'OBJECT_KEY_CONFLICT',"
                + " failure_detail = 'another object under the key' WHERE batch_id = '" + runId + "-2'");
        sql("UPDATE archive_run SET state = 'COMPLETED', outcome = 'PARTIAL', completed_at_ms = " + System.currentTimeMillis()
                + " WHERE run_id = '" + runId + "'");
        reading.get(30, java.util.concurrent.TimeUnit.SECONDS);
        JsonNode last = events.get(events.size() - 1);
        assertThat(last.get("done").asBoolean()).isTrue();
        assertThat(last.get("state").asText()).isEqualTo("COMPLETED");
        assertThat(last.get("rowsFailed").asLong()).isEqualTo(100);

        given().header("Authorization", bearer("vic", Roles.VIEWER)).get("/api/v1/runs/" + runId).then().statusCode(200)
                .body("batches[1].failureReason", equalTo("OBJECT_KEY_CONFLICT"));
        given().header("Authorization", bearer("vic", Roles.VIEWER)).get("/api/v1/runs?limit=200").then().statusCode(200)
                .body("items.runId", org.hamcrest.Matchers.hasItem(runId));
    }

    private static String bearer(String subject, Roles role) {
        return "Bearer " + TestTokens.token(subject, role);
    }

    private void sql(String statement) throws SQLException {
        try (Connection connection = dataSource.getConnection(); Statement s = connection.createStatement()) {
            s.execute(statement);
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

    /** The sum of archive.requests' end offsets (0 before the topic exists). */
    private long endOffset() {
        try (KafkaConsumer<byte[], byte[]> consumer = consumer()) {
            var partitions = consumer.partitionsFor(Topics.REQUESTS, Duration.ofSeconds(30));
            if (partitions == null || partitions.isEmpty()) {
                return 0;
            }
            return consumer.endOffsets(partitions.stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList()).values().stream()
                    .mapToLong(Long::longValue).sum();
        }
    }

    /** The requests published after the end offsets summed to {@code before} (one partition in the test stack, or read all). */
    private List<ArchiveEvent> readRequests(long before) {
        List<ArchiveEvent> events = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = consumer()) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.REQUESTS, Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long total = end.values().stream().mapToLong(Long::longValue).sum();
            List<ConsumerRecord<byte[], byte[]>> all = new ArrayList<>();
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(all::add);
                return all.size() >= total;
            });
            // the records of this test: those past the offsets seen before, by position in each partition's order
            all.sort(java.util.Comparator.comparingLong(ConsumerRecord::timestamp));
            for (ConsumerRecord<byte[], byte[]> record : all.subList((int) before, all.size())) {
                events.add(EventCodec.decode(record.value()));
            }
        }
        return events;
    }
}
