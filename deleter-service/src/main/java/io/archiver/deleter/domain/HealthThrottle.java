package io.archiver.deleter.domain;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.LongSupplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

import io.archiver.deleter.persistence.DatabaseHealth;
import io.archiver.deleter.persistence.ThrottlePauses;
import io.archiver.ledger.ThrottlePauseOutcome;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;

/**
 * Protects the primary (and its replicas) from the deletes: before each chunk reads the database's health, the primary's
 * {@code Threads_running}, InnoDB's history list length and each configured replica's lag, and while any is above its
 * limit ({@code archiver.delete.throttle.*}) pauses, reading again every {@code check-interval}, for at most
 * {@code max-pause}. A pause is logged when it begins and ends (runId, batchId, reason, value, limit) and counted in
 * {@code archiver_delete_throttle_pauses_total} and {@code archiver_delete_throttle_paused_seconds} by reason, and kept in
 * the ledger when it ends ({@link ThrottlePauses}: the run's progress shows it). A
 * healthy reading is trusted for one check interval, so small chunks do not query the server's status each time.
 */
@ApplicationScoped
public class HealthThrottle {

    private static final Logger LOG = Logger.getLogger(HealthThrottle.class);

    /** Why a pause: stable codes (a replica's lag is {@code REPLICA_LAG:<name>}). */
    public static final String THREADS_RUNNING = "THREADS_RUNNING";
    public static final String HISTORY_LENGTH = "HISTORY_LENGTH";
    public static final String REPLICA_LAG = "REPLICA_LAG";

    /** One figure above its limit: its value, or null with the reason it could not be read. */
    public record Breach(String reason, Long value, long limit, String unreadable) {
        String describe() {
            return reason + (value != null ? " " + value : " unreadable (" + unreadable + ")") + " above limit " + limit;
        }
    }

    private final DatabaseHealth health;
    private final DeleteConfig.Throttle config;
    private final MeterRegistry registry;
    private final ThrottlePauses pauses;
    private volatile long healthyUntilNanos;

    public HealthThrottle(DatabaseHealth health, DeleteConfig config, MeterRegistry registry, ThrottlePauses pauses) {
        this.health = health;
        this.config = config.throttle();
        this.registry = registry;
        this.pauses = pauses;
    }

    /** Refuses to start with settings that would never pause or never end a pause, naming the setting. */
    void checkSettings(@Observes StartupEvent start, DeleteConfig all) {
        if (config.maxThreadsRunning() < 0 || config.maxHistoryLength() < 0) {
            throw new IllegalArgumentException("archiver.delete.throttle.max-threads-running and max-history-length must be 0 (not read) or more");
        }
        if (config.checkInterval().isNegative() || config.checkInterval().isZero() || config.maxPause().isNegative()) {
            throw new IllegalArgumentException("archiver.delete.throttle.check-interval must be positive and max-pause not negative, were "
                    + config.checkInterval() + " and " + config.maxPause());
        }
        if (all.chunks().minRows() < 1 || all.chunks().targetTime().isNegative() || all.chunks().targetTime().isZero()) {
            throw new IllegalArgumentException("archiver.delete.chunks.min-rows must be at least 1 and target-time positive, were "
                    + all.chunks().minRows() + " and " + all.chunks().targetTime());
        }
    }

    /** The instance's chunk size, learnt across its batches (and shown as the gauge {@code archiver_delete_chunk_rows}). */
    @Produces
    @Singleton
    static AdaptiveChunkSize chunkSize(DeleteConfig config, MeterRegistry registry) {
        AdaptiveChunkSize size = new AdaptiveChunkSize(config.chunks().minRows(), config.chunkRows(), config.chunks().targetTime());
        registry.gauge("archiver.delete.chunk.rows", size, AdaptiveChunkSize::rows);
        return size;
    }

