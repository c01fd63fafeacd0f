package io.archiver.localstack.services;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * The local stack, the tests and the benchmark start the services with the options the image runs
 * ({@link ServiceProcess#IMAGE_JVM_OPTIONS}): each must come from {@code deploy/docker/Dockerfile.jvm}'s
 * {@code GC_CONTAINER_OPTIONS} or {@code JAVA_OPTS_APPEND}, or be one that the base image's {@code run-java.sh} adds by
 * itself; each service's JIT options ({@link ServiceProcess#jitOptions}) must be those its image is built with; and the JDK
 * release the local stack looks for ({@link ServiceJvm#IMAGE_FEATURE}) must be the base image's, so that what is measured
 * here is what ships.
 */
class ImageJvmOptionsTest {

    /** What run-java.sh adds without being asked (its GC_* defaults and the OOM exit). */
    private static final List<String> RUN_JAVA_DEFAULTS = List.of("-XX:MinHeapFreeRatio=10", "-XX:MaxHeapFreeRatio=20", "-XX:GCTimeRatio=4",
            "-XX:AdaptiveSizePolicyWeight=90", "-XX:+ExitOnOutOfMemoryError");

    private static final Path DOCKERFILE = Path.of("..", "deploy", "docker", "Dockerfile.jvm");
    private static final Path DEPLOY_GUIDE = Path.of("..", "docs", "deploy.md");

    @Test
    void theLocalStackStartsTheServicesWithTheImagesOptions() throws IOException {
        List<String> image = new ArrayList<>(RUN_JAVA_DEFAULTS);
        image.addAll(envOptions("GC_CONTAINER_OPTIONS"));
        image.addAll(envOptions("JAVA_OPTS_APPEND"));

        assertThat(image).containsAll(ServiceProcess.IMAGE_JVM_OPTIONS);
    }

    /** The image's Java 25 runs with Unsafe memory access allowed and silent; the local stack adds it from Java 23 on. */
    @Test
    void theImageAndTheLocalStackAllowUnsafeMemoryAccessWithoutWarnings() throws IOException {
        assertThat(envOptions("JAVA_OPTS_APPEND")).contains(ServiceProcess.UNSAFE_MEMORY_ACCESS);
        assertThat(ServiceJvm.IMAGE_FEATURE).isGreaterThanOrEqualTo(ServiceProcess.UNSAFE_MEMORY_ACCESS_FEATURE);
    }

    @Test
    void theImageTakesItsJitOptionsFromABuildArgumentWhoseDefaultIsTheTier4Thresholds() throws IOException {
        assertThat(envOptions("JAVA_OPTS_APPEND")).contains("${JIT_OPTIONS}");
        assertThat(argOptions("JIT_OPTIONS")).isEqualTo(ServiceProcess.TIER4_THRESHOLDS);
        assertThat(ServiceProcess.TIER4_THRESHOLDS).hasSize(4).allMatch(option -> option.startsWith("-XX:Tier4"));
    }

    /**
     * The local stack runs each service with the JIT options its image is built with: the build commands of
     * {@code docs/deploy.md} pass {@code JIT_OPTIONS=-XX:TieredStopAtLevel=1} to exactly the services that run C1 only here,
     * and the others take the Dockerfile's default.
     */
    @Test
    void theDeployGuideBuildsC1OnlyExactlyTheServicesTheLocalStackRunsSo() throws IOException {
        Matcher build = Pattern.compile("case \\$svc in ([a-z|-]+)\\) jit=\\(--build-arg JIT_OPTIONS=(\\S+)\\)").matcher(Files.readString(DEPLOY_GUIDE));
        assertThat(build.find()).as("%s builds some services with a JIT_OPTIONS build argument", DEPLOY_GUIDE).isTrue();
        List<String> c1Only = Stream.of(ArchiverService.values()).filter(s -> ServiceProcess.jitOptions(s).equals(ServiceProcess.C1_ONLY))
                .map(ArchiverService::module).toList();
        assertThat(List.of(build.group(1).split("\\|"))).containsExactlyInAnyOrderElementsOf(c1Only).isNotEmpty();
        assertThat(List.of(build.group(2))).isEqualTo(ServiceProcess.C1_ONLY);
        Stream.of(ArchiverService.values()).filter(s -> !c1Only.contains(s.module()))
                .forEach(s -> assertThat(ServiceProcess.jitOptions(s)).as(s.module()).isEqualTo(ServiceProcess.TIER4_THRESHOLDS));
    }

    @Test
    void theLocalStackLooksForTheJdkReleaseOfTheImagesBase() throws IOException {
        Matcher from = Pattern.compile("(?m)^FROM registry\\.access\\.redhat\\.com/ubi9/openjdk-(\\d+)-runtime:\\S+$").matcher(Files.readString(DOCKERFILE));
        assertThat(from.find()).as("%s is FROM a ubi9/openjdk-N-runtime image", DOCKERFILE).isTrue();

        assertThat(Integer.parseInt(from.group(1))).isEqualTo(ServiceJvm.IMAGE_FEATURE);
    }

    /** The whitespace-separated words of a Dockerfile {@code ARG NAME="..."} default. */
    private static List<String> argOptions(String name) throws IOException {
        Matcher arg = Pattern.compile("(?m)^ARG " + name + "=\"([^\"]*)\"$").matcher(Files.readString(DOCKERFILE));
        assertThat(arg.find()).as("%s declares the build argument %s with a default", DOCKERFILE, name).isTrue();
        return List.of(arg.group(1).trim().split("\\s+"));
    }

    /** The whitespace-separated words of a Dockerfile {@code ENV NAME="..."} line. */
    private static List<String> envOptions(String name) throws IOException {
        Matcher env = Pattern.compile("(?m)^ENV " + name + "=\"([^\"]*)\"$").matcher(Files.readString(DOCKERFILE));
        assertThat(env.find()).as("%s sets %s", DOCKERFILE, name).isTrue();
        return List.of(env.group(1).trim().split("\\s+"));
    }
}
