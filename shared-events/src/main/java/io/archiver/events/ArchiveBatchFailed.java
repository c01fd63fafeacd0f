package io.archiver.events;

import static io.archiver.events.Require.instant;
import static io.archiver.events.Require.present;
import static io.archiver.events.Require.text;

import java.time.Instant;
import java.util.UUID;

/**
 * A batch ended without removing its rows: they stay in the table and a later run plans them
 * again. {@code reason} is a stable code (for example {@code ROWS_CHANGED_SINCE_EXPORT}),
 * {@code detail} a sentence for a person.
 */
public record ArchiveBatchFailed(
        String eventId,
        String runId,
        String batchId,
        Instant occurredAt,
        int schemaVersion,
        BatchScope scope,
        PipelineStage stage,
        String reason,
        String detail) implements ArchiveEvent {

    public ArchiveBatchFailed {
        text(eventId, "eventId");
        text(runId, "runId");
        text(batchId, "batchId");
        instant(occurredAt, "occurredAt");
        SchemaVersion.require(schemaVersion);
        present(scope, "scope");
        present(stage, "stage");
        text(reason, "reason");
        present(detail, "detail");
    }

    public static ArchiveBatchFailed of(String runId, String batchId, BatchScope scope, PipelineStage stage, String reason,
            String detail) {
        return new ArchiveBatchFailed(UUID.randomUUID().toString(), runId, batchId, Instant.now(), SchemaVersion.CURRENT, scope,
                stage, reason, detail);
    }
}
