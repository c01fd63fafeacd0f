package io.archiver.events;

import static io.archiver.events.Require.instant;
import static io.archiver.events.Require.notNegative;
import static io.archiver.events.Require.present;
import static io.archiver.events.Require.text;

import java.time.Instant;
import java.util.UUID;

/** A planned batch: export the eligible rows of {@code scope}; the planner counted {@code expectedRows}. */
public record ArchiveBatchReady(
        String eventId,
        String runId,
        String batchId,
        Instant occurredAt,
        int schemaVersion,
        BatchScope scope,
        long expectedRows) implements ArchiveEvent {

    public ArchiveBatchReady {
        text(eventId, "eventId");
        text(runId, "runId");
        text(batchId, "batchId");
        instant(occurredAt, "occurredAt");
        SchemaVersion.require(schemaVersion);
        present(scope, "scope");
        notNegative(expectedRows, "expectedRows");
    }

    public static ArchiveBatchReady of(String runId, String batchId, BatchScope scope, long expectedRows) {
        return new ArchiveBatchReady(UUID.randomUUID().toString(), runId, batchId, Instant.now(), SchemaVersion.CURRENT, scope,
                expectedRows);
    }
}
