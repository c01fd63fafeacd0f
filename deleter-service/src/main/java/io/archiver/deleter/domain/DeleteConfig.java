package io.archiver.deleter.domain;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** {@code archiver.delete.*}: how the deleting transaction reads and how fast batches follow each other. */
@ConfigMapping(prefix = "archiver.delete")
public interface DeleteConfig {

    /** Rows fetched per cursor round trip while re-reading a batch under lock. */
    @WithDefault("1000")
    int fetchSize();

    /** Longest a database statement may take. */
    @WithDefault("PT2M")
    Duration dbTimeout();

    /** Throttle: pause after each deleted batch, to let replicas catch up (PT0S: none). */
    @WithDefault("PT0S")
    Duration pauseBetweenBatches();
}
