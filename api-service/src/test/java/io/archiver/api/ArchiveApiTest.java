package io.archiver.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.zip.GZIPOutputStream;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.apache.commons.csv.CSVPrinter;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.archiver.events.EventCodec;
import io.archiver.events.RestoreRequested;
import io.archiver.manifest.ArchiveManifest;
import io.archiver.manifest.ManifestCodec;
import io.archiver.manifest.ManifestKeys;
import io.archiver.objectstore.ObjectStore;
import io.archiver.operations.tokens.Roles;
import io.archiver.rows.ShardFormat;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * The archive endpoints on the real S3 server, MariaDB and Kafka: a find answers the rows of the objects whose manifest ranges
 * hold them, a page at a time, and never a row of a damaged object; a download is verified before it is sent and refused when
 * it differs; holds are placed and released by an admin with the caller as actor and listed by a viewer; a purge dry run
 * reports per policy; a restore request is published with the caller as requestedBy; bad input is refused naming the field.
 */
@QuarkusTest
@TestProfile(ApiTestProfile.class)
class ArchiveApiTest {

    private static final String POLICY = "apiarchive";
    private static final String PREFIX = "apiarchive-archive/";
    private static final long T0 = 1_735_689_600_000L; // 2025-01-01T00:00:00Z
    private static final List<String> KEYS = new ArrayList<>();
    private static final List<byte[]> BYTES = new ArrayList<>();

    @Inject
    DataSource dataSource;

    @Inject
    ObjectStore store;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @BeforeEach
    void policyAndObjects() throws Exception {
        sql("CREATE TABLE IF NOT EXISTS run (id BIGINT NOT NULL PRIMARY KEY, msg_sent_date BIGINT NOT NULL, body VARCHAR(64),"
                + " KEY idx_run_msg_sent_date (msg_sent_date))");
        given().header("Authorization", bearer("ann", Roles.ADMIN)).contentType("application/yaml")
                .body(("policies:\n  " + POLICY + ":\n    table: run\n    prefix: apiarchive-archive\n    enabled: false\n").getBytes(StandardCharsets.UTF_8))
                .post("/api/v1/policies").then().statusCode(200);
        synchronized (KEYS) {
            if (KEYS.isEmpty()) {
                for (int object = 1; object <= 3; object++) {
                    put(100L * object, object == 3);
                }
            }
        }
    }

    @Test
    void aFindAnswersTheRowsOfIntactObjectsAPageAtATimeWithTheirObjects() {
        given().header("Authorization", bearer("vic", Roles.VIEWER)).get("/api/v1/archive/find?policy=" + POLICY + "&key=150").then()
                .statusCode(200).body("total", equalTo(1)).body("opened", equalTo(1)).body("skipped", equalTo(2))
                .body("items[0].object", equalTo(KEYS.get(0))).body("items[0].values.id", equalTo("150"))
                .body("items[0].values.body", equalTo("row 150\nline 2")).body("refused.size()", equalTo(0));
        given().header("Authorization", bearer("vic", Roles.VIEWER))
                .get("/api/v1/archive/find?policy=" + POLICY + "&keyFrom=180&keyTo=230&offset=2&limit=3").then().statusCode(200)
                .body("total", equalTo(6)).body("items.values.id", equalTo(List.of("200", "210", "220"))).body("items[0].object",
                        equalTo(KEYS.get(1)));
        // a find that must open the damaged object refuses it: none of its rows is answered
        given().header("Authorization", bearer("vic", Roles.VIEWER)).get("/api/v1/archive/find?policy=" + POLICY + "&keyFrom=290&keyTo=310")
                .then().statusCode(200).body("total", equalTo(1)).body("items.values.id", equalTo(List.of("290")))
                .body("refused.size()", equalTo(1)).body("refused[0]", org.hamcrest.Matchers.containsString("SHA-256"));
        given().header("Authorization", bearer("vic", Roles.VIEWER))
                .get("/api/v1/archive/find?policy=" + POLICY + "&from=2025-01-03T00:00:00Z&to=2025-01-04T00:00:00Z").then().statusCode(200)
                .body("total", equalTo(10)).body("items[0].object", equalTo(KEYS.get(1)));

        problem(given().header("Authorization", bearer("vic", Roles.VIEWER)).get("/api/v1/archive/find?policy=" + POLICY + "&key=1&keyFrom=2"),
                400, "key");
        problem(given().header("Authorization", bearer("vic", Roles.VIEWER)).get("/api/v1/archive/find?policy=" + POLICY + "&keyFrom=2"), 400,
                "keyTo");
        problem(given().header("Authorization", bearer("vic", Roles.VIEWER)).get("/api/v1/archive/find?policy=nope&key=1"), 400, "policy");
        problem(given().header("Authorization", bearer("vic", Roles.VIEWER)).get("/api/v1/archive/find?policy=" + POLICY + "&from=yesterday"),
                400, "from");
    }

