package io.archiver.scanner.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.archiver.ledger.BatchState;
import io.archiver.scanner.persistence.ArchiveBatchEntity;

/** A run's window: its first batches not ended, in plan order; a batch's end lets the next one in. */
class BatchWindowTest {

    @Test
    void theWindowIsTheFirstOpenBatchesAndMovesOnAsOneEnds() {
        List<ArchiveBatchEntity> batches = new ArrayList<>();
        for (int seq = 1; seq <= 10; seq++) {
            batches.add(batch(seq, BatchState.PLANNED, null));
        }
        List<ArchiveBatchEntity> window = BatchWindow.of(batches, 3);
        assertThat(window).extracting(b -> b.seq).containsExactly(1, 2, 3);
        window.forEach(b -> b.publishedAtMs = 1L);
        assertThat(BatchWindow.unpublished(BatchWindow.of(batches, 3))).as("nothing new while none ended").isEmpty();

        batches.get(1).state = BatchState.DELETED; // seq 2 ends
        assertThat(BatchWindow.of(batches, 3)).extracting(b -> b.seq).containsExactly(1, 3, 4);
        assertThat(BatchWindow.unpublished(BatchWindow.of(batches, 3))).extracting(b -> b.seq).containsExactly(4);

        batches.get(0).state = BatchState.FAILED; // a failed batch ends too
        batches.get(2).state = BatchState.UPLOADED; // still in the flow: keeps its place
        assertThat(BatchWindow.of(batches, 3)).extracting(b -> b.seq).containsExactly(3, 4, 5);
    }

    @Test
    void aWindowOfAtLeastOne() {
        assertThatThrownBy(() -> BatchWindow.of(List.of(), 0)).hasMessageContaining("archiver.scan.batches-in-flight must be at least 1");
        assertThat(BatchWindow.of(List.of(batch(1, BatchState.DELETED, 5L)), 4)).isEmpty();
    }

    private static ArchiveBatchEntity batch(int seq, BatchState state, Long publishedAtMs) {
        ArchiveBatchEntity batch = new ArchiveBatchEntity();
        batch.batchId = "run-1-b" + seq;
        batch.seq = seq;
        batch.state = state;
        batch.publishedAtMs = publishedAtMs;
        return batch;
    }
}
