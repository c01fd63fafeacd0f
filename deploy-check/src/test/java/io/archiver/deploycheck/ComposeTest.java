package io.archiver.deploycheck;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;

/** docker-compose.yml agrees with the code (its one-shot scripts are run with stand-ins for the Kafka tools). */
class ComposeTest {

    @Test
    void composeIsConsistentWithTheCode() {
        List<String> problems = new ComposeChecks(Fixtures.ROOT).check(Fixtures.ROOT.resolve("docker-compose.yml"));
        assertThat(problems).isEmpty();
    }

    /** The services' health check command, run against a local HTTP server standing in for /q/health/ready. */
    @ParameterizedTest
    @ValueSource(strings = { "scanner-service", "exporter-service", "uploader-service", "deleter-service" })
    void healthCheckPassesOnlyWhenReady(String service) throws Exception {
        JsonNode compose = Yaml.readAll(Fixtures.ROOT.resolve("docker-compose.yml")).get(0);
        List<String> test = new ArrayList<>();
        compose.path("services").path(service).path("healthcheck").path("test").forEach(t -> test.add(t.asText()));
        assertThat(test.subList(0, 3)).containsExactly("CMD", "bash", "-c");
        AtomicBoolean ready = new AtomicBoolean(true);
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            boolean up = ready.get() && exchange.getRequestURI().getPath().equals("/q/health/ready");
            byte[] body = (up ? "{\"status\":\"UP\"}" : "{\"status\":\"DOWN\"}").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(up ? 200 : 503, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        try {
            String command = test.get(3).replace("$$", "$")
                    .replace("/dev/tcp/127.0.0.1/8080", "/dev/tcp/127.0.0.1/" + server.getAddress().getPort());
            assertThat(run(command)).as("ready").isZero();
            ready.set(false);
            assertThat(run(command)).as("not ready").isNotZero();
        } finally {
            server.stop(0);
        }
    }

    private static int run(String command) throws Exception {
        Process process = new ProcessBuilder("bash", "-c", command).redirectErrorStream(true).start();
        assertThat(process.waitFor(10, TimeUnit.SECONDS)).isTrue();
        return process.exitValue();
    }

    @Test
    void recordedToolCallsParse() {
        List<ComposeChecks.ToolCall> calls = ComposeChecks.parseCalls("""
                @@call kafka-console-producer.sh
                --topic
                archive.requests
                @@stdin
                k|{"a":1}
                @@end
                """);
        assertThat(calls).hasSize(1);
        assertThat(calls.get(0).option("--topic")).isEqualTo("archive.requests");
        assertThat(calls.get(0).stdin()).isEqualTo("k|{\"a\":1}\n");
    }

    @Test
    void healthTargetsOfBothForms() {
        assertThat(ComposeChecks.healthTarget("curl -fsS http://localhost:8080/q/health/ready")).containsExactly("8080", "/q/health/ready");
        assertThat(ComposeChecks.healthTarget("exec 3<>/dev/tcp/127.0.0.1/9000 && printf 'GET /q/health/live HTTP/1.0\\r\\n'"))
                .containsExactly("9000", "/q/health/live");
        assertThat(ComposeChecks.healthTarget("true")).isNull();
    }
}
