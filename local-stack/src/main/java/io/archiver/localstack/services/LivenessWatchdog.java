package io.archiver.localstack.services;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * What a kubelet's liveness probe does for a pod, for the services of a local stack: every {@code period} it asks each
 * instance's {@code /q/health/live}, and an instance that answered DOWN (503) {@code failureThreshold} times in a row is
 * killed and started again (the Deployments of deploy/base, deploy/base/exporter-service.yaml for one, probe every 10 s and
 * restart after 3 failures). Without it nothing restarts a service whose Kafka channel failed for good (its liveness stays
 * DOWN, docs/reliability.md). An instance that does not answer at all (killed by a test, or still starting) is left alone:
 * a kubelet's startup probe covers that case.
 */
public final class LivenessWatchdog implements AutoCloseable {

    private final Supplier<Iterable<ServiceProcess>> processes;
    private final Duration period;
    private final DownStreaks streaks;
    private final List<String> restarts = new ArrayList<>();
    private final Thread thread;
    private volatile boolean running = true;

    private LivenessWatchdog(Supplier<Iterable<ServiceProcess>> processes, Duration period, int failureThreshold) {
        this.processes = processes;
        this.period = period;
        this.streaks = new DownStreaks(failureThreshold);
        this.thread = new Thread(this::watch, "liveness-watchdog");
        this.thread.setDaemon(true);
    }

    /** Starts watching every instance {@code processes} gives at each round. */
    public static LivenessWatchdog start(Supplier<Iterable<ServiceProcess>> processes, Duration period, int failureThreshold) {
        LivenessWatchdog watchdog = new LivenessWatchdog(processes, period, failureThreshold);
        watchdog.thread.start();
        return watchdog;
    }

    /** One line per restart: which instance, and what its liveness said. */
    public synchronized List<String> restarts() {
        return List.copyOf(restarts);
    }

    private void watch() {
        while (running) {
            for (ServiceProcess process : processes.get()) {
                probe(process);
            }
            try {
                Thread.sleep(period.toMillis()); // the probe's period, as a kubelet's
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void probe(ServiceProcess process) {
        if (!process.isAlive()) {
            streaks.observe(process, false);
            return;
        }
        HttpResponse<String> live;
        try {
            live = process.health("live");
        } catch (IOException e) {
            streaks.observe(process, false); // no answer: starting, or being killed by a test
            return;
        }
        if (streaks.observe(process, live.statusCode() == 503) && running) {
            String line = process.name() + " restarted after " + streaks.threshold + " DOWN liveness answers in a row: " + live.body();
            System.out.println("liveness watchdog: " + line);
            synchronized (this) {
                restarts.add(line);
            }
            process.restart();
        }
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(Duration.ofSeconds(30).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** DOWN answers in a row, by key; says when a key reaches the threshold (and starts it again from 0). */
    static final class DownStreaks {

        private final int threshold;
        private final Map<Object, Integer> streaks = new ConcurrentHashMap<>();

        DownStreaks(int threshold) {
            if (threshold < 1) {
                throw new IllegalArgumentException("failureThreshold must be >= 1: " + threshold);
            }
            this.threshold = threshold;
        }

        /** Notes one answer; true when this DOWN answer is the {@code threshold}-th in a row (time to restart). */
        boolean observe(Object key, boolean down) {
            if (!down) {
                streaks.remove(key);
                return false;
            }
            int streak = streaks.merge(key, 1, Integer::sum);
            if (streak >= threshold) {
                streaks.remove(key);
                return true;
            }
            return false;
        }
    }
}
