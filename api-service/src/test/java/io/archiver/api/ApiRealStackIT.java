package io.archiver.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.archiver.localstack.LocalStack;
import io.archiver.localstack.mysql.MySqlServer;
import io.archiver.localstack.process.StackLayout;
import io.archiver.localstack.services.ServiceFleet;
import io.archiver.operations.tokens.Roles;

/**
 * The API on the real stack: Kafka, the S3 server and MariaDB with {@code run} seeded, the four services and the API as their
 * prod-mode jars. A policy applied over the API by an admin is archived by the next run an operator triggers over the API, and
 * the run's progress streams to the client as server-sent events until it completes; the run names the caller, and no line the
 * API logged holds the token or the database password.
 */
class ApiRealStackIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long ROWS = 6_000;

    private static Path workDir;
    private static LocalStack stack;
    private static MySqlServer mysql;
    private static ServiceFleet fleet;
    private static Process api;
    private static Path apiLog;
    private static URI base;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        workDir = Path.of("target", "api-it").toAbsolutePath();
        LocalStack.deleteRecursively(workDir);
        Files.createDirectories(workDir);
        stack = new LocalStack(StackLayout.locate(workDir), "archiver_api_it");
        stack.ensure(EnumSet.of(LocalStack.Server.KAFKA, LocalStack.Server.S3));
        mysql = stack.seedMySql(ROWS, 0.5);
        fleet = ServiceFleet.start(stack, repositoryRoot(), workDir, Map.of(), Duration.ofMinutes(4));

        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        base = URI.create("http://127.0.0.1:" + port);
        apiLog = workDir.resolve("api-service.log");
        ProcessBuilder builder = new ProcessBuilder(StackLayout.java(), "-Xmx256m", "-jar",
                repositoryRoot().resolve("api-service/target/quarkus-app/quarkus-run.jar").toString()).directory(workDir.toFile())
                .redirectErrorStream(true).redirectOutput(apiLog.toFile());
        builder.environment().putAll(Map.of("QUARKUS_HTTP_PORT", String.valueOf(port), "QUARKUS_DATASOURCE_JDBC_URL", mysql.jdbcUrl(),
                "QUARKUS_DATASOURCE_USERNAME", mysql.user(), "QUARKUS_DATASOURCE_PASSWORD", mysql.password(), "KAFKA_BOOTSTRAP_SERVERS",
                stack.kafka().bootstrapServers(), "MP_JWT_VERIFY_PUBLICKEY", TestTokens.publicKeyPem()));
        api = builder.start();
        Awaitility.await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1)).ignoreExceptions()
                .until(() -> get("/q/health/ready", null).statusCode() == 200);
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (api != null) {
            api.destroy();
            api.waitFor(20, TimeUnit.SECONDS);
        }
        if (fleet != null) {
            fleet.close();
        }
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void aPolicyAppliedOverTheApiIsArchivedByARunTriggeredOverTheApiWhoseProgressStreamsUntilItCompletes() throws Exception {
        String admin = TestTokens.token("ann", Roles.ADMIN);
        // no confirmation of a first run here: this test follows the run, docs/safety-rails.md has the rails
        HttpResponse<String> applied = send(HttpRequest.newBuilder(base.resolve("/api/v1/policies")).header("Authorization", "Bearer " + admin)
                .header("Content-Type", "application/yaml").POST(HttpRequest.BodyPublishers.ofString(
                        "policies:\n  run:\n    table: run\n    batch-size: 1000\n    confirm-first-run: false\n")));
        assertThat(applied.statusCode()).as(applied.body()).isEqualTo(200);
        JsonNode change = JSON.readTree(applied.body()).get("changes").get(0);
        io.archiver.policy.TestPolicies.awaitSeen(fleet.all(), Map.of("run", change.get("version").asInt()), Duration.ofMinutes(1));

        String operator = TestTokens.token("olga", Roles.OPERATOR);
        HttpResponse<String> triggered = send(HttpRequest.newBuilder(base.resolve("/api/v1/runs")).header("Authorization", "Bearer " + operator)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"policy\": \"run\"}")));
        assertThat(triggered.statusCode()).as(triggered.body()).isEqualTo(202);
        String runId = JSON.readTree(triggered.body()).get("runId").asText();

        // the run may not be in the ledger the moment the request is published: the stream opens once it is
        String viewer = TestTokens.token("vic", Roles.VIEWER);
        Awaitility.await().atMost(Duration.ofMinutes(1)).until(() -> get("/api/v1/runs/" + runId, viewer).statusCode() == 200);
        List<JsonNode> events = new ArrayList<>();
        HttpResponse<InputStream> stream = HTTP.send(HttpRequest.newBuilder(base.resolve("/api/v1/runs/" + runId + "/progress"))
                .header("Authorization", "Bearer " + viewer).header("Accept", "text/event-stream").timeout(Duration.ofMinutes(5)).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertThat(stream.statusCode()).isEqualTo(200);
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                if (line.startsWith("data:")) {
                    events.add(JSON.readTree(line.substring("data:".length())));
                }
            }
        }
        Files.writeString(workDir.resolve("progress-events.jsonl"), String.join("\n", events.stream().map(JsonNode::toString).toList()));
        assertThat(events).isNotEmpty();
        JsonNode last = events.get(events.size() - 1);
        assertThat(last.get("done").asBoolean()).as(last.toString()).isTrue();
        assertThat(last.get("state").asText()).isEqualTo("COMPLETED");
        assertThat(last.get("outcome").asText()).isEqualTo("SUCCEEDED");
        assertThat(last.get("progress").get("percent").asInt()).isEqualTo(100);
        assertThat(last.get("rowsRemoved").asLong()).isPositive().isEqualTo(last.get("rowsFound").asLong());

        JsonNode run = JSON.readTree(get("/api/v1/runs/" + runId, viewer).body());
        assertThat(run.get("requestedBy").asText()).isEqualTo("api:olga");
        long cutoff = run.get("cutoffEpochMs").asLong();
        try (Connection connection = DriverManager.getConnection(mysql.jdbcUrl(), mysql.user(), mysql.password());
                Statement statement = connection.createStatement();
                ResultSet left = statement.executeQuery("SELECT COUNT(*) FROM run WHERE msg_sent_date < " + cutoff)) {
            left.next();
            assertThat(left.getLong(1)).as("rows older than the cutoff left in run").isZero();
        }

        String log = Files.readString(apiLog);
        assertThat(log).contains(runId).doesNotContain(operator).doesNotContain(admin).doesNotContain(viewer)
                .doesNotContain(mysql.password());
    }

    private static HttpResponse<String> get(String path, String token) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return send(request);
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return HTTP.send(request.timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
    }

    static Path repositoryRoot() {
        String root = System.getProperty("archiver.repository.root");
        return root != null ? Path.of(root) : Path.of("..").toAbsolutePath().normalize();
    }
}
