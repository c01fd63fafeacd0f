package io.archiver.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

/** How a run's batches add up, for the scanner's statistics and archivectl status alike. */
class BatchTotalsTest {

    @Test
    void eachBatchCountsWhatItsStepsReported() {
        List<BatchTotals.Figures> batches = List.of(
                new BatchTotals.Figures(BatchState.DELETED, 10, 10L, 10L, "k1", 1000L, 10L),
                new BatchTotals.Figures(BatchState.UPLOADED, 10, 9L, 9L, "k2", 900L, null),
                new BatchTotals.Figures(BatchState.EXPORTED, 10, 8L, null, null, null, null),
                new BatchTotals.Figures(BatchState.PLANNED, 10, null, null, null, null, null));

        assertThat(BatchTotals.of(batches)).isEqualTo(new BatchTotals(27, 19, 10, 0, 4, 0, 1900, 2));
    }

    @Test
    void aBatchThatFailedHalfWayCountsItsRemovedRowsAsRemovedAndTheRestAsFailed() {
        List<BatchTotals.Figures> batches = List.of(
                new BatchTotals.Figures(BatchState.FAILED, 10, 10L, 10L, "k1", 1000L, 4L), // the deleter removed 4, then a row changed
                new BatchTotals.Figures(BatchState.FAILED, 12, null, null, null, null, null)); // failed before its export reported

        BatchTotals totals = BatchTotals.of(batches);

        assertThat(totals.rowsRemoved()).isEqualTo(4);
        assertThat(totals.rowsFailed()).isEqualTo(6 + 12);
        assertThat(totals.batchesFailed()).isEqualTo(2);
        assertThat(totals.objects()).isEqualTo(1);
    }

    @Test
    void noBatchesAddUpToNothing() {
        assertThat(BatchTotals.of(List.of())).isEqualTo(new BatchTotals(0, 0, 0, 0, 0, 0, 0, 0));
    }
}
