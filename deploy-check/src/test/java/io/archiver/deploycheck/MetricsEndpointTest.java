package io.archiver.deploycheck;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;

import org.junit.jupiter.api.Test;

/**
 * The ServiceMonitor scrapes /q/metrics, which a Quarkus service serves only with a Micrometer registry
 * extension: deploy/ must not claim metrics that do not exist. (ArchivalRunContract in system-tests scrapes the running services.)
 */
class MetricsEndpointTest {

    @Test
    void everyServiceServesTheMetricsTheServiceMonitorScrapes() throws IOException {
        String support = Files.readString(Fixtures.ROOT.resolve("service-support/pom.xml"));
        for (String service : ServiceProperties.SERVICES) {
            String pom = Files.readString(Fixtures.ROOT.resolve(service).resolve("pom.xml"));
            assertThat(pom.contains("quarkus-micrometer-registry-prometheus") || support.contains("quarkus-micrometer-registry-prometheus"))
                    .as(service + " serves /q/metrics").isTrue();
        }
    }
}
