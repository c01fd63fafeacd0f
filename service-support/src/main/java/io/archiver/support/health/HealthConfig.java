package io.archiver.support.health;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** How long readiness checks wait for the servers a service uses. */
@ConfigMapping(prefix = "archiver.health")
public interface HealthConfig {

    /** How long the Kafka readiness check waits for the cluster to answer. */
    @WithDefault("3s")
    Duration kafkaTimeout();
}
