package io.archiver.scanner.schedule;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * {@code archiver.schedule.*}: the optional in-process schedule of the scanner, for use without a
 * Kubernetes CronJob. Off by default ({@code cron=off}).
 */
@ConfigMapping(prefix = "archiver.schedule")
public interface ScheduleConfig {

    /** A Quarkus cron expression (seconds first, e.g. {@code 0 0 2 * * ?} for 02:00 every day), or {@code off}. */
    @WithDefault("off")
    String cron();

    /** The policy the schedule triggers. */
    @WithDefault("run")
    String policy();
}