    @Test
    void aDownloadIsVerifiedBeforeItIsSentAndRefusedWhenTheObjectDiffers() throws Exception {
        Response ok = given().header("Authorization", bearer("vic", Roles.VIEWER)).get("/api/v1/archive/objects/" + KEYS.get(0));
        assertThat(ok.statusCode()).as(ok.asString()).isEqualTo(200);
        assertThat(ok.asByteArray()).isEqualTo(BYTES.get(0));
        assertThat(ok.header("X-Archive-Sha256")).isEqualTo(sha256(BYTES.get(0)));
        assertThat(ok.contentType()).isEqualTo("application/gzip");

        Response damaged = given().header("Authorization", bearer("vic", Roles.VIEWER)).get("/api/v1/archive/objects/" + KEYS.get(2));
        assertThat(damaged.statusCode()).isEqualTo(502);
        assertThat(damaged.contentType()).startsWith("application/problem+json");
        assertThat(damaged.asString()).contains("SHA-256").contains("nothing of it was sent");

        given().header("Authorization", bearer("vic", Roles.VIEWER)).get("/api/v1/archive/objects/" + PREFIX + "no-such.csv.gz").then()
                .statusCode(404).contentType("application/problem+json");
    }

    @Test
    void anAdminPlacesAndReleasesAHoldThatAViewerSeesWithItsActor() {
        String reason = "case " + UUID.randomUUID();
        Response placed = given().header("Authorization", bearer("ann", Roles.ADMIN)).contentType("application/json")
                .body(Map.of("policy", POLICY, "firstKey", 100, "lastKey", 199, "reason", reason)).post("/api/v1/holds");
        assertThat(placed.statusCode()).as(placed.asString()).isEqualTo(201);
        assertThat(placed.jsonPath().getString("placedBy")).isEqualTo("api:ann");
        assertThat(placed.jsonPath().getString("scope")).isEqualTo("KEY_RANGE");
        long id = placed.jsonPath().getLong("id");

        given().header("Authorization", bearer("vic", Roles.VIEWER)).get("/api/v1/holds?policy=" + POLICY).then().statusCode(200)
                .body("items.reason", hasItem(reason));
        // refused naming the field, and nothing stored
        int before = given().header("Authorization", bearer("vic", Roles.VIEWER)).get("/api/v1/holds?all=true&limit=200").jsonPath()
                .getInt("total");
        problem(given().header("Authorization", bearer("ann", Roles.ADMIN)).contentType("application/json")
                .body(Map.of("policy", POLICY, "firstKey", 100, "lastKey", 199)).post("/api/v1/holds"), 400, "reason");
        problem(given().header("Authorization", bearer("ann", Roles.ADMIN)).contentType("application/json")
                .body(Map.of("policy", POLICY, "run", "r", "object", "o", "reason", "x")).post("/api/v1/holds"), 400, "scope");
        problem(given().header("Authorization", bearer("ann", Roles.ADMIN)).contentType("application/json")
                .body(Map.of("policy", POLICY, "reason", "x", "until", "2020-01-01T00:00:00Z")).post("/api/v1/holds"), 400, "until");
        assertThat(given().header("Authorization", bearer("vic", Roles.VIEWER)).get("/api/v1/holds?all=true&limit=200").jsonPath()
                .getInt("total")).isEqualTo(before);

        // a purge dry run of the policy reports it; nothing is due yet
        given().header("Authorization", bearer("ann", Roles.ADMIN)).contentType("application/json")
                .body(Map.of("policy", POLICY, "dryRun", true)).post("/api/v1/purge").then().statusCode(200).body("dryRun", equalTo(true))
                .body("policies[0].policy", equalTo(POLICY)).body("policies[0].objects.purged.size()", equalTo(0));
        problem(given().header("Authorization", bearer("ann", Roles.ADMIN)).contentType("application/json")
                .body(Map.of("dryRun", true, "batchRows", 0)).post("/api/v1/purge"), 400, "batchRows");

        given().header("Authorization", bearer("ann", Roles.ADMIN)).post("/api/v1/holds/" + id + "/release").then().statusCode(200)
                .body("releasedBy", equalTo("api:ann"));
        problem(given().header("Authorization", bearer("ann", Roles.ADMIN)).post("/api/v1/holds/" + id + "/release"), 400, "id");
        given().header("Authorization", bearer("vic", Roles.VIEWER)).get("/api/v1/holds?policy=" + POLICY).then().statusCode(200)
                .body("items.id", org.hamcrest.Matchers.not(hasItem((int) id)));
        given().header("Authorization", bearer("ann", Roles.ADMIN)).get("/api/v1/audit?policy=" + POLICY + "&limit=200").then().statusCode(200)
                .body("items.actor", hasItem("api:ann"));
    }

