package io.archiver.exporter.domain;

import java.nio.file.Path;
import java.time.Duration;

import io.archiver.events.ShardCompression;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** {@code archiver.export.*}: where shards are staged and how they are written. */
@ConfigMapping(prefix = "archiver.export")
public interface ExportConfig {

    /** The staging directory shared with the uploader (a volume in Kubernetes). */
    Path stagingDir();

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