    /**
     * Returns once the database is healthy (at once, mostly), or, when it is still above a limit after {@code max-pause}
     * (or the wait is interrupted), what it is above: the caller then removes nothing more of the batch.
     */
    public Optional<String> awaitHealthy(String runId, String batchId) {
        if (System.nanoTime() - healthyUntilNanos < 0) {
            return Optional.empty();
        }
        List<Breach> breaches = breaches();
        if (breaches.isEmpty()) {
            healthyUntilNanos = System.nanoTime() + config.checkInterval().toNanos();
            return Optional.empty();
        }
        String reason = breaches.get(0).reason();
        String detail = String.join("; ", breaches.stream().map(Breach::describe).toList());
        long beganAtMs = System.currentTimeMillis();
        long began = System.nanoTime();
        long deadline = began + config.maxPause().toNanos();
        registry.counter("archiver.delete.throttle.pauses", "reason", reasonTag(reason)).increment();
        log("pause", runId, batchId, breaches, 0);
        ThrottlePauseOutcome outcome = ThrottlePauseOutcome.INTERRUPTED;
        try {
            while (true) {
                if (System.nanoTime() - deadline >= 0) {
                    log("gave up", runId, batchId, breaches, System.nanoTime() - began);
                    outcome = ThrottlePauseOutcome.GAVE_UP;
                    return Optional.of("the database stayed unhealthy for " + config.maxPause() + " (archiver.delete.throttle.max-pause): "
                            + String.join("; ", breaches.stream().map(Breach::describe).toList()));
                }
                try {
                    Thread.sleep(Math.max(1, Math.min(config.checkInterval().toMillis(), (deadline - System.nanoTime()) / 1_000_000)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt(); // a shutdown: remove nothing more; the interrupt stays for the thread's owner
                    return Optional.of("interrupted while paused: " + String.join("; ", breaches.stream().map(Breach::describe).toList()));
                }
                breaches = breaches();
                if (breaches.isEmpty()) {
                    log("resume", runId, batchId, List.of(), System.nanoTime() - began);
                    healthyUntilNanos = System.nanoTime() + config.checkInterval().toNanos();
                    outcome = ThrottlePauseOutcome.RESUMED;
                    return Optional.empty();
                }
            }
        } finally {
            Duration paused = Duration.ofNanos(System.nanoTime() - began);
            registry.timer("archiver.delete.throttle.paused", "reason", reasonTag(reason)).record(paused);
            pauses.record(runId, batchId, reason, detail, outcome, beganAtMs, paused.toMillis());
        }
    }

    /** Every figure above its limit now (none: healthy). */
    public List<Breach> breaches() {
        List<Breach> above = new ArrayList<>();
        if (config.maxThreadsRunning() > 0) {
            check(above, THREADS_RUNNING, config.maxThreadsRunning(), health::threadsRunning);
        }
        if (config.maxHistoryLength() > 0) {
            check(above, HISTORY_LENGTH, config.maxHistoryLength(), health::historyLength);
        }
        long lagLimit = config.maxReplicaLag().toSeconds();
        for (Map.Entry<String, DeleteConfig.Replica> replica : config.replicas().entrySet()) {
            String reason = REPLICA_LAG + ":" + replica.getKey();
            try {
                OptionalLong lag = health.replicaLag(replica.getKey());
                if (lag.isEmpty()) {
                    above.add(new Breach(reason, null, lagLimit, "its lag is unknown (NULL): replication stopped or no heartbeat"));
                } else if (lag.getAsLong() > lagLimit) {
                    above.add(new Breach(reason, lag.getAsLong(), lagLimit, null));
                }
            } catch (RuntimeException e) {
                above.add(new Breach(reason, null, lagLimit, e.getMessage()));
            }
        }
        return above;
    }

    private static void check(List<Breach> above, String reason, long limit, LongSupplier probe) {
        try {
            long value = probe.getAsLong();
            if (value > limit) {
                above.add(new Breach(reason, value, limit, null));
            }
        } catch (RuntimeException e) {
            above.add(new Breach(reason, null, limit, e.getMessage()));
        }
    }

    private static String reasonTag(String reason) {
        int colon = reason.indexOf(':');
        return colon < 0 ? reason : reason.substring(0, colon); // one tag value per kind, not per replica name
    }

    private static void log(String what, String runId, String batchId, List<Breach> breaches, long pausedNanos) {
        MDC.put("runId", runId);
        MDC.put("batchId", batchId);
        try {
            if (breaches.isEmpty()) {
                LOG.infof("throttle=%s runId=%s batchId=%s pausedMs=%d", what, runId, batchId, pausedNanos / 1_000_000);
                return;
            }
            Breach first = breaches.get(0);
            LOG.infof("throttle=%s runId=%s batchId=%s reason=%s value=%s limit=%d pausedMs=%d%s", what, runId, batchId, first.reason(),
                    first.value() == null ? "unreadable" : first.value(), first.limit(), pausedNanos / 1_000_000,
                    breaches.size() > 1 || first.value() == null ? " detail=\"" + String.join("; ", breaches.stream().map(Breach::describe).toList())
                            .replace('"', '\'') + "\"" : "");
        } finally {
            MDC.remove("runId");
            MDC.remove("batchId");
        }
    }
}