    @Test
    void aRestoreIsPublishedWithTheCallerAndBadInputIsRefusedNamingTheField() throws Exception {
        Response requested = given().header("Authorization", bearer("olga", Roles.OPERATOR)).contentType("application/json")
                .body(Map.of("policy", POLICY, "keyFrom", "100", "keyTo", "120", "into", "run_restored", "dryRun", true)).post("/api/v1/restores");
        assertThat(requested.statusCode()).as(requested.asString()).isEqualTo(202);
        assertThat(requested.jsonPath().getString("requestedBy")).isEqualTo("api:olga");
        String restoreId = requested.jsonPath().getString("restoreId");
        RestoreRequested published = (RestoreRequested) EventCodec.decode(record(requested.jsonPath().getString("topic"),
                requested.jsonPath().getInt("partition"), requested.jsonPath().getLong("offset")));
        assertThat(published.runId()).isEqualTo(restoreId);
        assertThat(published.requestedBy()).isEqualTo("api:olga");
        assertThat(published.targetTable()).isEqualTo("run_restored");
        assertThat(published.dryRun()).isTrue();

        problem(given().header("Authorization", bearer("olga", Roles.OPERATOR)).contentType("application/json")
                .body(Map.of("policy", POLICY, "into", "run_restored")).post("/api/v1/restores"), 400, "scope");
        problem(given().header("Authorization", bearer("olga", Roles.OPERATOR)).contentType("application/json")
                .body(Map.of("policy", POLICY, "run", "r1", "into", "run")).post("/api/v1/restores"), 400, "into");
        problem(given().header("Authorization", bearer("olga", Roles.OPERATOR)).contentType("application/json")
                .body(Map.of("policy", "nope", "run", "r1", "into", "x")).post("/api/v1/restores"), 400, "policy");
        problem(given().header("Authorization", bearer("olga", Roles.OPERATOR)).contentType("application/json")
                .body(Map.of("policy", POLICY, "from", "2025-01-02", "to", "2025-01-03T00:00:00Z", "into", "x")).post("/api/v1/restores"), 400,
                "from");

        given().header("Authorization", bearer("vic", Roles.VIEWER)).get("/api/v1/restores?policy=" + POLICY).then().statusCode(200)
                .body("limit", equalTo(20));
        given().header("Authorization", bearer("vic", Roles.VIEWER)).get("/api/v1/restores/restore-none").then().statusCode(404)
                .contentType("application/problem+json");
    }

    private static void problem(Response response, int status, String field) {
        assertThat(response.statusCode()).as(response.asString()).isEqualTo(status);
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(response.jsonPath().getString("field")).as(response.asString()).isEqualTo(field);
    }

    private byte[] record(String topic, int partition, long offset) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props)) {
            TopicPartition at = new TopicPartition(topic, partition);
            consumer.assign(List.of(at));
            consumer.seek(at, offset);
            List<ConsumerRecord<byte[], byte[]>> got = new ArrayList<>();
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(got::add);
                return !got.isEmpty();
            });
            return got.get(0).value();
        }
    }

    /** One object of ten rows (ids first..first+90, day first/100 after T0) and its manifest; {@code damage}: a bit flipped after. */
    private void put(long first, boolean damage) throws IOException {
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        List<List<String>> rows = new ArrayList<>();
        try (CSVPrinter printer = new CSVPrinter(new OutputStreamWriter(new GZIPOutputStream(gz), StandardCharsets.UTF_8), ShardFormat.CSV)) {
            printer.printRecord(List.of("id", "msg_sent_date", "body"));
            for (long id = first; id < first + 100; id += 10) {
                List<String> row = List.of(Long.toString(id), Long.toString(T0 + first / 100 * 86_400_000L + id), "row " + id + "\nline 2");
                rows.add(row);
                printer.printRecord(row);
            }
        }
        byte[] bytes = gz.toByteArray();
        String key = String.format("%srun_archive_20250101_%s_%019d-%019d_api-test-run.csv.gz", PREFIX, POLICY, first, first + 90);
        ArchiveManifest manifest = new ArchiveManifest(ArchiveManifest.FORMAT_VERSION, POLICY, "run", "api-test-run", "id", "msg_sent_date",
                "EPOCH_MILLIS", List.of(new ArchiveManifest.Column("id", "bigint", "bigint(20)"),
                        new ArchiveManifest.Column("msg_sent_date", "bigint", "bigint(20)"),
                        new ArchiveManifest.Column("body", "varchar", "varchar(64)")),
                ArchiveManifest.Encoding.CURRENT, List.of(new ArchiveManifest.ObjectEntry(key, Long.toString(first), Long.toString(first + 90),
                        rows.get(0).get(1), rows.get(rows.size() - 1).get(1), rows.size(), bytes.length, sha256(bytes), "0".repeat(64),
                        ArchiveManifest.CSV_GZIP)));
        byte[] stored = bytes.clone();
        if (damage) {
            stored[stored.length / 2] ^= 0x01;
        }
        store.client().putObject(b -> b.bucket(store.bucket()).key(key), RequestBody.fromBytes(stored));
        store.client().putObject(b -> b.bucket(store.bucket()).key(ManifestKeys.ofObject(key)), RequestBody.fromBytes(ManifestCodec.encode(manifest)));
        KEYS.add(key);
        BYTES.add(bytes);
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String bearer(String subject, Roles role) {
        return "Bearer " + TestTokens.token(subject, role);
    }

    private void sql(String statement) throws SQLException {
        try (Connection connection = dataSource.getConnection(); Statement s = connection.createStatement()) {
            s.execute(statement);
        }
    }
}
