package io.archiver.localstack.services;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
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
    void withoutTheVariablesAJdkOfTheImagesReleaseRunsTheServicesWithoutACache() throws IOException {
        Path jdks = Files.createDirectories(dir.resolve("jvm"));
        fakeJdk(jdks.resolve("a-jdk-17"), "17.0.15");
        Path image = fakeJdk(jdks.resolve("temurin-" + ServiceJvm.IMAGE_FEATURE + "-jdk-amd64"), ServiceJvm.IMAGE_FEATURE + ".0.3");
        fakeJdk(jdks.resolve("zz-temurin-" + ServiceJvm.IMAGE_FEATURE + "-second"), ServiceJvm.IMAGE_FEATURE + ".0.1");

        ServiceJvm jvm = ServiceJvm.from(Map.of(), jdks);

        boolean stackIsImageRelease = Runtime.version().feature() == ServiceJvm.IMAGE_FEATURE;
        assertThat(jvm.javaHome()).as("the stack's own JDK when it is of the image's release, else the first such in the directory")
                .isEqualTo(stackIsImageRelease ? RUNNING_JDK : image);
        assertThat(jvm.feature()).isEqualTo(ServiceJvm.IMAGE_FEATURE);
        assertThat(jvm.aotCacheDir()).isEmpty();
        assertThat(jvm.cacheOptions("uploader-service", dir)).isEmpty();
        assertThat(jvm.describe(dir)).doesNotContain("not the image's").endsWith("no AOT cache");
    }

    @Test
    void withNoJdkOfTheImagesReleaseTheStacksOwnRunsThemAndTheReportSaysItIsNotTheImages() throws IOException {
        Path jdks = Files.createDirectories(dir.resolve("jvm"));
        fakeJdk(jdks.resolve("a-jdk-17"), "17.0.15");

        ServiceJvm jvm = ServiceJvm.from(Map.of(), jdks);

        assertThat(jvm.javaHome()).isEqualTo(RUNNING_JDK);
        assertThat(jvm.describe(dir)).contains(System.getProperty("java.version"));
        if (Runtime.version().feature() != ServiceJvm.IMAGE_FEATURE) {
            assertThat(jvm.describe(dir)).contains("not the image's Java " + ServiceJvm.IMAGE_FEATURE, ServiceJvm.JAVA_HOME_ENV);
        }
    }

    @Test
    void theVariableWinsOverTheImagesRelease() throws IOException {
        Path jdks = Files.createDirectories(dir.resolve("jvm"));
        fakeJdk(jdks.resolve("temurin-" + ServiceJvm.IMAGE_FEATURE), ServiceJvm.IMAGE_FEATURE + ".0.3");
        Path chosen = fakeJdk(dir.resolve("my-jdk"), "21.0.2");

        ServiceJvm jvm = ServiceJvm.from(Map.of(ServiceJvm.JAVA_HOME_ENV, chosen.toString()), jdks);

        assertThat(jvm.javaHome()).isEqualTo(chosen);
        assertThat(jvm.feature()).isEqualTo(21);
        assertThat(jvm.describe(dir)).contains("Java 21.0.2", "not the image's Java " + ServiceJvm.IMAGE_FEATURE);
    }

    /** A directory that looks like a JDK's home to {@link ServiceJvm}: an executable bin/java and a release file. */
    private static Path fakeJdk(Path home, String version) throws IOException {
        Path launcher = Files.createDirectories(home.resolve("bin")).resolve("java");
        Files.writeString(launcher, "#!/bin/sh\n");
        Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.writeString(home.resolve("release"), "IMPLEMENTOR=\"test\"\nJAVA_VERSION=\"" + version + "\"\n");
        return home;
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
