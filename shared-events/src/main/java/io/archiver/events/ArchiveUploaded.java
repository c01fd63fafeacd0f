package io.archiver.events;

import static io.archiver.events.Require.instant;
import static io.archiver.events.Require.notNegative;
import static io.archiver.events.Require.present;
import static io.archiver.events.Require.sha256;
import static io.archiver.events.Require.text;

import java.time.Instant;
import java.util.UUID;

/**
 * Emitted only after the object {@code s3://bucket/objectKey} was read back from S3 with
 * {@code objectBytes} bytes and SHA-256 {@code objectSha256}, holding {@code rowCount} rows
 * whose canonical form digests to {@code rowsDigest}.
 */
public record ArchiveUploaded(
        String eventId,
        String runId,
        String batchId,
        Instant occurredAt,
        int schemaVersion,
        BatchScope scope,
        long rowCount,
        String rowsDigest,
        String bucket,
        String objectKey,
        long objectBytes,
        String objectSha256) implements ArchiveEvent {

    public ArchiveUploaded {
        text(eventId, "eventId");
        text(runId, "runId");
        text(batchId, "batchId");
        instant(occurredAt, "occurredAt");
        SchemaVersion.require(schemaVersion);
        present(scope, "scope");
        notNegative(rowCount, "rowCount");
        sha256(rowsDigest, "rowsDigest");
        text(bucket, "bucket");
        text(objectKey, "objectKey");
        notNegative(objectBytes, "objectBytes");
        sha256(objectSha256, "objectSha256");
    }

    public static ArchiveUploaded of(String runId, String batchId, BatchScope scope, long rowCount, String rowsDigest,
            String bucket, String objectKey, long objectBytes, String objectSha256) {
        return new ArchiveUploaded(UUID.randomUUID().toString(), runId, batchId, Instant.now(), SchemaVersion.CURRENT, scope,
                rowCount, rowsDigest, bucket, objectKey, objectBytes, objectSha256);
    }
}
