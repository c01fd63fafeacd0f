package io.archiver.events;

import static io.archiver.events.Require.instant;
import static io.archiver.events.Require.notNegative;
import static io.archiver.events.Require.present;
import static io.archiver.events.Require.text;

import java.time.Instant;
import java.util.UUID;

/**
 * A batch's rows left the source table ({@code rowsRemoved}; in {@link ArchiveMode#MOVE} they are
 * now in the archive table), in the same transaction that recorded the batch as done.
 */
public record ArchiveBatchDeleted(
        String eventId,
        String runId,
        String batchId,
        Instant occurredAt,
        int schemaVersion,
        BatchScope scope,
        long rowsRemoved,
        String objectKey) implements ArchiveEvent {

    public ArchiveBatchDeleted {
        text(eventId, "eventId");
        text(runId, "runId");
        text(batchId, "batchId");
        instant(occurredAt, "occurredAt");
        SchemaVersion.require(schemaVersion);
        present(scope, "scope");
        notNegative(rowsRemoved, "rowsRemoved");
        text(objectKey, "objectKey");
    }

    public static ArchiveBatchDeleted of(String runId, String batchId, BatchScope scope, long rowsRemoved, String objectKey) {
        return new ArchiveBatchDeleted(UUID.randomUUID().toString(), runId, batchId, Instant.now(), SchemaVersion.CURRENT, scope,
                rowsRemoved, objectKey);
    }
}
