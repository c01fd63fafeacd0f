package io.archiver.deleter.domain;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** {@code archiver.delete.*}: how the deleting transactions read, how many rows each removes, how fast batches follow each other. */
@ConfigMapping(prefix = "archiver.delete")
public interface DeleteConfig {

    /** Rows per page (one query each) while re-reading a chunk under lock. */
    @WithDefault("2000")
    int fetchSize();

    /**
     * Most rows one deleting transaction locks and removes: a batch is removed in chunks of at most this many rows,
     * each checked under lock against the archive, so that row locks are held briefly whatever the batch size. The chunk
     * size adapts between {@code chunks.min-rows} and this to {@code chunks.target-time} ({@link AdaptiveChunkSize}).
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

    /** How the chunk size adapts to the time its transactions take ({@link AdaptiveChunkSize}). */
    Chunks chunks();

    /** Protects the primary: the health read before each chunk, and the limits above which the deleter pauses ({@link HealthThrottle}). */
    Throttle throttle();

    /** The marker row each deleting transaction writes for CDC consumers (docs/cdc.md). */
    CdcMarker cdcMarker();

    interface CdcMarker {
        /** Write a row into the source database's {@code archiver_cdc_marker} in each deleting transaction (the table is created where absent). */
        @WithDefault("true")
        boolean enabled();

        /** How long markers are kept before the deleter prunes them. */
        @WithDefault("P7D")
        Duration keep();
    }

    interface Chunks {
        /** The first chunk's size and the smallest one: the size never drops below this (nor rises above {@code chunk-rows}). */
        @WithDefault("100")
        int minRows();

        /** The time a chunk's transaction should take: the size grows while chunks commit within it and halves when one does not. */
        @WithDefault("PT0.5S")
        Duration targetTime();
    }

    interface Throttle {
        /** Pause while the primary's {@code Threads_running} (SHOW GLOBAL STATUS) is above this; 0: not read. */
        @WithDefault("25")
        long maxThreadsRunning();

        /** Pause while InnoDB's history list length (undo not yet purged, {@code trx_rseg_history_len}) is above this; 0: not read. */
        @WithDefault("1000000")
        long maxHistoryLength();

        /** Pause while any replica of {@code replicas} lags by more than this (whole seconds). */
        @WithDefault("PT10S")
        Duration maxReplicaLag();

        /** The replicas whose lag is read, by name; none by default. */
        Map<String, Replica> replicas();

        /** How often the health is read while paused, and how long a healthy reading is trusted before it is read again. */
        @WithDefault("PT1S")
        Duration checkInterval();

        /**
         * Longest pause before one chunk: a database still above a limit after it fails the batch (DATABASE_UNHEALTHY, its
         * remaining rows stay and a later run plans them again) rather than wait without end.
         */
        @WithDefault("PT5M")
        Duration maxPause();
    }

    /** A replica read for its lag. */
    interface Replica {
        /** Where it is: {@code mysql://host:port/database}. */
        String url();

        /**
         * A query whose first column is the lag in seconds, e.g. a pt-heartbeat table's
         * {@code SELECT TIMESTAMPDIFF(SECOND, ts, UTC_TIMESTAMP()) FROM heartbeat}; by default
         * {@code SHOW REPLICA STATUS} and its {@code Seconds_Behind_Master} (or {@code _Source}).
         */
        Optional<String> lagQuery();

        /** The user to read it as; by default {@code quarkus.datasource.username}. */
        Optional<String> username();

        /** Its password; by default {@code quarkus.datasource.password}. */
        Optional<String> password();
    }
}
