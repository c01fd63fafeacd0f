package io.archiver.events;

import static io.archiver.events.Require.identifier;
import static io.archiver.events.Require.instant;
import static io.archiver.events.Require.positive;
import static io.archiver.events.Require.present;
import static io.archiver.events.Require.text;

import java.time.Instant;
import java.util.UUID;

/**
 * Closes a run once every batch has ended: its outcome and statistics, and {@code manifestKey}, the run's manifest in the
 * bucket ({@code io.archiver.manifest.ArchiveManifest}, beside its objects; null for a run with no described object, and in
 * completions written before manifests existed). Where a safety rail decided the outcome or has something to say, {@code reason} is its
 * stable code ({@code DATE_VALUES_IMPLAUSIBLE}, {@code NOTHING_ELIGIBLE}, ...) and {@code detail} a sentence for a person;
 * both are null otherwise, and in a completion written before the rails (which lacks them).
 */
public record ArchiveRunCompleted(
        String eventId,
        String runId,
        Instant occurredAt,
        int schemaVersion,
        String policy,
        String table,
        long cutoffEpochMs,
        ArchiveMode mode,
        RunOutcome outcome,
        RunStatistics stats,
        String manifestKey,
        @AddedLater("the safety rails, 2026-12-06") String reason,
        @AddedLater("the safety rails, 2026-12-06") String detail) implements ArchiveEvent {

    public ArchiveRunCompleted {
        text(eventId, "eventId");
        text(runId, "runId");
        instant(occurredAt, "occurredAt");
        SchemaVersion.require(schemaVersion);
        identifier(policy, "policy");
        identifier(table, "table");
        positive(cutoffEpochMs, "cutoffEpochMs");
        present(mode, "mode");
        present(outcome, "outcome");
        present(stats, "stats");
        Require.optionalText(reason, "reason");
        Require.optionalText(detail, "detail");
    }

    /** This completion naming the run's manifest. */
    public ArchiveRunCompleted withManifestKey(String key) {
        return new ArchiveRunCompleted(eventId, runId, occurredAt, schemaVersion, policy, table, cutoffEpochMs, mode, outcome, stats, key,
                reason, detail);
    }

    public static ArchiveRunCompleted of(String runId, String policy, String table, long cutoffEpochMs, ArchiveMode mode,
            RunOutcome outcome, RunStatistics stats, String manifestKey, String reason, String detail) {
        return new ArchiveRunCompleted(UUID.randomUUID().toString(), runId, Instant.now(), SchemaVersion.CURRENT, policy, table,
                cutoffEpochMs, mode, outcome, stats, manifestKey, reason, detail);
    }
}
