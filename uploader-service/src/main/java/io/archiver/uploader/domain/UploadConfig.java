package io.archiver.uploader.domain;

import java.nio.file.Path;
import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** {@code archiver.upload.*}: where staged shards are, how they are put, how long they are retained. */
@ConfigMapping(prefix = "archiver.upload")
public interface UploadConfig {

    /** The staging directory shared with the exporter. */
    Path stagingDir();

    /** Shards at least this large are uploaded in parts. */
    @WithDefault("67108864")
    long multipartThreshold();

    /** The size of each part of a multipart upload (at least 5 MiB). */
    @WithDefault("16777216")
    long partSize();

    /** AUTO sets Object Lock retention when the bucket has Object Lock enabled; ON requires it; OFF never sets it. */
    @WithDefault("AUTO")
    ObjectLock objectLock();

    /** How long an object is retained under Object Lock (at least two years). */
    @WithDefault("P731D")
    Duration retention();

    /** GOVERNANCE or COMPLIANCE. */
    @WithDefault("GOVERNANCE")
    String retentionMode();

    enum ObjectLock {
        AUTO,
        ON,
        OFF
    }
}
