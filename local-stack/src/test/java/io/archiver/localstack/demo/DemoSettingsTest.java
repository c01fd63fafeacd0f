package io.archiver.localstack.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.archiver.localstack.StackMain;

/** What ./archiver-demo takes and what it refuses, before anything starts (issue 21 item 5). */
class DemoSettingsTest {

    private static final Map<String, String> OWN = Map.of("ARCHIVER_SOURCE_URL", "jdbc:mysql://127.0.0.1:3307/shop", "ARCHIVER_SOURCE_USER",
            "archiver", "ARCHIVER_SOURCE_PASSWORD", "s3cret-pw");

    @Test
    void quarkusDatasourceSettingsAreRefusedNamingTheVariableAndWhatToSetInsteadAndNothingStarts(@TempDir Path dir) throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        Path workDir = dir.resolve("stack");
        int code = StackMain.run(dir, workDir, "archiver_demo_unused", List.of("up"), Map.of("QUARKUS_DATASOURCE_JDBC_URL",
                "jdbc:mysql://db:3306/shop", "PATH", "/usr/bin"), new PrintStream(printed, true, StandardCharsets.UTF_8));
        String out = printed.toString(StandardCharsets.UTF_8);
        assertThat(code).isEqualTo(2);
        assertThat(out).contains("QUARKUS_DATASOURCE_JDBC_URL is set, but the demo gives its services a control database of its own",
                "unset it", "set ARCHIVER_SOURCE_URL (or --source-url jdbc:mysql://host:port/db), ARCHIVER_SOURCE_USER and"
                        + " ARCHIVER_SOURCE_PASSWORD, and give --policy-file FILE", "usage: archiver-demo");
        assertThat(workDir).as("nothing started").doesNotExist();
    }

    @Test
    void otherSettingsItWouldIgnoreAreRefusedEachByName() {
        assertThatThrownBy(() -> DemoSettings.parse(List.of(), Map.of("KAFKA_BOOTSTRAP_SERVERS", "k:9092", "QUARKUS_S3_ENDPOINT_OVERRIDE", "x")))
                .isInstanceOf(DemoUsageException.class).hasMessageContaining("KAFKA_BOOTSTRAP_SERVERS is set, but the demo starts a Kafka broker")
                .hasMessageContaining("QUARKUS_S3_ENDPOINT_OVERRIDE is set, but the demo starts an S3 server");
        assertThatThrownBy(() -> DemoSettings.parse(List.of(), Map.of("ARCHIVER_SOURCE_USER", "archiver")))
                .isInstanceOf(DemoUsageException.class).hasMessageContaining("ARCHIVER_SOURCE_USER is set but no database is given");
        assertThatThrownBy(() -> DemoSettings.parse(List.of(), Map.of("ARCHIVER_SOURCE_PASS", "x")))
                .isInstanceOf(DemoUsageException.class).hasMessageContaining("ARCHIVER_SOURCE_PASS is not a setting of the demo");
    }

    @Test
    void unknownFlagsAndFlagsThatWouldBeIgnoredAreRefused(@TempDir Path dir) throws Exception {
        assertThatThrownBy(() -> DemoSettings.parse(List.of("--source", "x"), Map.of())).isInstanceOf(DemoUsageException.class)
                .hasMessageContaining("unknown argument '--source'");
        assertThatThrownBy(() -> DemoSettings.parse(List.of("--create-archive-tables"), Map.of())).isInstanceOf(DemoUsageException.class)
                .hasMessageContaining("--create-archive-tables needs a database of your own");
        Path policies = Files.writeString(dir.resolve("policies.yaml"), "policies: {}\n");
        assertThatThrownBy(() -> DemoSettings.parse(List.of("--rows", "5", "--policy-file", policies.toString()), OWN))
                .isInstanceOf(DemoUsageException.class).hasMessageContaining("--rows seeds the embedded `run` table");
        assertThatThrownBy(() -> DemoSettings.parse(List.of(), OWN)).isInstanceOf(DemoUsageException.class)
                .hasMessageContaining("--policy-file FILE is required");
        assertThatThrownBy(() -> DemoSettings.parse(List.of("--policy-file", policies.toString(), "--source-url",
                "jdbc:mysql://h/shop?useSSL=false"), OWN)).isInstanceOf(DemoUsageException.class)
                .hasMessageContaining("would ignore the parameters '?useSSL=false'");
        assertThatThrownBy(() -> DemoSettings.parse(List.of("--policy-file", policies.toString()), Map.of("ARCHIVER_SOURCE_URL",
                "jdbc:mysql://h/shop", "ARCHIVER_SOURCE_USER", "archiver"))).isInstanceOf(DemoUsageException.class)
                .hasMessageContaining("ARCHIVER_SOURCE_PASSWORD is not set");
    }

    @Test
    void aDatabaseOfYourOwnFromTheEnvironmentOrTheFlagWithoutThePasswordInItsName(@TempDir Path dir) throws Exception {
        Path policies = Files.writeString(dir.resolve("policies.yaml"), "policies: {}\n");
        DemoSettings settings = DemoSettings.parse(List.of("up", "--policy-file", policies.toString(), "--create-archive-tables"), OWN);
        assertThat(settings.command()).isEqualTo("up");
        assertThat(settings.createArchiveTables()).isTrue();
        DemoSettings.OwnDatabase source = settings.source().orElseThrow();
        assertThat(source).extracting(DemoSettings.OwnDatabase::host, DemoSettings.OwnDatabase::port, DemoSettings.OwnDatabase::database,
                DemoSettings.OwnDatabase::user, DemoSettings.OwnDatabase::tls).containsExactly("127.0.0.1", 3307, "shop", "archiver", "DISABLED");
        assertThat(source.toString()).doesNotContain("s3cret-pw");
        DemoSettings flag = DemoSettings.parse(List.of("--source-url", "jdbc:mariadb://db.example.com/erp", "--policy-file", policies.toString()),
                OWN);
        assertThat(flag.source().orElseThrow()).extracting(DemoSettings.OwnDatabase::host, DemoSettings.OwnDatabase::port,
                DemoSettings.OwnDatabase::tls).containsExactly("db.example.com", 3306, "REQUIRED");
        DemoSettings embedded = DemoSettings.parse(List.of("--rows", "100"), Map.of("PATH", "/usr/bin"));
        assertThat(embedded.source()).isEmpty();
        assertThat(embedded.rows()).isEqualTo(100);
    }
}
