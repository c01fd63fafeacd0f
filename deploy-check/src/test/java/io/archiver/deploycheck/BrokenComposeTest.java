package io.archiver.deploycheck;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** docker-compose.yml broken in one place (in memory): the compose checks must report it. */
class BrokenComposeTest {

    static Stream<Arguments> breakages() {
        return Stream.of(
                Arguments.of("a health check on the liveness path", "image: archiver/scanner-service:0.1.0", "GET /q/health/ready HTTP",
                        "GET /q/health/live HTTP", "compose scanner-service: healthcheck path is /q/health/live, expected /q/health/ready"),
                Arguments.of("a health check on another port", "image: archiver/exporter-service:0.1.0", "/dev/tcp/127.0.0.1/8080",
                        "/dev/tcp/127.0.0.1/8082", "compose exporter-service: healthcheck port 8082 is not the port"),
                Arguments.of("a published port that is not the service's", "\"8083:8080\"", "\"8083:8080\"", "\"8083:8083\"",
                        "compose uploader-service: publishes container port 8083 but the service listens on 8080"),
                Arguments.of("a topic that is not in Topics", "archive.runs:1", "archive.runs:1", "archive.runs:1 archive.rejects:1",
                        "compose kafka-topics: creates archive.rejects, which is not a topic of shared-events Topics"),
                Arguments.of("a dead-letter topic missing", "archive.completions.dlq:1", "archive.completions.dlq:1", "",
                        "compose kafka-topics: does not create archive.completions.dlq"),
                Arguments.of("an ARCHIVER_ typo", "image: archiver/uploader-service:0.1.0", "ARCHIVER_S3_BUCKET:",
                        "ARCHIVER_S3_BUCKETS:", "compose uploader-service: ARCHIVER_S3_BUCKETS maps to no key"),
                Arguments.of("JDBC for the uploader", "image: archiver/uploader-service:0.1.0", "      ARCHIVER_S3_BUCKET:",
                        "      QUARKUS_DATASOURCE_JDBC_URL: jdbc:mariadb://mysql:3306/archiver\n      ARCHIVER_S3_BUCKET:",
                        "compose uploader-service: QUARKUS_DATASOURCE_JDBC_URL: uploader-service configures nothing under quarkus.datasource.jdbc."),
                Arguments.of("JDBC for the exporter", "image: archiver/exporter-service:0.1.0", "      ARCHIVER_S3_BUCKET:",
                        "      QUARKUS_DATASOURCE_JDBC_URL: jdbc:mariadb://mysql:3306/archiver\n      ARCHIVER_S3_BUCKET:",
                        "compose exporter-service: QUARKUS_DATASOURCE_JDBC_URL: exporter-service configures nothing under quarkus.datasource.jdbc."),
                Arguments.of("an unmarked credential", "archiver-dev-password      # LOCAL DEV ONLY", "archiver-dev-password      # LOCAL DEV ONLY",
                        "archiver-dev-password", "compose scanner-service: QUARKUS_DATASOURCE_PASSWORD is a credential"),
                Arguments.of("a volume shared between services", "image: archiver/uploader-service:0.1.0", "    ports:\n      - \"8083:8080\"",
                        "    volumes:\n      - minio-data:/var/lib/archiver/shards\n    ports:\n      - \"8083:8080\"",
                        "compose: volume minio-data is mounted by [minio, uploader-service]: no volume is shared between services"),
                Arguments.of("an exporter without the bucket", "image: archiver/exporter-service:0.1.0", "      ARCHIVER_S3_BUCKET: archiver\n",
                        "", "compose exporter-service: ARCHIVER_S3_BUCKET is not set"),
                Arguments.of("an event the scanner does not know", "\"policy\":\"run\"", "\"policy\":\"run\"", "\"policy\":\"runs\"",
                        "compose archive-trigger: policy runs is not in a fresh control database"),
                Arguments.of("an event that does not decode", "\"mode\":\"DELETE\"", "\"mode\":\"DELETE\"", "\"mode\":\"PURGE\"",
                        "compose archive-trigger: the published event does not decode"),
                Arguments.of("a schema version the services do not read", "\"schemaVersion\":1", "\"schemaVersion\":1",
                        "\"schemaVersion\":2", "the published event does not decode"),
                Arguments.of("a cutoff the scanner refuses", "ARCHIVE_MIN_AGE_DAYS: \"60\"", "ARCHIVE_MIN_AGE_DAYS: \"60\"",
                        "ARCHIVE_MIN_AGE_DAYS: \"30\"", "is later than now minus the policy's min-age PT1440H"),
                Arguments.of("another topic for the trigger", "--topic archive.requests", "--topic archive.requests",
                        "--topic archive.request", "compose archive-trigger: publishes to archive.request, not archive.requests"),
                Arguments.of("a record keyed by something else", "printf '%s|%s\\n' \"$$run_id\"", "printf '%s|%s\\n' \"$$run_id\"",
                        "printf '%s|%s\\n' \"$$event_id\"", "is not the event's key"),
                Arguments.of("a $ that compose would interpolate", "cutoff_ms=$$((", "cutoff_ms=$$((", "cutoff_ms=$((",
                        "a single $ in the script is interpolated by compose"),
                Arguments.of("a bucket without Object Lock", "mc mb --ignore-existing --with-lock local/archiver",
                        "mc mb --ignore-existing --with-lock local/archiver", "mc mb --ignore-existing local/archiver",
                        "no one-shot creates the bucket [archiver] with Object Lock"),
                Arguments.of("no run schema", "- mysql-data:/var/lib/mysql", "local-stack/src/main/resources/db/run-schema/V1__run_table.sql",
                        "deploy/compose/V1__run_table.sql", "init script ./deploy/compose/V1__run_table.sql does not exist"),
                Arguments.of("a service that starts before the topics exist", "image: archiver/scanner-service:0.1.0",
                        "      kafka-topics:\n        condition: service_completed_successfully\n", "",
                        "compose scanner-service: must wait for kafka-topics"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("breakages")
    void everyBreakageIsReported(String what, String present, String from, String to, String expected) throws IOException {
        String compose = Files.readString(Fixtures.ROOT.resolve("docker-compose.yml"));
        // `from` is replaced at its first occurrence at or after `present`, which locates the right service.
        int anchor = compose.indexOf(present);
        assertThat(anchor).as("the anchor %s must be in docker-compose.yml", present).isNotNegative();
        int at = compose.indexOf(from, anchor);
        assertThat(at).as("%s must follow the anchor in docker-compose.yml", from).isNotNegative();
        String broken = compose.substring(0, at) + to + compose.substring(at + from.length());
        List<String> problems = new ComposeChecks(Fixtures.ROOT).check(broken, Fixtures.ROOT);
        assertThat(problems).as(what).anySatisfy(p -> assertThat(p).contains(expected));
    }
}
