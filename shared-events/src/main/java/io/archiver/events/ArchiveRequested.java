package io.archiver.events;

import static io.archiver.events.Require.identifier;
import static io.archiver.events.Require.instant;
import static io.archiver.events.Require.positive;
import static io.archiver.events.Require.present;
import static io.archiver.events.Require.text;

import java.time.Instant;
import java.util.UUID;

/**
 * Asks for one archival run of {@code policy}. The cutoff is computed once, when the run is
 * triggered, and every later step uses this value. {@code scheduleSlot} names the schedule slot a
 * scheduled trigger fired for (null for a manual one), so that one slot gives one run.
 */
public record ArchiveRequested(
        String eventId,
        String runId,
        Instant occurredAt,
        int schemaVersion,
        String policy,
        String table,
        long cutoffEpochMs,
        ArchiveMode mode,
        String requestedBy,
        boolean dryRun,
        String scheduleSlot) implements ArchiveEvent {

    public ArchiveRequested {
        text(eventId, "eventId");
        text(runId, "runId");
        instant(occurredAt, "occurredAt");
        SchemaVersion.require(schemaVersion);
        identifier(policy, "policy");
        identifier(table, "table");
        positive(cutoffEpochMs, "cutoffEpochMs");
        present(mode, "mode");
        text(requestedBy, "requestedBy");
    }

    public static ArchiveRequested of(String runId, String policy, String table, long cutoffEpochMs, ArchiveMode mode,
            String requestedBy, boolean dryRun, String scheduleSlot) {
        return new ArchiveRequested(UUID.randomUUID().toString(), runId, Instant.now(), SchemaVersion.CURRENT, policy, table,
                cutoffEpochMs, mode, requestedBy, dryRun, scheduleSlot);
    }
}
