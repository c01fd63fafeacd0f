package io.archiver.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.archiver.localstack.LocalStack;
import io.archiver.localstack.process.StackLayout;
import io.archiver.localstack.services.AotTraining;
import io.archiver.localstack.services.ArchiverService;
import io.archiver.localstack.services.ServiceJvm;
import io.archiver.localstack.services.ServiceProcess;

/**
 * The services on JDK 25 with AOT caches ({@link ServiceJvm}, {@link AotTraining}): a training run on a stack of its own
 * archives and writes one cache per service; the scanner and the uploader then started with their caches and
 * {@code -XX:AOTMode=on} (the JVM refuses to start on a cache it cannot use) pass readiness. Needs a JDK 25: {@code ARCHIVER_SERVICE_JAVA_HOME}, else
 * the one the local stack finds for the image's release ({@link ServiceJvm#fromEnvironment}).
 */
class AotCacheTest {

    @Test
    void servicesTrainedOnJdk25StartFromTheirAotCachesAndPassReadiness() {
        ServiceJvm found = ServiceJvm.fromEnvironment();
        assumeTrue(found.feature() >= 25,
                "no JDK 25 or later at " + found.javaHome() + " (set " + ServiceJvm.JAVA_HOME_ENV + " to one): the AOT cache needs it");
        Path workDir = Path.of("target", "system", "aot").toAbsolutePath();
        LocalStack.deleteRecursively(workDir);
        ServiceJvm jvm = new ServiceJvm(found.javaHome(), found.feature(), Optional.of(workDir.resolve("caches")));
        Path repo = SystemStack.repositoryRoot();

        new AotTraining(jvm, repo, workDir.resolve("training"), line -> System.out.println("[aot] " + line)).train("archiver_st_aot_training");

        assertThat(jvm.cachesFresh(repo)).as("a cache newer than its jars for every service").isTrue();
        try (LocalStack stack = new LocalStack(StackLayout.locate(workDir.resolve("run")), "archiver_st_aot")) {
            stack.ensure(EnumSet.of(LocalStack.Server.KAFKA, LocalStack.Server.S3));
            stack.seedMySql(1_000, 0.6);
            Map<String, String> env = new HashMap<>(stack.environment());
            // the scanner first: its Flyway migration creates the control database's tables, which the uploader's readiness reads
            try (ServiceProcess scanner = new ServiceProcess(ArchiverService.SCANNER, repo, workDir.resolve("run").resolve("services"), env, jvm)
                    .start(List.of("-XX:AOTMode=on"));
                    ServiceProcess uploader = new ServiceProcess(ArchiverService.UPLOADER, repo, workDir.resolve("run").resolve("services"), env, jvm)
                            .start(List.of("-XX:AOTMode=on"))) {
                scanner.awaitReady(Duration.ofMinutes(3));
                uploader.awaitReady(Duration.ofMinutes(3));
                for (ServiceProcess service : List.of(scanner, uploader)) {
                    assertThat(readLog(service.log())).contains("-XX:AOTCache=" + jvm.cacheFile(service.service().module()).get())
                            .doesNotContain("Unable to use AOT cache");
                }
            }
        }
    }

    private static String readLog(Path log) {
        try {
            return Files.readString(log);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
