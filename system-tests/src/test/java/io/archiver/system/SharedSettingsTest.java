package io.archiver.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.archiver.localstack.LocalStack;
import io.archiver.localstack.services.ArchiverService;
import io.archiver.localstack.services.ServiceProcess;

/**
 * The settings every service shares live once, in service-support's {@code META-INF/microprofile-config.properties}, no
 * longer in the services' application.properties: their prod-mode jars must still run with them, build-time settings
 * (the Kafka extension's own health check off) and runtime ones of the prod profile (the {@code kafka:9092} broker) alike.
 * Started without any server: liveness, the readiness checks listed and the log are enough to see the settings.
 */
class SharedSettingsTest {

    private static final Duration BOUND = Duration.ofMinutes(2);

    @Test
    void theProdJarsRunWithTheSettingsServiceSupportShares() throws Exception {
        Path workDir = Path.of("target", "system", "shared-settings").toAbsolutePath();
        LocalStack.deleteRecursively(workDir);
        List<ServiceProcess> processes = new ArrayList<>();
        try {
            // a broker address that resolves (the prod profile's kafka:9092 does not here, and the consumer would not even start)
            Map<String, String> env = Map.of("ARCHIVER_EXPORT_SCRATCH_DIR", workDir.resolve("scratch").toString(),
                    "KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:1",
                    // prod takes the password from its Secret; the deleter's throttle settings expand it at start
                    "QUARKUS_DATASOURCE_PASSWORD", "not-a-secret");
            for (ArchiverService service : List.of(ArchiverService.EXPORTER, ArchiverService.UPLOADER, ArchiverService.DELETER)) {
                processes.add(new ServiceProcess(service, SystemStack.repositoryRoot(), workDir, env).start(List.of()));
            }
            for (ServiceProcess process : processes) {
                await().atMost(BOUND).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                        .until(() -> process.health("live").statusCode() == 200);
                HttpResponse<String> ready = process.health("ready");
                assertThat(ready.body()).as(process.service() + " readiness").contains("\"name\": \"kafka\"")
                        .doesNotContain("Kafka connection health check"); // quarkus.kafka.health.enabled=false, a build-time setting
                List<String> lines = Files.readAllLines(process.log()).stream()
                        .filter(line -> !line.isBlank() && !line.startsWith("== ")) // the command line ChildProcess writes first
                        .toList();
                assertThat(lines).as(process.service() + " logs one JSON object per line in prod")
                        .isNotEmpty().allSatisfy(line -> assertThat(line).startsWith("{\"timestamp\":").endsWith("}"));
            }
        } finally {
            processes.forEach(ServiceProcess::close);
        }
    }

    @Test
    void withoutABrokerAddressAProdJarUsesTheProdProfilesSharedOne() throws Exception {
        Path workDir = Path.of("target", "system", "shared-settings-broker").toAbsolutePath();
        LocalStack.deleteRecursively(workDir);
        try (ServiceProcess uploader = new ServiceProcess(ArchiverService.UPLOADER, SystemStack.repositoryRoot(), workDir, Map.of())
                .start(List.of())) {
            // %prod.kafka.bootstrap.servers=kafka:9092 (no such host here: the consumer names it, and the service does not start)
            await().atMost(BOUND).pollInterval(Duration.ofMillis(500))
                    .until(() -> Files.exists(uploader.log()) && Files.readString(uploader.log()).contains("kafka:9092"));
        }
    }
}
