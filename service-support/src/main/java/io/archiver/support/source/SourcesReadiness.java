package io.archiver.support.source;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

import io.archiver.support.policy.ArchivePolicies;
import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;

/**
 * Readiness {@code sources}: each database this service's policies name, by source name ({@code control} for the control
 * database), as {@code UP} or {@code DOWN: why}; DOWN while any of them does not answer.
 */
@Readiness
@ApplicationScoped
public class SourcesReadiness implements AsyncHealthCheck {

    private final SourcePools pools;
    private final ArchivePolicies policies;

    public SourcesReadiness(SourcePools pools, ArchivePolicies policies) {
        this.pools = pools;
        this.policies = policies;
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        List<String> sources = new ArrayList<>();
        try {
            policies.all().values().forEach(policy -> sources.add(policy.source()));
        } catch (RuntimeException e) {
            // policies not known yet: the control database alone (readiness "policies" says why)
        }
        return pools.health(sources.stream().distinct().toList()).map(SourcesReadiness::response);
    }

    static HealthCheckResponse response(Map<String, String> health) {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("sources");
        health.forEach(response::withData);
        return (health.values().stream().allMatch("UP"::equals) ? response.up() : response.down()).build();
    }
}
