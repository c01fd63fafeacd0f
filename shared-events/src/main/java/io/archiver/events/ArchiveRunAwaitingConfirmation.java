package io.archiver.events;

import static io.archiver.events.Require.identifier;
import static io.archiver.events.Require.instant;
import static io.archiver.events.Require.positive;
import static io.archiver.events.Require.present;
import static io.archiver.events.Require.text;

import java.time.Instant;
import java.util.UUID;

/**
 * A run was planned and stopped before its first export: a safety rail holds it ({@code reason}, a stable code
 * such as {@code WHOLE_TABLE}; {@code detail}, a sentence for a person) until an {@link ArchiveRunConfirmed}
 * lets it go on. Published on {@code archive.runs} with the run's {@code plan}; nothing has been exported.
 */
public record ArchiveRunAwaitingConfirmation(
        String eventId,
        String runId,
        Instant occurredAt,
        int schemaVersion,
        String policy,
        String table,
        long cutoffEpochMs,
        ArchiveMode mode,
        String reason,
        String detail,
        RunPlan plan) implements ArchiveEvent {

    public ArchiveRunAwaitingConfirmation {
        text(eventId, "eventId");
        text(runId, "runId");
        instant(occurredAt, "occurredAt");
        SchemaVersion.require(schemaVersion);
        identifier(policy, "policy");
        identifier(table, "table");
        positive(cutoffEpochMs, "cutoffEpochMs");
        present(mode, "mode");
        text(reason, "reason");
        text(detail, "detail");
        present(plan, "plan");
    }

    public static ArchiveRunAwaitingConfirmation of(String runId, String policy, String table, long cutoffEpochMs, ArchiveMode mode,
            String reason, String detail, RunPlan plan) {
        return new ArchiveRunAwaitingConfirmation(UUID.randomUUID().toString(), runId, Instant.now(), SchemaVersion.CURRENT, policy, table,
                cutoffEpochMs, mode, reason, detail, plan);
    }
}
