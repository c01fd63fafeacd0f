package io.archiver.deleter.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.archiver.deleter.DeleterTestProfile;
import io.archiver.deleter.UploadedBatches;
import io.archiver.deleter.UploadedBatches.Batch;
import io.archiver.deleter.domain.RemovalOutcome.Removed;
import io.archiver.deleter.persistence.CdcMarkers;
import io.archiver.events.ArchiveMode;
import io.archiver.events.ShardCompression;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Each deleting transaction writes one CDC marker row (run, batch, policy, chunk) in the source database, committed with
 * its deletes or rolled back with them; docs/cdc.md and cdc-check's test show a CDC consumer telling archival deletes apart by it.
 */
@QuarkusTest
@TestProfile(DeleterTestProfile.class)
class CdcMarkerTest {

    private static final int CHUNK = DeleterTestProfile.CHUNK_ROWS;

    @Inject
    BatchRemoval removal;

    @Inject
    UploadedBatches batches;

    @Test
    void everyDeletingTransactionWritesOneMarker_withItsRunBatchAndPolicy() {
        Batch batch = batches.uploaded(ArchiveMode.DELETE, 3 * CHUNK - 5, ShardCompression.GZIP);
        assertThat(removal.remove(batch.event())).isEqualTo(new Removed(3 * CHUNK - 5));
        assertThat(markers(batch)).containsExactly("run-" + batch.event().runId() + " run 1", "run-" + batch.event().runId() + " run 2",
                "run-" + batch.event().runId() + " run 3");
    }

    private List<String> markers(Batch batch) {
        List<String> found = new ArrayList<>();
        for (Row row : batches.pool.preparedQuery("SELECT run_id, policy, chunk FROM " + CdcMarkers.TABLE + " WHERE batch_id = ? ORDER BY id")
                .execute(Tuple.of(batch.event().batchId())).await().atMost(Duration.ofSeconds(30))) {
            found.add("run-" + row.getString(0) + " " + row.getString(1) + " " + row.getInteger(2));
        }
        return found;
    }
}
