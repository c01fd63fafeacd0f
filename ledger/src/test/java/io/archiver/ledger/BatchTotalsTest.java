package io.archiver.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

/** How a run's batches add up, for the scanner's statistics and archivectl status alike. */
class BatchTotalsTest {

    @Test
    void eachBatchCountsWhatItsStepsReported() {
        List<BatchTotals.Figures> batches = List.of(
                new BatchTotals.Figures(BatchState.DELETED, 10L, 10L, "k1", 1000L),
                new BatchTotals.Figures(BatchState.UPLOADED, 9L, 9L, "k2", 900L),
                new BatchTotals.Figures(BatchState.EXPORTED, 8L, null, null, null),
                new BatchTotals.Figures(BatchState.PLANNED, null, null, null, null));

        assertThat(BatchTotals.of(batches)).isEqualTo(new BatchTotals(27, 19, 4, 0, 1900, 2));
    }

    @Test
    void failedBatchesCountAsFailed_theirObjectAsUploaded() {
        List<BatchTotals.Figures> batches = List.of(
                new BatchTotals.Figures(BatchState.FAILED, 10L, 10L, "k1", 1000L), // failed while its rows were being removed
                new BatchTotals.Figures(BatchState.FAILED, null, null, null, null)); // failed before its export reported

        BatchTotals totals = BatchTotals.of(batches);

        assertThat(totals.rowsUploaded()).isEqualTo(10);
        assertThat(totals.batchesFailed()).isEqualTo(2);
        assertThat(totals.objects()).isEqualTo(1);
    }

    @Test
    void noBatchesAddUpToNothing() {
        assertThat(BatchTotals.of(List.of())).isEqualTo(new BatchTotals(0, 0, 0, 0, 0, 0));
    }
}
