package io.archiver.events;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/** Fixed, fully populated instances of every event, for codec tests. */
public final class SampleEvents {

    public static final String RUN_ID = "run-20260102-7f3c";
    public static final String BATCH_ID = "batch-0000000000000001000-0000000000000001999";
    public static final Instant AT = Instant.parse("2026-01-02T03:04:05.123456789Z");
    public static final String SHA_A = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    public static final String SHA_B = "fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210";
    public static final long CUTOFF = 1_761_955_200_000L;

    private SampleEvents() {
    }

    public static BatchScope scope() {
        return new BatchScope("run_60d", "run", CUTOFF, 1_000L, 1_999L, ArchiveMode.MOVE, LocalDate.of(2026, 1, 2));
    }

    public static ArchiveRequested requested() {
        return new ArchiveRequested("e-requested", RUN_ID, AT, SchemaVersion.CURRENT, "run_60d", "run", CUTOFF,
                ArchiveMode.DELETE, "cronjob/archiver", false, "2026-01-02T03:00Z");
    }

    public static ArchiveRequested manualRequest() {
        return new ArchiveRequested("e-manual", RUN_ID, AT, SchemaVersion.CURRENT, "run_60d", "run", CUTOFF,
                ArchiveMode.MOVE, "cli:ops@example.org", true, null);
    }

    public static ArchiveBatchReady batchReady() {
        return new ArchiveBatchReady("e-ready", RUN_ID, BATCH_ID, AT, SchemaVersion.CURRENT, scope(), 1_000L);
    }

    public static ArchiveShardExported shardExported() {
        return new ArchiveShardExported("e-exported", RUN_ID, BATCH_ID, AT, SchemaVersion.CURRENT, scope(), 998L, SHA_A,
                ArchiveObjectKey.of("run-archive/", RUN_ID, scope(), ShardCompression.GZIP), 123_456L, SHA_B, ShardCompression.GZIP);
    }

    public static ArchiveUploaded uploaded() {
        return new ArchiveUploaded("e-uploaded", RUN_ID, BATCH_ID, AT, SchemaVersion.CURRENT, scope(), 998L, SHA_A,
                "archive-bucket", ArchiveObjectKey.of("run-archive/", RUN_ID, scope(), ShardCompression.GZIP), 123_456L, SHA_B);
    }

    public static ArchiveBatchDeleted batchDeleted() {
        return new ArchiveBatchDeleted("e-deleted", RUN_ID, BATCH_ID, AT, SchemaVersion.CURRENT, scope(), 998L,
                ArchiveObjectKey.of("run-archive/", RUN_ID, scope(), ShardCompression.GZIP), 2, 1, 1,
                List.of(new RowException(1_017L, RowException.Reason.CHANGED), new RowException(1_018L, RowException.Reason.CHANGED),
                        new RowException(1_500L, RowException.Reason.NOT_IN_OBJECT), new RowException(1_998L, RowException.Reason.MISSING)),
                ArchiveObjectKey.of("run-archive/", RUN_ID, scope(), ShardCompression.GZIP) + ".exceptions.json");
    }

    public static ArchiveBatchFailed batchFailed() {
        return new ArchiveBatchFailed("e-failed", RUN_ID, BATCH_ID, AT, SchemaVersion.CURRENT, scope(), PipelineStage.DELETE,
                "ROWS_CHANGED_SINCE_EXPORT", "2 rows changed since export; \"quoted\" détail ✓ 🚀\nsecond line");
    }

    public static ArchiveRunCompleted runCompleted() {
        return new ArchiveRunCompleted("e-completed", RUN_ID, AT, SchemaVersion.CURRENT, "run_60d", "run", CUTOFF,
                ArchiveMode.MOVE, RunOutcome.PARTIAL, new RunStatistics(14, 9, 8, 7, 3, 4, 1, 4096, 3, 12_345, 2, 1, 1),
                "run-archive/manifests/" + RUN_ID + ".json", "NOTHING_ELIGIBLE", "0 of 3 rows are older than the cutoff; \"ü\" ✓\nsecond line");
    }

    public static ArchiveRunCompleted runCompletedWithoutManifest() {
        return new ArchiveRunCompleted("e-completed-2", RUN_ID, AT, SchemaVersion.CURRENT, "run_60d", "run", CUTOFF,
                ArchiveMode.DELETE, RunOutcome.SUCCEEDED, new RunStatistics(0, 0, 0, 0, 0, 0, 0, 0, 0, 0), null, null, null);
    }

    public static ArchiveRunCompleted runRefused() {
        return new ArchiveRunCompleted("e-refused", RUN_ID, AT, SchemaVersion.CURRENT, "run_60d", "run", CUTOFF, ArchiveMode.DELETE,
                RunOutcome.REFUSED, new RunStatistics(0, 0, 0, 0, 0, 0, 0, 0, 0, 5), null, "DATE_VALUES_IMPLAUSIBLE",
                "values look like epoch seconds, policy says milliseconds");
    }

    public static RunPlan plan() {
        return new RunPlan(20_000, 2, 1_000, 29_999, 20_000, Instant.parse("2025-10-01T00:00:00Z"), Instant.parse("2025-11-30T23:59:59.999Z"));
    }

    public static ArchiveRunAwaitingConfirmation awaitingConfirmation() {
        return new ArchiveRunAwaitingConfirmation("e-awaiting", RUN_ID, AT, SchemaVersion.CURRENT, "run_60d", "run", CUTOFF,
                ArchiveMode.DELETE, "WHOLE_TABLE", "would archive every row of run: 20,000 of 20,000", plan());
    }

    public static ArchiveRunConfirmed confirmed() {
        return new ArchiveRunConfirmed("e-confirmed", RUN_ID, AT, SchemaVersion.CURRENT, "archivectl:ops");
    }

    public static RestoreRequested restoreOfRun() {
        return new RestoreRequested("e-restore", "restore-20260102T030405Z-1a2b3c4d", AT, SchemaVersion.CURRENT, "run_60d",
                RestoreRequested.RestoreScope.ofRun(RUN_ID), "run_restored", false, false, "archivectl:ops");
    }

    public static RestoreRequested restoreOfDatesIntoSource() {
        return new RestoreRequested("e-restore-2", "restore-20260102T030405Z-5e6f7a8b", AT, SchemaVersion.CURRENT, "run_60d",
                RestoreRequested.RestoreScope.ofDates(Instant.parse("2025-10-01T00:00:00Z"), Instant.parse("2025-10-02T00:00:00Z")), "run",
                true, true, "api:ops@example.org");
    }

    /** One of each of the nine event types (plus variants with null optional fields). */
    public static List<ArchiveEvent> all() {
        return List.of(requested(), manualRequest(), batchReady(), shardExported(), uploaded(), batchDeleted(), batchFailed(),
                runCompleted(), runCompletedWithoutManifest(), runRefused(), awaitingConfirmation(), confirmed(),
                restoreOfRun(), restoreOfDatesIntoSource());
    }

    public static List<ArchiveEvent> batchEvents() {
        return List.of(batchReady(), shardExported(), uploaded(), batchDeleted(), batchFailed());
    }

    public static List<ArchiveEvent> runEvents() {
        return List.of(requested(), manualRequest(), runCompleted(), runCompletedWithoutManifest(), runRefused(), awaitingConfirmation(),
                confirmed());
    }
}
