package io.archiver.localstack.services;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/**
 * The local stack, the tests and the benchmark start the services with the options the image runs
 * ({@link ServiceProcess#IMAGE_JVM_OPTIONS}): each must come from {@code deploy/docker/Dockerfile.jvm}'s
 * {@code GC_CONTAINER_OPTIONS} or {@code JAVA_OPTS_APPEND}, or be one that ubi9/openjdk-17-runtime's
 * {@code run-java.sh} adds by itself, so that what is measured here is what ships.
 */
class ImageJvmOptionsTest {

    /** What run-java.sh adds without being asked (its GC_* defaults and the OOM exit). */
    private static final List<String> RUN_JAVA_DEFAULTS = List.of("-XX:MinHeapFreeRatio=10", "-XX:MaxHeapFreeRatio=20", "-XX:GCTimeRatio=4",
            "-XX:AdaptiveSizePolicyWeight=90", "-XX:+ExitOnOutOfMemoryError");

    private static final Path DOCKERFILE = Path.of("..", "deploy", "docker", "Dockerfile.jvm");

    @Test
    void theLocalStackStartsTheServicesWithTheImagesOptions() throws IOException {
        List<String> image = new ArrayList<>(RUN_JAVA_DEFAULTS);
        image.addAll(envOptions("GC_CONTAINER_OPTIONS"));
        image.addAll(envOptions("JAVA_OPTS_APPEND"));

        assertThat(image).containsAll(ServiceProcess.IMAGE_JVM_OPTIONS);
    }

    @Test
    void theImageRaisesTheTier4ThresholdsAsTheLocalStackDoes() throws IOException {
        assertThat(envOptions("JAVA_OPTS_APPEND")).containsAll(ServiceProcess.TIER4_THRESHOLDS);
        assertThat(ServiceProcess.TIER4_THRESHOLDS).hasSize(4).allMatch(option -> option.startsWith("-XX:Tier4"));
    }

    /** The whitespace-separated words of a Dockerfile {@code ENV NAME="..."} line. */
    private static List<String> envOptions(String name) throws IOException {
        Matcher env = Pattern.compile("(?m)^ENV " + name + "=\"([^\"]*)\"$").matcher(Files.readString(DOCKERFILE));
        assertThat(env.find()).as("%s sets %s", DOCKERFILE, name).isTrue();
        return List.of(env.group(1).trim().split("\\s+"));
    }
}
