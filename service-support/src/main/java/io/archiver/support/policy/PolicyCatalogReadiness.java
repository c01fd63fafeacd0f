package io.archiver.support.policy;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready only while the service knows its policies (read from the control database within archiver.policy.max-staleness);
 * its data names each policy's version ({@code run=3}), so an operator or a test can see that a change has been taken up.
 */
@Readiness
@ApplicationScoped
public class PolicyCatalogReadiness implements HealthCheck {

    private final PolicyCatalog catalog;

    public PolicyCatalogReadiness(PolicyCatalog catalog) {
        this.catalog = catalog;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("policies");
        try {
            catalog.versions().forEach((name, version) -> response.withData(name, version));
            return response.up().build();
        } catch (PolicyCatalog.PolicyCatalogUnavailable e) {
            return response.down().withData("reason", e.getMessage()).build();
        }
    }
}
