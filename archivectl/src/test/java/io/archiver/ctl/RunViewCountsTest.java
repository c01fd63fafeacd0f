package io.archiver.ctl;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.archiver.operations.runs.BatchRow;
import io.archiver.operations.runs.RunRow;
import io.archiver.operations.runs.RunView;
import io.archiver.events.RowCounts;

/**
 * Issue 20 item 5 in {@code archivectl status}: the rows add up, found = removed + kept + missing + failed (+ pending while
 * batches are in flight), and a failed batch counts as failed only the rows it had not handled (not its full size).
 */
class RunViewCountsTest {

    @Test
    void statusCountsAFailedBatchOnlyByItsRowsNotYetHandled_andTheRowsAddUp() {
        RunView view = new RunView(run(250), List.of(
                batch(1, "DELETED", 100, 100L, 97L, 2L, 3L, 1L),
                batch(2, "FAILED", 100, 100L, 40L, 1L, null, null),
                batch(3, "UPLOADED", 50, 50L, 20L, null, null, null),
                batch(4, "PLANNED", 10, null, null, null, null, null)));

        RowCounts counts = view.counts();
        assertThat(counts.removed()).isEqualTo(157);
        assertThat(view.rowsFailed()).as("the failed batch's 59 rows not handled, not its 100").isEqualTo(59);
        assertThat(view.rowsPending()).as("30 of the batch being removed, 10 planned").isEqualTo(40);
        assertThat(view.rowsFound()).isEqualTo(103 + 100 + 50 + 10)
                .isEqualTo(counts.removed() + counts.kept() + counts.missing() + counts.failed() + view.rowsPending());
        assertThat(TriggerCommand.keptAndMissing(counts, view.rowsPending())).isEqualTo(", kept 6 (changed 3, not in object 3), missing 1, pending 40");
    }

    @Test
    void aRunWhoseRowsAllLeftSaysNothingOfKeptOrMissing() {
        RunView view = new RunView(run(10), List.of(batch(1, "DELETED", 10, 10L, 10L, 0L, 0L, 0L)));
        assertThat(TriggerCommand.keptAndMissing(view.counts(), view.rowsPending())).isEmpty();
        assertThat(view.rowsFound()).isEqualTo(10);
    }

    private static RunRow run(long planned) {
        return new RunRow("run-1", "run", "run", 1L, "DELETE", "2026-12-06", false, null, "test", "RUNNING", null, 4, planned, 0L, 1L, null,
                new RunRow.Rails(null, null, null, null, null, null, null, null, null, null), null);
    }

    private static BatchRow batch(int seq, String state, long expected, Long exported, Long removed, Long keptChanged, Long keptNew,
            Long missing) {
        return new BatchRow("run-1-b" + seq, "run-1", seq, seq * 1000L, seq * 1000L + 999, expected, state, exported, null, null, null, exported,
                removed, null, null, null, 0L, keptChanged, keptNew, missing, null);
    }
}
