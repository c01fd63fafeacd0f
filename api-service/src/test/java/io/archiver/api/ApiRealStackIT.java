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
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.archiver.localstack.LocalStack;
import io.archiver.localstack.mysql.MySqlServer;
import io.archiver.localstack.pipeline.ArchiveBucket;
import io.archiver.localstack.process.StackLayout;
import io.archiver.localstack.services.ServiceFleet;
import io.archiver.operations.tokens.Roles;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * The API on the real stack: Kafka, the S3 server and MariaDB with {@code run} seeded, the four services and the API as their
 * prod-mode jars. A policy applied over the API by an admin is archived by the next run an operator triggers over the API, and
 * the run's progress streams to the client as server-sent events until it completes; the run names the caller. The console in
 * Debian's headless Chromium on the same stack: an operator signs in, triggers a dry run and a real run of {@code run}, watches the
 * real run's progress bar reach 100% and opens the reason of a batch that really failed (an object key taken by other bytes:
 * the uploader refuses it); a viewer sees the holds read-only. No response and no line the API logged holds a token, the
 * database password or the S3 secret key.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ApiRealStackIT {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path DRIVER = Path.of("/usr/bin/chromedriver");
    /** Every response body the tests read, checked for credentials at the end. */
    private static final ConcurrentLinkedQueue<String> BODIES = new ConcurrentLinkedQueue<>();
    private static final Set<String> TOKENS = java.util.concurrent.ConcurrentHashMap.newKeySet();

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
        // the archive bucket as the services reach it: endpoint, region, credentials, bucket
        stack.environment().forEach((name, value) -> {
            if (name.startsWith("QUARKUS_S3_") || name.startsWith("ARCHIVER_S3_")) {
                builder.environment().put(name, value);
            }
        });
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
    @Order(1)
    void aPolicyAppliedOverTheApiIsArchivedByARunTriggeredOverTheApiWhoseProgressStreamsUntilItCompletes() throws Exception {
        String admin = token("ann", Roles.ADMIN);
        // no confirmation of a first run here: this test follows the run, docs/safety-rails.md has the rails
        HttpResponse<String> applied = send(HttpRequest.newBuilder(base.resolve("/api/v1/policies")).header("Authorization", "Bearer " + admin)
                .header("Content-Type", "application/yaml").POST(HttpRequest.BodyPublishers.ofString(
                        "policies:\n  run:\n    table: run\n    batch-size: 1000\n    confirm-first-run: false\n")));
        assertThat(applied.statusCode()).as(applied.body()).isEqualTo(200);
        JsonNode change = JSON.readTree(applied.body()).get("changes").get(0);
        io.archiver.policy.TestPolicies.awaitSeen(fleet.all(), Map.of("run", change.get("version").asInt()), Duration.ofMinutes(1));

        String operator = token("olga", Roles.OPERATOR);
        HttpResponse<String> triggered = send(HttpRequest.newBuilder(base.resolve("/api/v1/runs")).header("Authorization", "Bearer " + operator)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"policy\": \"run\"}")));
        assertThat(triggered.statusCode()).as(triggered.body()).isEqualTo(202);
        String runId = JSON.readTree(triggered.body()).get("runId").asText();

        // the run may not be in the ledger the moment the request is published: the stream opens once it is
        String viewer = token("vic", Roles.VIEWER);
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

        assertThat(Files.readString(apiLog)).contains(runId);
    }

    @Test
    @Order(2)
    void inTheConsoleAnOperatorTriggersADryRunAndARunWatchesItReach100PercentAndOpensAReallyFailedBatchsReason() throws Exception {
        assertThat(Files.isExecutable(CHROMIUM) && Files.isExecutable(DRIVER))
                .as("Debian's chromium and chromium-driver (apt-get install -y chromium chromium-driver)").isTrue();
        String admin = token("ann", Roles.ADMIN);
        String operator = token("olga", Roles.OPERATOR);
        String viewer = token("vic", Roles.VIEWER);
        // the first test archived every old row: some more for this run, copies of rows moved 400 days back
        sql("CREATE TEMPORARY TABLE more_rows AS SELECT * FROM run ORDER BY id LIMIT 1500",
                "UPDATE more_rows SET id = id + 1000000000, msg_sent_date = msg_sent_date - 400 * 86400000",
                "INSERT INTO run SELECT * FROM more_rows");
        String conflictRun = failedRun(admin, operator);

        Path shots = Path.of("target", "console-screenshots-real-stack");
        Files.createDirectories(shots);
        ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile())
                .addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,900");
        WebDriver browser = new ChromeDriver(new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile()).build(), options);
        try {
            String console = base.resolve("/console/index.html").toString();
            browser.get(console);
            browser.findElement(By.id("token")).sendKeys(operator);
            browser.findElement(By.id("sign-in-button")).click();
            until(browser, Duration.ofSeconds(30), () -> browser.findElement(By.id("trigger")).isDisplayed());
            shot(browser, shots, "1-signed-in");

            browser.findElement(By.id("trigger-dry-run")).click();
            browser.findElement(By.id("trigger-button")).click();
            until(browser, Duration.ofSeconds(30), () -> browser.findElement(By.id("trigger-result")).getText().startsWith("requested run-"));
            String dryRun = browser.findElement(By.id("trigger-result")).getAttribute("data-run-id");
            shot(browser, shots, "2-dry-run-requested");
            awaitCompleted(dryRun, viewer);

            browser.findElement(By.id("trigger-dry-run")).click();
            browser.findElement(By.id("trigger-button")).click();
            until(browser, Duration.ofSeconds(30), () -> !dryRun.equals(browser.findElement(By.id("trigger-result")).getAttribute("data-run-id")));
            String realRun = browser.findElement(By.id("trigger-result")).getAttribute("data-run-id");
            assertThat(realRun).startsWith("run-");
            Awaitility.await().atMost(Duration.ofMinutes(1)).until(() -> get("/api/v1/runs/" + realRun, viewer).statusCode() == 200);

            browser.get(console + "#run/" + realRun);
            until(browser, Duration.ofMinutes(3), () -> browser.findElement(By.id("run-percent")).getText().equals("100%")
                    && browser.findElement(By.id("run-summary")).getText().startsWith("COMPLETED"));
            assertThat(browser.findElement(By.id("run-bar")).getAttribute("style")).contains("width: 100%");
            assertThat(browser.findElement(By.id("run-summary")).getText()).contains("SUCCEEDED").contains("1500 of 1500");
            shot(browser, shots, "3-run-at-100");
            JsonNode dry = json(get("/api/v1/runs/" + dryRun, viewer));
            assertThat(dry.get("dryRun").asBoolean()).isTrue();
            assertThat(dry.get("requestedBy").asText()).isEqualTo("api:olga");
            JsonNode real = json(get("/api/v1/runs/" + realRun, viewer));
            assertThat(real.get("requestedBy").asText()).isEqualTo("api:olga");
            assertThat(real.get("outcome").asText()).isEqualTo("SUCCEEDED");

            browser.get(console + "#run/" + conflictRun);
            until(browser, Duration.ofSeconds(30), () -> browser.findElements(By.cssSelector("#batch-1 .failed")).size() == 1);
            browser.findElement(By.cssSelector("#batch-1 .failed")).click();
            until(browser, Duration.ofSeconds(30), () -> browser.findElement(By.id("failure-detail")).isDisplayed());
            assertThat(browser.findElement(By.id("failure-detail")).getText()).contains("UPLOAD").contains("OBJECT_KEY_CONFLICT")
                    .contains("never overwritten");
            shot(browser, shots, "4-failed-batch-reason");
            assertThat(browser.getPageSource()).doesNotContain("eyJ");

            // holds, read-only for a viewer
            HttpResponse<String> hold = send(HttpRequest.newBuilder(base.resolve("/api/v1/holds")).header("Authorization", "Bearer " + admin)
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                            "{\"policy\": \"run\", \"run\": \"" + realRun + "\", \"reason\": \"case 2026-117\"}")));
            assertThat(hold.statusCode()).as(hold.body()).isEqualTo(201);
            long holdId = json(hold).get("id").asLong();
            browser.findElement(By.id("sign-out")).click();
            browser.get(console);
            browser.findElement(By.id("token")).sendKeys(viewer);
            browser.findElement(By.id("sign-in-button")).click();
            until(browser, Duration.ofSeconds(30), () -> browser.findElement(By.id("runs")).isDisplayed());
            assertThat(browser.findElement(By.id("trigger")).isDisplayed()).isFalse();
            browser.get(console + "#holds");
            until(browser, Duration.ofSeconds(30), () -> browser.findElements(By.id("hold-" + holdId)).size() == 1);
            assertThat(browser.findElement(By.id("hold-" + holdId)).getText()).contains("run " + realRun).contains("case 2026-117")
                    .contains("api:ann");
            assertThat(browser.findElements(By.tagName("button")).stream().filter(b -> b.isDisplayed()).map(b -> b.getText()))
                    .containsOnly("Sign out");
            shot(browser, shots, "5-viewer-holds");
            assertThat(browser.getPageSource()).doesNotContain("eyJ");
        } finally {
            browser.quit();
        }
    }

    /** Last: no response body the tests read and no line the API logged holds a token, the database password or the S3 secret. */
    @Test
    @Order(3)
    void noResponseAndNoLogLineHoldsATokenOrAPassword() throws Exception {
        assertThat(BODIES).as("responses read").hasSizeGreaterThan(5);
        assertThat(TOKENS).as("tokens used").hasSizeGreaterThanOrEqualTo(3);
        List<String> secrets = new ArrayList<>(TOKENS);
        secrets.add(mysql.password());
        secrets.add(stack.s3().secretKey());
        String log = Files.readString(apiLog);
        for (String secret : secrets) {
            assertThat(log).as("the API's log").doesNotContain(secret);
            assertThat(BODIES).as("the responses").noneMatch(body -> body.contains(secret));
        }
        // a token's signature part would show even if the token were cut: no JWT at all
        assertThat(log).doesNotContain("eyJ");
        assertThat(BODIES).noneMatch(body -> body.contains("eyJ"));
    }

    /**
     * A run that really fails one batch: the policy conflicts' one old row (table run_conflict) makes one batch, whose object
     * key (deterministic: policy, run date, id range, run id) already holds other bytes; the uploader never overwrites a key and
     * fails the batch.
     */
    private static String failedRun(String admin, String operator) throws Exception {
        sql("CREATE TABLE IF NOT EXISTS run_conflict LIKE run",
                "INSERT INTO run_conflict SELECT * FROM run WHERE id = (SELECT MIN(id) FROM run)",
                "UPDATE run_conflict SET id = 1, msg_sent_date = 1000000000000",
                // a young row beside it: the run takes half the table, below max-share-per-run, so it waits for no confirmation
                "INSERT INTO run_conflict SELECT * FROM run WHERE id = (SELECT MAX(id) FROM run WHERE id < 1000000000)",
                "UPDATE run_conflict SET id = 2, msg_sent_date = " + System.currentTimeMillis() + " WHERE id <> 1");
        HttpResponse<String> applied = send(HttpRequest.newBuilder(base.resolve("/api/v1/policies")).header("Authorization", "Bearer " + admin)
                .header("Content-Type", "application/yaml").POST(HttpRequest.BodyPublishers.ofString(
                        "policies:\n  conflicts:\n    table: run_conflict\n    confirm-first-run: false\n")));
        assertThat(applied.statusCode()).as(applied.body()).isEqualTo(200);
        io.archiver.policy.TestPolicies.awaitSeen(fleet.all(), Map.of("conflicts", json(applied).get("changes").get(0).get("version").asInt()),
                Duration.ofMinutes(1));
        String runId = "run-it-conflict-" + UUID.randomUUID().toString().substring(0, 8);
        String key = "run_conflict-archive/run_conflict_archive_" + LocalDate.now(ZoneOffset.UTC).format(DateTimeFormatter.BASIC_ISO_DATE)
                + "_conflicts_" + String.format("%019d-%019d", 1, 1) + "_" + runId + ".csv.gz";
        try (ArchiveBucket bucket = ArchiveBucket.of(stack)) {
            bucket.client().putObject(b -> b.bucket(bucket.name()).key(key), RequestBody.fromString("other bytes under the key"));
        }
        HttpResponse<String> triggered = send(HttpRequest.newBuilder(base.resolve("/api/v1/runs")).header("Authorization", "Bearer " + operator)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                        "{\"policy\": \"conflicts\", \"table\": \"run_conflict\", \"runId\": \"" + runId + "\"}")));
        assertThat(triggered.statusCode()).as(triggered.body()).isEqualTo(202);
        JsonNode run = awaitCompleted(runId, operator);
        assertThat(run.get("outcome").asText()).as(run.toString()).isNotEqualTo("SUCCEEDED");
        assertThat(run.get("batches").get(0).get("failureReason").asText()).as(run.toString()).isEqualTo("OBJECT_KEY_CONFLICT");
        return runId;
    }

    private static JsonNode awaitCompleted(String runId, String token) {
        return Awaitility.await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1)).ignoreExceptions()
                .until(() -> json(get("/api/v1/runs/" + runId, token)), run -> "COMPLETED".equals(run.path("state").asText()));
    }

    private static void until(WebDriver browser, Duration atMost, java.util.function.BooleanSupplier condition) {
        new WebDriverWait(browser, atMost).until(d -> condition.getAsBoolean());
    }

    private static void shot(WebDriver browser, Path dir, String name) throws IOException {
        Path shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath();
        Files.copy(shot, dir.resolve(name + ".png"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    private static void sql(String... statements) throws java.sql.SQLException {
        try (Connection connection = DriverManager.getConnection(mysql.jdbcUrl(), mysql.user(), mysql.password());
                Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        }
    }

    private static JsonNode json(HttpResponse<String> response) throws IOException {
        return JSON.readTree(response.body());
    }

    private static String token(String subject, Roles role) {
        String token = TestTokens.token(subject, role);
        TOKENS.add(token);
        return token;
    }

    private static HttpResponse<String> get(String path, String token) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return send(request);
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(request.timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
        BODIES.add(response.body());
        return response;
    }

    static Path repositoryRoot() {
        String root = System.getProperty("archiver.repository.root");
        return root != null ? Path.of(root) : Path.of("..").toAbsolutePath().normalize();
    }
}
