package io.archiver.localstack.services;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which JDK and which AOT cache the local stack gives a service ({@link ServiceJvm}). */
class ServiceJvmTest {

    private static final Path RUNNING_JDK = Path.of(System.getProperty("java.home"));

    @TempDir
    Path dir;

    @Test
    void withoutTheVariablesTheServicesRunOnTheStacksJdkWithoutACache() {
        ServiceJvm jvm = ServiceJvm.from(Map.of());

        assertThat(jvm.javaHome()).isEqualTo(RUNNING_JDK);
        assertThat(jvm.aotCacheDir()).isEmpty();
        assertThat(jvm.cacheOptions("uploader-service", dir)).isEmpty();
        assertThat(jvm.describe(dir)).contains(System.getProperty("java.version")).endsWith("no AOT cache");
    }

    @Test
    void anAotCacheDirectoryOnAJdkOlderThan25IsRefused() {
        assertThatThrownBy(() -> new ServiceJvm(RUNNING_JDK, 17, Optional.of(dir)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining(ServiceJvm.AOT_CACHE_DIR_ENV);
    }

    @Test
    void aCacheNewerThanTheServicesJarsIsPassedAndAStaleOneIsNot() throws IOException {
        Path app = Files.createDirectories(dir.resolve("uploader-service/target/quarkus-app/lib"));
        Path jar = Files.writeString(app.resolve("some.jar"), "jar");
        Path caches = Files.createDirectories(dir.resolve("caches"));
        Path cache = Files.writeString(caches.resolve("uploader-service.aot"), "cache");
        ServiceJvm jvm = new ServiceJvm(RUNNING_JDK, 25, Optional.of(caches));
        Path quarkusApp = dir.resolve("uploader-service/target/quarkus-app");

        Files.setLastModifiedTime(jar, FileTime.from(Instant.parse("2026-01-01T00:00:00Z")));
        Files.setLastModifiedTime(cache, FileTime.from(Instant.parse("2026-01-02T00:00:00Z")));
        assertThat(jvm.cacheOptions("uploader-service", quarkusApp)).containsExactly("-XX:AOTCache=" + cache);

        Files.setLastModifiedTime(jar, FileTime.from(Instant.parse("2026-01-03T00:00:00Z"))); // rebuilt after the training
        assertThat(jvm.cacheOptions("uploader-service", quarkusApp)).isEmpty();
        assertThat(jvm.cacheOptions("exporter-service", quarkusApp)).as("no cache written for it").isEmpty();
    }

    @Test
    void theFeatureReleaseComesFromTheJdksReleaseFile() throws IOException {
        Path jdk = Files.createDirectories(dir.resolve("jdk"));
        Files.writeString(jdk.resolve("release"), "IMPLEMENTOR=\"Eclipse Adoptium\"\nJAVA_VERSION=\"25.0.3\"\n");

        assertThat(ServiceJvm.feature(jdk)).isEqualTo(25);
    }
}
