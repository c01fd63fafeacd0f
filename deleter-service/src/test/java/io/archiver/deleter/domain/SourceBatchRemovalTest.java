package io.archiver.deleter.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.archiver.deleter.DeleterTestProfile;
import io.archiver.deleter.UploadedBatches;
import io.archiver.deleter.UploadedBatches.Batch;
import io.archiver.deleter.domain.RemovalOutcome.AlreadyRemoved;
import io.archiver.deleter.domain.RemovalOutcome.BatchEnd;
import io.archiver.deleter.domain.RemovalOutcome.Removed;
import io.archiver.events.ArchiveMode;
import io.archiver.events.BatchScope;
import io.archiver.events.RowCounts;
import io.archiver.events.ShardCompression;
import io.archiver.ledger.BatchState;
import io.archiver.ledger.SourceProgress;
import io.archiver.support.policy.ArchivePolicies;
import io.archiver.support.testing.RunTable;
import io.archiver.support.testing.TestSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * A policy of another database than the control one (a source): the deleter removes the batch's rows in that database, never
 * in the control database (whose namesake table holds the same ids), records each chunk's progress in the source's
 * {@code archiver_batch_progress} in the commit of its deletes, and marks the batch DELETED with one audit row in the control
 * database's ledger; a batch whose last chunk committed in the source before the deleter stopped is only marked.
 */
@QuarkusTest
@TestProfile(DeleterTestProfile.class)
class SourceBatchRemovalTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final int CHUNK = DeleterTestProfile.CHUNK_ROWS;

    @Inject
    BatchRemoval removal;

    @Inject
    UploadedBatches batches;

    @Inject
    ArchivePolicies policies;

    private static TestSource shop;
    private static Pool source;
    private static RunTable sourceTable;

    @BeforeEach
    void aSourceDatabaseBesideTheControlOne() throws Exception {
        if (shop == null) {
            batches.ledger.create(); // the control database's ledger (archive_source, archive_policy) first
            shop = TestSource.create("shop", "shoprun");
            source = shop.pool;
            sourceTable = shop.table;
        }
    }

    @AfterAll
    static void close() {
        if (shop != null) {
            shop.close();
        }
    }

    /** {@code rows} old rows in a fresh id range in both databases (the same ids), archived from the source and announced. */
    private Batch uploadedFromTheSource(ArchiveMode mode, int rows) {
        long first = RunTable.freshRange();
        sourceTable.insertRange(first, first + rows - 1, RunTable.OLD);
        batches.table.insertRange(first, first + rows - 1, RunTable.OLD);
        BatchScope scope = new BatchScope("shoprun", "run", RunTable.CUTOFF, first, first + rows - 1, mode, LocalDate.now(ZoneOffset.UTC));
        return batches.uploaded(source, policies.fresh().all().get("shoprun"), scope, ShardCompression.GZIP);
    }

    private static long progress(String batchId, String column) {
        return source.preparedQuery("SELECT " + column + " FROM " + SourceProgress.TABLE + " WHERE batch_id = ?").execute(Tuple.of(batchId))
                .await().atMost(WAIT).iterator().next().getLong(0);
    }

    private long audited(Batch batch) {
        return batches.pool.preparedQuery("SELECT COUNT(*) FROM archive_audit WHERE batch_id = ?").execute(Tuple.of(batch.event().batchId()))
                .await().atMost(WAIT).iterator().next().getLong(0);
    }

    @Test
    void aSourcesBatchLeavesTheSourceInChunksWithItsProgressThereAndIsDeletedAndAuditedInTheControlLedger() {
        Batch batch = uploadedFromTheSource(ArchiveMode.DELETE, 2 * CHUNK + 3);

        assertThat(removal.remove(batch.event())).isEqualTo(new Removed(BatchEnd.allRemoved(2 * CHUNK + 3)));

        assertThat(sourceTable.count("run", batch.firstId(), batch.lastId())).as("rows left in the source").isZero();
        assertThat(batches.rows(batch)).as("the control database's namesake rows, the same ids").isEqualTo(2 * CHUNK + 3);
        assertThat(progress(batch.event().batchId(), "completed")).isEqualTo(1);
        assertThat(progress(batch.event().batchId(), "rows_removed")).isEqualTo(2 * CHUNK + 3);
        assertThat(progress(batch.event().batchId(), "removed_through_id")).isEqualTo(batch.lastId());
        assertThat(batches.ledger.get(batch.event().batchId()).state()).isEqualTo(BatchState.DELETED);
        assertThat(batches.ledger.get(batch.event().batchId()).rowsRemoved()).isEqualTo(2 * CHUNK + 3);
        assertThat(audited(batch)).isEqualTo(1);

        assertThat(removal.remove(batch.event())).as("replayed").isEqualTo(new AlreadyRemoved(BatchEnd.allRemoved(2 * CHUNK + 3)));
        assertThat(audited(batch)).as("audited once").isEqualTo(1);
    }

    @Test
    void moveModeCopiesIntoTheSourcesArchiveTable() {
        Batch batch = uploadedFromTheSource(ArchiveMode.MOVE, CHUNK + 2);

        assertThat(removal.remove(batch.event())).isEqualTo(new Removed(BatchEnd.allRemoved(CHUNK + 2)));

        assertThat(sourceTable.count("run", batch.firstId(), batch.lastId())).isZero();
        assertThat(sourceTable.count("run_archive", batch.firstId(), batch.lastId())).isEqualTo(CHUNK + 2);
        assertThat(batches.archivedRows(batch)).as("nothing moved in the control database").isZero();
        assertThat(batches.rows(batch)).isEqualTo(CHUNK + 2);
    }

    @Test
    void aBatchWhoseLastChunkCommittedInTheSourceBeforeTheDeleterStoppedIsOnlyMarkedDeleted() {
        Batch batch = uploadedFromTheSource(ArchiveMode.DELETE, CHUNK + 1);
        // an earlier delivery removed every row and committed its progress in the source, then stopped before the control mark
        source.preparedQuery("DELETE FROM run WHERE id BETWEEN ? AND ?").execute(Tuple.of(batch.firstId(), batch.lastId())).await()
                .atMost(WAIT);
        source.preparedQuery("INSERT INTO " + SourceProgress.TABLE + " (batch_id, run_id, removed_through_id, completed, rows_removed,"
                + " updated_at_ms) VALUES (?, ?, ?, 1, ?, 0)").execute(Tuple.of(batch.event().batchId(), batch.event().runId(), batch.lastId(),
                        CHUNK + 1)).await().atMost(WAIT);
        assertThat(batches.ledger.get(batch.event().batchId()).state()).isEqualTo(BatchState.UPLOADED);

        assertThat(removal.remove(batch.event())).isEqualTo(new Removed(new BatchEnd(new RowCounts(CHUNK + 1, 0, 0, 0, 0), List.of(), null)));

        assertThat(batches.ledger.get(batch.event().batchId()).state()).isEqualTo(BatchState.DELETED);
        assertThat(batches.ledger.get(batch.event().batchId()).rowsRemoved()).isEqualTo(CHUNK + 1);
        assertThat(audited(batch)).isEqualTo(1);
        assertThat(batches.rows(batch)).as("the control database's namesake rows").isEqualTo(CHUNK + 1);
    }
}
