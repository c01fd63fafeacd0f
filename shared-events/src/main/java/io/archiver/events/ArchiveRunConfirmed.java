package io.archiver.events;

import static io.archiver.events.Require.instant;
import static io.archiver.events.Require.text;

import java.time.Instant;
import java.util.UUID;

/**
 * Lets a run that awaits confirmation go on ({@code archivectl trigger --confirm RUN}): the scanner publishes
 * its planned batches. Travels on {@code archive.requests}, keyed by the run id, behind the run's request.
 * A confirmation of a run that does not await one changes nothing, so a replayed one is harmless.
 */
public record ArchiveRunConfirmed(
        String eventId,
        String runId,
        Instant occurredAt,
        int schemaVersion,
        String requestedBy) implements ArchiveEvent {

    public ArchiveRunConfirmed {
        text(eventId, "eventId");
        text(runId, "runId");
        instant(occurredAt, "occurredAt");
        SchemaVersion.require(schemaVersion);
        text(requestedBy, "requestedBy");
    }

    public static ArchiveRunConfirmed of(String runId, String requestedBy) {
        return new ArchiveRunConfirmed(UUID.randomUUID().toString(), runId, Instant.now(), SchemaVersion.CURRENT, requestedBy);
    }
}
