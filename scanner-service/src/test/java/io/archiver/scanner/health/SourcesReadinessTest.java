package io.archiver.scanner.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import jakarta.inject.Inject;

import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.Test;

import io.archiver.scanner.ScannerTestProfile;
import io.archiver.support.source.SourcesReadiness;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** The scanner starts with readiness 'sources' (service-support's, in every service) and names the control database in it. */
@QuarkusTest
@TestProfile(ScannerTestProfile.class)
class SourcesReadinessTest {

    @Inject
    @org.eclipse.microprofile.health.Readiness
    SourcesReadiness readiness;

    @Test
    void readinessNamesTheControlDatabaseAsASource() {
        HealthCheckResponse response = readiness.call().await().atMost(Duration.ofSeconds(30));
        assertThat(response.getName()).isEqualTo("sources");
        assertThat(response.getStatus()).as(String.valueOf(response.getData())).isEqualTo(HealthCheckResponse.Status.UP);
        assertThat(response.getData().orElseThrow()).containsEntry("control", "UP");
    }
}
