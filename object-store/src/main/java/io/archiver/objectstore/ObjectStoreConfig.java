package io.archiver.objectstore;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * The archive bucket, and how objects are written into it ({@link ObjectWriter}: the exporter puts shards and their
 * manifests). The S3 client itself is configured under {@code quarkus.s3.*}.
 */
@ConfigMapping(prefix = "archiver.s3")
public interface ObjectStoreConfig {

    /** The bucket that holds the archive objects. */
    String bucket();

    /** How long the S3 readiness check waits for the bucket to answer. */
    @WithDefault("3s")
    Duration healthTimeout();

    /** Objects at least this large are put in parts (their checksum is then composite: the uploader reads them back). */
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

    /** The bucket as a reader outside Quarkus sees it (archivectl, tests): the write settings at their defaults. */
    static ObjectStoreConfig of(String bucket, Duration healthTimeout) {
        return of(bucket, healthTimeout, ObjectLock.AUTO);
    }

    /** The defaults with the Object Lock setting given (a test against a server without Object Lock sets OFF). */
    static ObjectStoreConfig of(String bucket, Duration healthTimeout, ObjectLock objectLock) {
        return new ObjectStoreConfig() {
            @Override
            public String bucket() {
                return bucket;
            }

            @Override
            public Duration healthTimeout() {
                return healthTimeout;
            }

            @Override
            public long multipartThreshold() {
                return 64L << 20;
            }

            @Override
            public long partSize() {
                return 16L << 20;
            }

            @Override
            public ObjectLock objectLock() {
                return objectLock;
            }

            @Override
            public Duration retention() {
                return Duration.ofDays(731);
            }

            @Override
            public String retentionMode() {
                return "GOVERNANCE";
            }
        };
    }

    enum ObjectLock {
        AUTO,
        ON,
        OFF
    }
}
