package io.archiver.scanner.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

/** {@link BatchRamp}: a run's first batches grow from first-batch-rows, doubling, to the policy's batch-size, and stay there. */
class BatchRampTest {

    @Test
    void theFirstBatchesDoubleFromFirstBatchRowsUpToTheBatchSize() {
        BatchRamp ramp = new BatchRamp(50_000, 10_000);
        assertThat(IntStream.rangeClosed(1, 6).map(ramp::rows)).containsExactly(10_000, 20_000, 40_000, 50_000, 50_000, 50_000);
        assertThat(IntStream.rangeClosed(1, 5).mapToObj(ramp::ramping)).containsExactly(true, true, true, false, false);
    }

    @Test
    void aBatchSizeAtMostFirstBatchRowsHasNoRamp() {
        for (BatchRamp ramp : new BatchRamp[] { new BatchRamp(10_000, 10_000), new BatchRamp(4, 10_000) }) {
            assertThat(IntStream.rangeClosed(1, 4).map(ramp::rows)).containsOnly(ramp.batchSize());
            assertThat(ramp.ramping(1)).isFalse();
        }
    }

    @Test
    void aLargeBatchSizeIsReachedWithoutOverflowAndFarPlacesStayAtIt() {
        BatchRamp ramp = new BatchRamp(Integer.MAX_VALUE, 1);
        assertThat(ramp.rows(31)).isEqualTo(1 << 30);
        assertThat(ramp.rows(32)).isEqualTo(Integer.MAX_VALUE);
        assertThat(ramp.rows(1_000_000)).isEqualTo(Integer.MAX_VALUE);
    }

    @Test
    void theGranularityDividesEveryBatchFromAPlaceOn() {
        assertThat(new BatchRamp(50_000, 10_000).granularity(1)).isEqualTo(10_000);
        assertThat(new BatchRamp(50_000, 10_000).granularity(4)).as("past the ramp: the batch-size").isEqualTo(50_000);
        assertThat(new BatchRamp(50_001, 10_000).granularity(1)).isEqualTo(1);
        assertThat(new BatchRamp(48, 6).granularity(2)).as("12, 24, 48").isEqualTo(12);
        assertThat(BatchRamp.none(7).granularity(1)).isEqualTo(7);
    }

    @Test
    void nonsenseIsRefusedNamingTheSetting() {
        assertThatThrownBy(() -> new BatchRamp(0, 10)).hasMessageContaining("batch-size");
        assertThatThrownBy(() -> new BatchRamp(10, 0)).hasMessageContaining("first-batch-rows");
        assertThatThrownBy(() -> new BatchRamp(10, 1).rows(0)).hasMessageContaining("starts at 1");
    }
}
