package io.archiver.deleter.domain;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** {@code archiver.delete.*}: how the deleting transactions read, how many rows each removes, how fast batches follow each other. */
@ConfigMapping(prefix = "archiver.delete")
public interface DeleteConfig {

    /** Rows per page (one query each) while re-reading a chunk under lock. */
    @WithDefault("2000")
    int fetchSize();

    /**
     * Most rows one deleting transaction locks and removes: a batch is removed in chunks of this many rows,
     * each checked under lock against the archive, so that row locks are held briefly whatever the batch size.
     */
    @WithDefault("1000")
    int chunkRows();

    /** Longest a database statement (or the wait for a connection) may take before it fails as a transient failure and is retried. */
    @WithDefault("PT2M")
    Duration dbTimeout();

    /**
     * Batches this instance deletes at once, each on its own connection and consumer of the input topic's partitions
     * (the channel's {@code concurrency}); at most one deleting transaction per batch is open.
     */
    @WithDefault("1")
    int concurrency();

    /** Throttle: pause after each deleted batch, to let replicas catch up (PT0S: none). */
    @WithDefault("PT0S")
    Duration pauseBetweenBatches();
}
