package io.archiver.exporter.domain;

import java.nio.file.Path;
import java.time.Duration;

import io.archiver.events.ShardCompression;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** {@code archiver.export.*}: where shards are written before they are put in S3, and how they are written. */
@ConfigMapping(prefix = "archiver.export")
public interface ExportConfig {

    /**
     * The exporter's own scratch directory: a shard is written there (its digests computed on the way), put in S3, and
     * removed once it is announced. Never shared with another service (an emptyDir in Kubernetes); the JVM's temp dir by default.
     */
    @WithDefault("${java.io.tmpdir}")
    Path scratchDir();

    /** Rows per page (one query each, all in the export's one snapshot). */
    @WithDefault("5000")
    int fetchSize();

    /** GZIP or NONE. */
    @WithDefault("GZIP")
    ShardCompression compression();

    /**
     * Deflate level for GZIP shards, 1 (fastest) to 9 (smallest). Level 1 costs a fraction of the CPU of
     * the JDK's default (6) for objects a few percent larger: the exporter is CPU-bound (see docs/performance.md).
     */
    @WithDefault("1")
    int gzipLevel();

    /** Longest a database statement may take. */
    @WithDefault("PT5M")
    Duration dbTimeout();
}
