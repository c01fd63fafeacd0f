package io.archiver.localstack.services;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import io.archiver.events.ArchiveMode;
import io.archiver.events.ArchiveRunAwaitingConfirmation;
import io.archiver.events.ArchiveRunCompleted;
import io.archiver.events.RunOutcome;
import io.archiver.localstack.LocalStack;
import io.archiver.localstack.pipeline.PipelineDriver;
import io.archiver.localstack.process.StackLayout;

/**
 * The training run that writes the services' AOT caches ({@link ServiceJvm}): a stack of its own (Kafka, the S3 server and
 * a database of its own, never the one a benchmark measures) with a small seeded {@code run} table, the four services started
 * with {@code -XX:AOTCacheOutput=}, one archival run from trigger to completion, then a polite stop (SIGTERM), at which each
 * JVM writes its cache. What the services did in that run (Kafka, JDBC and reactive MySQL, the S3 SDK, the CSV and digest
 * code) is what the cache then holds loaded, linked and profiled.
 */
public final class AotTraining {

    /** Rows seeded for the training: a few batches, enough for every stage's code to run many times. */
    public static final long ROWS = 40_000;

    private final ServiceJvm jvm;
    private final Path repositoryRoot;
    private final Path workDir;
    private final Consumer<String> progress;

    public AotTraining(ServiceJvm jvm, Path repositoryRoot, Path workDir, Consumer<String> progress) {
        if (jvm.aotCacheDir().isEmpty()) {
            throw new IllegalArgumentException("no AOT cache directory: set " + ServiceJvm.AOT_CACHE_DIR_ENV);
        }
        this.jvm = jvm;
        this.repositoryRoot = repositoryRoot;
        this.workDir = workDir;
        this.progress = progress;
    }

    /** Trains unless every service's cache is there and newer than its jars. */
    public void ensureCaches(String database) {
        if (jvm.cachesFresh(repositoryRoot)) {
            progress.accept("services' AOT caches are fresh in " + jvm.aotCacheDir().get());
            return;
        }
        train(database);
    }

    /** One training run on a stack of its own in {@code workDir}, with control and source database {@code database}. */
    public void train(String database) {
        Path dir = jvm.aotCacheDir().get();
        LocalStack.deleteRecursively(workDir);
        try {
            Files.createDirectories(dir);
            for (ArchiverService service : ArchiverService.values()) {
                Files.deleteIfExists(jvm.cacheFile(service.module()).get());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare " + dir, e);
        }
        long t0 = System.nanoTime();
        progress.accept("AOT training: a stack of its own in " + workDir + ", " + ROWS + " rows in database " + database);
        Map<ArchiverService, ServiceProcess> services = new EnumMap<>(ArchiverService.class);
        try (LocalStack stack = new LocalStack(StackLayout.locate(workDir), database)) {
            stack.ensure(java.util.EnumSet.of(LocalStack.Server.KAFKA, LocalStack.Server.S3));
            stack.seedMySql(ROWS, 0.6);
            for (ArchiverService service : ArchiverService.values()) {
                Map<String, String> env = new HashMap<>(stack.environment());
                services.put(service, new ServiceProcess(service, repositoryRoot, workDir.resolve("services"), env, jvm)
                        .start(List.of("-XX:AOTCacheOutput=" + jvm.cacheFile(service.module()).get())));
            }
            for (ServiceProcess service : services.values()) {
                service.awaitReady(Duration.ofMinutes(4));
            }
            archiveOnce(stack);
            // SIGTERM: each JVM writes its cache on the way out (a child JVM assembles it), which takes a while on a busy machine
            for (ServiceProcess service : services.values()) {
                service.stop(Duration.ofMinutes(5));
            }
        } finally {
            services.values().forEach(ServiceProcess::kill);
        }
        for (ArchiverService service : ArchiverService.values()) {
            Path cache = jvm.cacheFile(service.module()).get();
            if (!Files.isRegularFile(cache)) {
                throw new IllegalStateException("the AOT training wrote no " + cache + "; see " + workDir.resolve("services"));
            }
        }
        progress.accept(String.format(java.util.Locale.ROOT, "AOT training done in %.0f s: caches in %s", (System.nanoTime() - t0) / 1e9, dir));
    }

    /** One run of the `run` policy; its first run is held for confirmation (a safety rail), so it is confirmed here. */
    private void archiveOnce(LocalStack stack) {
        String runId = PipelineDriver.newRunId();
        try (PipelineDriver driver = new PipelineDriver(stack.kafka().bootstrapServers())) {
            driver.trigger(runId, ArchiveMode.DELETE);
            if (driver.awaitCompletionOrHold(runId, Duration.ofMinutes(10)) instanceof ArchiveRunAwaitingConfirmation) {
                driver.confirm(runId, "aot-training");
            }
            ArchiveRunCompleted done = driver.awaitCompletion(runId, Duration.ofMinutes(10));
            if (done.outcome() != RunOutcome.SUCCEEDED) {
                throw new IllegalStateException("the AOT training run ended " + done.outcome() + " (" + done.reason() + ")");
            }
        }
    }
}
