package io.archiver.support.policy;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** How fresh a service's policies are: read again from the control database every {@link #refresh()}. */
@ConfigMapping(prefix = "archiver.policy")
public interface PolicyCatalogConfig {

    /** How often the policies are read again: a change made with archivectl policy apply is seen within this. */
    @WithDefault("PT5S")
    Duration refresh();

    /** Policies older than this (the control database unreachable that long) are not used: handling waits and retries. */
    @WithDefault("PT1M")
    Duration maxStaleness();

    /** Longest a read of the policies may take. */
    @WithDefault("PT10S")
    Duration readTimeout();
}
