package io.archiver.localstack.services;

import java.nio.file.Path;
import java.time.Duration;
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
    private ServiceFleet() {
    }

    /** Starts all four services and waits until each is ready. */
    public static ServiceFleet start(LocalStack stack, Path repositoryRoot, Path workDir, Map<ArchiverService, Map<String, String>> overrides,
            Duration readyTimeout) {
        ServiceFleet fleet = new ServiceFleet();
        try {
            for (ArchiverService service : ArchiverService.values()) {
                Map<String, String> env = new HashMap<>(stack.environment());
                env.putAll(overrides.getOrDefault(service, Map.of()));
                fleet.services.put(service, new ServiceProcess(service, repositoryRoot, workDir.resolve("services"), env).start(List.of()));
            }
            for (ServiceProcess process : fleet.services.values()) {
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

    public Iterable<ServiceProcess> all() {
        return services.values();
    }

    @Override
    public void close() {
        services.values().forEach(ServiceProcess::kill);
    }
}
