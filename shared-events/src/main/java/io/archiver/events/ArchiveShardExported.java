package io.archiver.events;

import static io.archiver.events.Require.instant;
import static io.archiver.events.Require.notNegative;
import static io.archiver.events.Require.present;
import static io.archiver.events.Require.sha256;
import static io.archiver.events.Require.text;

import java.time.Instant;
import java.util.UUID;

/**
 * A batch's rows are in a staged CSV shard: {@code rowCount} rows whose canonical form digests to
 * {@code rowsDigest}, in a file of {@code fileBytes} bytes with SHA-256 {@code fileSha256}.
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
        String stagedFile,
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
        text(stagedFile, "stagedFile");
        notNegative(fileBytes, "fileBytes");
        sha256(fileSha256, "fileSha256");
        present(compression, "compression");
    }

    public static ArchiveShardExported of(String runId, String batchId, BatchScope scope, long rowCount, String rowsDigest,
            String stagedFile, long fileBytes, String fileSha256, ShardCompression compression) {
        return new ArchiveShardExported(UUID.randomUUID().toString(), runId, batchId, Instant.now(), SchemaVersion.CURRENT,
                scope, rowCount, rowsDigest, stagedFile, fileBytes, fileSha256, compression);
    }
}
