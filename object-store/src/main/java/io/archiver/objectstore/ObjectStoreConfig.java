package io.archiver.objectstore;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The archive bucket. The S3 client itself is configured under {@code quarkus.s3.*}. */
@ConfigMapping(prefix = "archiver.s3")
public interface ObjectStoreConfig {

    /** The bucket that holds the archive objects. */
    String bucket();

    /** How long the S3 readiness check waits for the bucket to answer. */
    @WithDefault("3s")
    Duration healthTimeout();
}
