package io.archiver.localstack.demo;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import io.archiver.localstack.process.StackLayout;

/**
 * archivectl's runner jar, run as an operator runs it, against the demo's stack: the demo registers the source, applies the
 * policies and triggers the runs through the same commands (and so the same code) a user types afterwards.
 */
public final class ArchivectlJar {

    /** How a command ended and what it printed. */
    public record Result(int exitCode, String out, String err) {
    }

    private final Path jar;
    private final Path workDir;
    private final Map<String, String> environment;

    /** {@code environment}: the demo's Kafka and control database settings, and the source's password variable. */
    public ArchivectlJar(Path repositoryRoot, Path workDir, Map<String, String> environment) {
        this.jar = locate(repositoryRoot);
        this.workDir = workDir;
        this.environment = Map.copyOf(environment);
    }

    /** {@code archivectl/target/archivectl-<version>-runner.jar}, which {@code mvn install} (the demo's build) makes. */
    public static Path locate(Path repositoryRoot) {
        Path target = repositoryRoot.resolve("archivectl/target");
        try (Stream<Path> files = Files.exists(target) ? Files.list(target) : Stream.empty()) {
            return files.filter(p -> p.getFileName().toString().endsWith("-runner.jar")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no archivectl runner jar in " + target + ": run `mvn -DskipTests install` at"
                            + " the repository root first (./archiver-demo does, unless ARCHIVER_SKIP_BUILD=1)"));
        } catch (IOException e) {
            throw new IllegalStateException("cannot list " + target, e);
        }
    }

    public Path jar() {
        return jar;
    }

    public Result run(String... args) {
        List<String> command = new ArrayList<>(List.of(StackLayout.java(), "-Xmx128m", "-jar", jar.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().putAll(environment);
        try {
            Files.createDirectories(workDir);
            Path out = Files.createTempFile(workDir, "archivectl-out", ".txt");
            Path err = Files.createTempFile(workDir, "archivectl-err", ".txt");
            Process process = builder.redirectOutput(out.toFile()).redirectError(err.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile())).start();
            if (!process.waitFor(2, TimeUnit.HOURS)) {
                process.destroyForcibly();
                throw new IllegalStateException("archivectl " + String.join(" ", args) + " did not end within 2 hours");
            }
            return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException("cannot run archivectl " + String.join(" ", args) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
