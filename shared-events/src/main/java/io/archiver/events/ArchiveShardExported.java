package io.archiver.events;

import static io.archiver.events.Require.instant;
import static io.archiver.events.Require.notNegative;
import static io.archiver.events.Require.present;
import static io.archiver.events.Require.sha256;
import static io.archiver.events.Require.text;

import java.time.Instant;
import java.util.UUID;

/**
 * A batch's rows are in a CSV shard the exporter put in the archive bucket under {@code objectKey} (its policy's prefix and
 * the batch's deterministic file name), with the object's manifest beside it: {@code rowCount} rows whose canonical form
 * digests to {@code rowsDigest}, in {@code fileBytes} bytes with SHA-256 {@code fileSha256}, as the exporter wrote them.
 * Whether the key holds those bytes is the uploader's to verify (the key may have been taken before: a replay, or a conflict).
 * The field was {@code stagedFile} (a file in a shared staging directory) before: an event of that shape fails to decode,
 * its reason naming the missing {@code objectKey}, and is dead-lettered.
 */
public record ArchiveShardExported(
        String eventId,
        String runId,
        String batchId,
        Instant occurredAt,
        int schemaVersion,
        BatchScope scope,
        long rowCount,
        String rowsDigest,
        String objectKey,
        long fileBytes,
        String fileSha256,
        ShardCompression compression) implements ArchiveEvent {

    public ArchiveShardExported {
        text(eventId, "eventId");
        text(runId, "runId");
        text(batchId, "batchId");
        instant(occurredAt, "occurredAt");
        SchemaVersion.require(schemaVersion);
        present(scope, "scope");
        notNegative(rowCount, "rowCount");
        sha256(rowsDigest, "rowsDigest");
        text(objectKey, "objectKey");
        notNegative(fileBytes, "fileBytes");
        sha256(fileSha256, "fileSha256");
        present(compression, "compression");
    }

    public static ArchiveShardExported of(String runId, String batchId, BatchScope scope, long rowCount, String rowsDigest,
            String objectKey, long fileBytes, String fileSha256, ShardCompression compression) {
        return new ArchiveShardExported(UUID.randomUUID().toString(), runId, batchId, Instant.now(), SchemaVersion.CURRENT,
                scope, rowCount, rowsDigest, objectKey, fileBytes, fileSha256, compression);
    }
}
