package io.archiver.ctl;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.archiver.ctl.cli.Settings;
import io.archiver.ctl.cli.Settings.Flags;

/** Flags win over environment variables, which win over the config file. */
class SettingsTest {

    @Test
    void flagsThenEnvironmentThenConfigFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("archivectl.properties");
        Files.writeString(file, String.join("\n", "kafka.bootstrap.servers=file:9092", "archiver.db.url=jdbc:mariadb://file:3306/archiver",
                "archiver.db.user=file-user", "archiver.db.password=file-password", "kafka.security.protocol=SSL", ""));
        Map<String, String> env = Map.of("KAFKA_BOOTSTRAP_SERVERS", "env:9092", "ARCHIVER_DB_USER", "env-user");

        Settings fileOnly = Settings.resolve(new Flags(null, null, null, null, file), name -> null);
        assertThat(fileOnly.bootstrapServers()).isEqualTo("file:9092");
        assertThat(fileOnly.jdbcUrl()).isEqualTo("jdbc:mariadb://file:3306/archiver");
        assertThat(fileOnly.dbUser()).isEqualTo("file-user");
        assertThat(fileOnly.dbPassword()).isEqualTo("file-password");
        assertThat(fileOnly.kafkaClientProperties()).containsExactly(Map.entry("security.protocol", "SSL"));

        Settings withEnv = Settings.resolve(new Flags(null, null, null, null, file), env::get);
        assertThat(withEnv.bootstrapServers()).isEqualTo("env:9092");
        assertThat(withEnv.dbUser()).isEqualTo("env-user");
        assertThat(withEnv.jdbcUrl()).isEqualTo("jdbc:mariadb://file:3306/archiver");

        Settings withFlags = Settings.resolve(new Flags("flag:9092", "jdbc:mariadb://flag/archiver", "flag-user", "flag-password", file), env::get);
        assertThat(withFlags.bootstrapServers()).isEqualTo("flag:9092");
        assertThat(withFlags.jdbcUrl()).isEqualTo("jdbc:mariadb://flag/archiver");
        assertThat(withFlags.dbUser()).isEqualTo("flag-user");
        assertThat(withFlags.dbPassword()).isEqualTo("flag-password");
        assertThat(withFlags.toString()).doesNotContain("flag-password");
    }

    @Test
    void theConfigFileMayUseTheEnvironmentNamesAndTheServicesUrlForm(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("env-style.properties");
        Files.writeString(file, "KAFKA_BOOTSTRAP_SERVERS=kafka:9092\nARCHIVER_DB_URL=mysql://mysql:3306/archiver\n");
        Settings settings = Settings.resolve(new Flags(null, null, null, null, file), name -> null);
        assertThat(settings.bootstrapServers()).isEqualTo("kafka:9092");
        assertThat(settings.jdbcUrl()).isEqualTo("jdbc:mariadb://mysql:3306/archiver");
        assertThat(Settings.resolve(new Flags(null, "jdbc:mysql://db/a", null, null, null), name -> null).jdbcUrl())
                .isEqualTo("jdbc:mariadb://db/a");
    }
}
