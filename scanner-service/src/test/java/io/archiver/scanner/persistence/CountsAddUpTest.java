package io.archiver.scanner.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.archiver.events.ArchiveMode;
import io.archiver.events.RunStatistics;
import io.archiver.ledger.BatchState;
import io.archiver.ledger.RunState;

/**
 * Issue 20 item 5: a run's rows add up, found = removed + kept + missing + failed, for a run with changed, inserted and
 * deleted rows and failed batches; a failed batch counts as failed only the rows it had not handled when it failed.
 */
class CountsAddUpTest {

    @Test
    void foundIsRemovedPlusKeptPlusMissingPlusFailed_forARunWithChangedInsertedAndDeletedRowsAndFailedBatches() {
        ArchiveRunEntity run = run(250);
        List<ArchiveBatchEntity> batches = List.of(
                // 2 rows changed, 3 inserted into its range, 1 deleted since the export: it got through
                batch(BatchState.DELETED, 100, 100L, 97L, 2L, 3L, 1L),
                // failed in its third chunk: 40 removed and 1 changed row kept before, the other 59 of its object fail
                batch(BatchState.FAILED, 100, 100L, 40L, 1L, null, null),
                // failed at export: its 50 planned rows fail
                batch(BatchState.FAILED, 50, null, null, null, null, null),
                batch(BatchState.DELETED, 10, 10L, 10L, 0L, 0L, 0L));

        RunStatistics stats = RunLedger.statistics(run, batches);

        assertThat(stats.rowsRemoved()).isEqualTo(147);
        assertThat(stats.rowsKeptChanged()).isEqualTo(3);
        assertThat(stats.rowsKeptNotInObject()).isEqualTo(3);
        assertThat(stats.rowsMissing()).isEqualTo(1);
        assertThat(stats.rowsFailed()).as("59 + 50, not the failed batches' 150").isEqualTo(109);
        assertThat(stats.rowsFound()).as("each batch's object (or plan) and the rows its range gained").isEqualTo(103 + 100 + 50 + 10);
        assertThat(stats.rowsFound())
                .isEqualTo(stats.rowsRemoved() + stats.rowsKept() + stats.rowsMissing() + stats.rowsFailed())
                .isEqualTo(stats.counts().found());
    }

    @Test
    void theFixedStatisticsKeepTheKeptAndMissingCounts_andThoseFixedBeforeThemReadWithNone() {
        ArchiveRunEntity run = run(10);
        RunStatistics stats = RunLedger.statistics(run, List.of(batch(BatchState.DELETED, 10, 10L, 7L, 1L, 2L, 2L)));
        run.statistics = RunStatisticsColumns.of(stats);
        assertThat(RunLedger.fixedStatistics(run, List.of())).isEqualTo(stats);

        RunStatisticsColumns before = RunStatisticsColumns.of(new RunStatistics(10, 10, 10, 10, 0, 1, 0, 100, 1, 5));
        before.rowsKeptChanged = null; // as a run completed before the counts existed has them
        before.rowsKeptNotInObject = null;
        before.rowsMissing = null;
        run.statistics = before;
        assertThat(RunLedger.fixedStatistics(run, List.of())).isEqualTo(new RunStatistics(10, 10, 10, 10, 0, 1, 0, 100, 1, 5));
    }

    private static ArchiveRunEntity run(long plannedRows) {
        ArchiveRunEntity run = new ArchiveRunEntity();
        run.runId = "run-counts";
        run.mode = ArchiveMode.DELETE;
        run.state = RunState.COMPLETED;
        run.rowsFound = plannedRows;
        run.requestedAtMs = 1_000;
        run.completedAtMs = 2_000L;
        return run;
    }

    private static ArchiveBatchEntity batch(BatchState state, long expected, Long exported, Long removed, Long keptChanged, Long keptNew,
            Long missing) {
        ArchiveBatchEntity batch = new ArchiveBatchEntity();
        batch.state = state;
        batch.expectedRows = expected;
        batch.rowsExported = exported;
        batch.rowsRemoved = removed;
        batch.rowsKeptChanged = keptChanged;
        batch.rowsKeptNotInObject = keptNew;
        batch.rowsMissing = missing;
        return batch;
    }
}
