package io.archiver.localstack.services;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.archiver.localstack.LocalStack;

/**
 * The four services as prod-mode jars against a local stack, sharing no directory (shards reach the uploader through S3;
 * the exporter writes them first to its JVM's temp dir), each configured only through environment variables
 * ({@link LocalStack#environment()} plus overrides).
 */
public final class ServiceFleet implements AutoCloseable {

    private final Map<ArchiverService, ServiceProcess> services = new EnumMap<>(ArchiverService.class);
    /** Every instance of each service, the first one ({@link #services}'s) first. */
    private final Map<ArchiverService, List<ServiceProcess>> instances = new EnumMap<>(ArchiverService.class);

    private ServiceFleet() {
    }

    /** Starts all four services and waits until each is ready. */
    public static ServiceFleet start(LocalStack stack, Path repositoryRoot, Path workDir, Map<ArchiverService, Map<String, String>> overrides,
            Duration readyTimeout) {
        return start(stack, repositoryRoot, workDir, overrides, readyTimeout, 1);
    }

    /**
     * Starts {@code instances} of each of the four services (same settings, so the same consumer groups; each its own HTTP
     * port, the second and later ones logging in {@code services/instance-N}) and waits until each is ready. The topics need
     * at least {@code instances} partitions for every instance to get work ({@link LocalStack#topicPartitions()}).
     */
    public static ServiceFleet start(LocalStack stack, Path repositoryRoot, Path workDir, Map<ArchiverService, Map<String, String>> overrides,
            Duration readyTimeout, int instances) {
        if (instances < 1) {
            throw new IllegalArgumentException("instances must be >= 1: " + instances);
        }
        ServiceFleet fleet = new ServiceFleet();
        try {
            for (ArchiverService service : ArchiverService.values()) {
                Map<String, String> env = new HashMap<>(stack.environment());
                env.putAll(overrides.getOrDefault(service, Map.of()));
                fleet.services.put(service, new ServiceProcess(service, repositoryRoot, workDir.resolve("services"), env).start(List.of()));
                fleet.instances.computeIfAbsent(service, s -> new ArrayList<>()).add(fleet.services.get(service));
                for (int i = 2; i <= instances; i++) {
                    fleet.instances.get(service).add(new ServiceProcess(service, repositoryRoot, workDir.resolve("services").resolve("instance-" + i), env, i)
                            .start(List.of()));
                }
            }
            for (ServiceProcess process : fleet.all()) {
                process.awaitReady(readyTimeout);
            }
            return fleet;
        } catch (RuntimeException e) {
            fleet.close();
            throw e;
        }
    }

    public ServiceProcess get(ArchiverService service) {
        return services.get(service);
    }

    /** Every instance of every service. */
    public Iterable<ServiceProcess> all() {
        return instances.values().stream().flatMap(List::stream).toList();
    }

    /** The instances of {@code service}, the first ({@link #get}) first. */
    public List<ServiceProcess> instances(ArchiverService service) {
        return List.copyOf(instances.getOrDefault(service, List.of()));
    }

    /**
     * Restarts an instance whose liveness answered DOWN {@code failureThreshold} times in a row, probing every {@code period}, as a
     * kubelet would ({@link LivenessWatchdog}); close the watchdog before the fleet.
     */
    public LivenessWatchdog watchLiveness(Duration period, int failureThreshold) {
        return LivenessWatchdog.start(this::all, period, failureThreshold);
    }

    @Override
    public void close() {
        all().forEach(ServiceProcess::kill);
    }
}
