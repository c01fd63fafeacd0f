package io.archiver.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import io.archiver.events.ArchiveEvent;
import io.archiver.events.ArchiveMode;
import io.archiver.events.ArchiveRequested;
import io.archiver.events.ArchiveRunConfirmed;
import io.archiver.events.EventCodec;
import io.archiver.events.Topics;
import io.archiver.operations.requests.RunOrder;
import io.archiver.operations.requests.RunRequests;
import io.archiver.operations.tokens.Roles;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/**
 * A run's event log over the API, read from the real broker of the local stack as archivectl's {@code events} reads it: the run's
 * events in the order they occurred with where each is, a page at a time; a run no topic knows is a 404.
 */
@QuarkusTest
@TestProfile(ApiTestProfile.class)
class RunEventsApiTest {

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @Test
    void aRunsEventsInTheOrderTheyOccurredAPageAtATime() throws Exception {
        String runId = "api-events-" + UUID.randomUUID().toString().substring(0, 8);
        Instant at = Instant.now().minusSeconds(60);
        ArchiveRequested requested = RunRequests.request(new RunOrder("run", "run", Duration.ofDays(60), ArchiveMode.DELETE, true, null, null,
                runId, "api:olga"), at);
        ArchiveRunConfirmed confirmed = RunRequests.confirmation(runId, "api:ann");
        // published in the reverse order: the log orders by occurredAt, not by where the events landed
        publish(confirmed);
        publish(requested);
        publish(RunRequests.request(new RunOrder("run", "run", Duration.ofDays(60), ArchiveMode.DELETE, true, null, null,
                runId + "x", "api:other"), at)); // another run, whose id begins with this one's

        given().header("Authorization", bearer("vic", Roles.VIEWER)).get("/api/v1/runs/" + runId + "/events").then().statusCode(200)
                .body("total", equalTo(2)).body("items.kind", equalTo(List.of("REQUESTED", "CONFIRMED")))
                .body("items[0].topic", equalTo(Topics.REQUESTS)).body("items[0].event.requestedBy", equalTo("api:olga"))
                .body("items[0].details", org.hamcrest.Matchers.containsString("dryRun=true"))
                .body("items[1].details", equalTo("by=api:ann"));
        given().header("Authorization", bearer("vic", Roles.VIEWER)).get("/api/v1/runs/" + runId + "/events?offset=1&limit=1").then()
                .statusCode(200).body("items.size()", equalTo(1)).body("items[0].kind", equalTo("CONFIRMED"));
        given().header("Authorization", bearer("vic", Roles.VIEWER)).get("/api/v1/runs/run-that-never-was/events").then().statusCode(404)
                .contentType("application/problem+json");
        given().header("Authorization", bearer("vic", Roles.VIEWER)).get("/api/v1/runs/" + runId + "/events?limit=0").then().statusCode(400)
                .body("field", equalTo("limit"));
    }

    private void publish(ArchiveEvent event) throws Exception {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props)) {
            producer.send(new ProducerRecord<>(Topics.REQUESTS, event.key().getBytes(java.nio.charset.StandardCharsets.UTF_8),
                    EventCodec.encode(event))).get(30, TimeUnit.SECONDS);
        }
    }

    private static String bearer(String subject, Roles role) {
        return "Bearer " + TestTokens.token(subject, role);
    }
}
