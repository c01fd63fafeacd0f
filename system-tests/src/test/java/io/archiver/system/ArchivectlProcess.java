package io.archiver.system;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import io.archiver.localstack.process.StackLayout;

/** The archivectl runner jar as an operator runs it, against a {@link SystemStack}: its exit code and what it printed. */
final class ArchivectlProcess {

    record Result(int exitCode, String out, String err) {

        /** The run id: the first line archivectl trigger prints. */
        String runId() {
            return out.lines().findFirst().orElseThrow(() -> new AssertionError("archivectl printed no run id:\n" + this));
        }

        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    private final SystemStack system;
    private final Path jar;

    ArchivectlProcess(SystemStack system) {
        this.system = system;
        Path target = SystemStack.repositoryRoot().resolve("archivectl/target");
        try (Stream<Path> files = Files.list(target)) {
            this.jar = files.filter(p -> p.getFileName().toString().endsWith("-runner.jar")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no archivectl runner jar in " + target + ": build archivectl first"));
        } catch (IOException e) {
            throw new IllegalStateException("no archivectl build in " + target + ": build archivectl first", e);
        }
    }

    Result run(String... args) {
        return run(java.util.Map.of(), args);
    }

    /** {@link #run(String...)} with more environment variables (a source's password variable, say). */
    Result run(java.util.Map<String, String> environment, String... args) {
        List<String> command = new ArrayList<>(List.of(StackLayout.java(), "-Xmx128m", "-jar", jar.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().keySet().removeIf(k -> k.startsWith("KAFKA_") || k.startsWith("ARCHIVER_DB_"));
        builder.environment().put("KAFKA_BOOTSTRAP_SERVERS", system.stack.kafka().bootstrapServers());
        builder.environment().put("ARCHIVER_DB_URL", system.mysql.jdbcUrl());
        builder.environment().put("ARCHIVER_DB_USER", system.mysql.user());
        builder.environment().put("ARCHIVER_DB_PASSWORD", system.mysql.password());
        builder.environment().putAll(environment);
        try {
            Path dir = system.stack.workDir();
            Path out = Files.createTempFile(dir, "archivectl-out", ".txt");
            Path err = Files.createTempFile(dir, "archivectl-err", ".txt");
            Process process = builder.redirectOutput(out.toFile()).redirectError(err.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile())).start();
            if (!process.waitFor(10, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new IllegalStateException("archivectl " + String.join(" ", args) + " did not end within 10 minutes");
            }
            Result result = new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
            System.out.println("$ archivectl " + String.join(" ", args) + "\n" + result);
            return result;
        } catch (IOException e) {
            throw new IllegalStateException("cannot run archivectl", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
