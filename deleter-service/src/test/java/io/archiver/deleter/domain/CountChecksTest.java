package io.archiver.deleter.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.archiver.deleter.DeleterTestProfile;
import io.archiver.deleter.UploadedBatches;
import io.archiver.deleter.UploadedBatches.Batch;
import io.archiver.deleter.domain.RemovalOutcome.Removed;
import io.archiver.events.ArchiveMode;
import io.archiver.events.RowCounts;
import io.archiver.events.ShardCompression;
import io.archiver.support.testing.RunTable;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Transaction;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * A row that slips into the chunk's range behind its locking read (READ COMMITTED takes no gap locks) is not in the
 * archive, so the copy (MOVE) and the delete must not touch it: both name exactly the keys that were checked, so it stays
 * (a later run plans it), and the counts they return, checked against those keys, still agree. Made real here: a lock
 * held on a row of the read's second page stops it there while the row is inserted into its first page's range.
 */
@QuarkusTest
@TestProfile(DeleterTestProfile.class)
class CountChecksTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Inject
    BatchRemoval removal;

    @Inject
    UploadedBatches batches;

    @Test
    void moveMode_aRowInsertedBehindTheLockingReadIsNeitherCopiedNorRemoved() throws Exception {
        rowInsertedBehindTheLockingRead(ArchiveMode.MOVE);
    }

    @Test
    void deleteMode_aRowInsertedBehindTheLockingReadIsNotRemoved() throws Exception {
        rowInsertedBehindTheLockingRead(ArchiveMode.DELETE);
    }

    private void rowInsertedBehindTheLockingRead(ArchiveMode mode) throws Exception {
        long first = RunTable.freshRange();
        // 8 rows, one chunk, two pages of 4 (first, +2, +3, +4 | +5..+8); first+1 is free
        batches.table.insert(List.of(first, first + 2, first + 3, first + 4, first + 5, first + 6, first + 7, first + 8), RunTable.OLD);
        Batch batch = batches.uploaded(batches.scope(mode, first, first + 8), ShardCompression.GZIP);
        SqlConnection blocker = batches.pool.getConnection().await().atMost(WAIT);
        try {
            Transaction held = blocker.begin().await().atMost(WAIT);
            blocker.preparedQuery("SELECT id FROM run WHERE id = ? FOR UPDATE").execute(Tuple.of(first + 6)).await().atMost(WAIT);
            CompletableFuture<RemovalOutcome> outcome = CompletableFuture.supplyAsync(() -> removal.remove(batch.event()));
            await().atMost(WAIT).until(this::aTransactionOfThisDatabaseWaitsForALock);
            batches.table.insert(List.of(first + 1), RunTable.OLD);
            held.rollback().await().atMost(WAIT);

            assertThat(outcome.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isInstanceOfSatisfying(Removed.class,
                    r -> assertThat(r.end().counts()).isEqualTo(new RowCounts(8, 0, 0, 0, 0)));
        } finally {
            blocker.close().await().atMost(WAIT);
        }
        assertThat(batches.table.count("run", first, first + 8)).as("the new row stays").isEqualTo(1);
        assertThat(batches.table.count("run", first + 1, first + 1)).isEqualTo(1);
        assertThat(batches.table.count("run_archive", first, first + 8)).isEqualTo(mode == ArchiveMode.MOVE ? 8 : 0);
    }

    private boolean aTransactionOfThisDatabaseWaitsForALock() {
        return batches.pool.query("SELECT COUNT(*) FROM information_schema.innodb_trx t JOIN information_schema.processlist p"
                + " ON p.id = t.trx_mysql_thread_id WHERE t.trx_state = 'LOCK WAIT' AND p.db = DATABASE()").execute().await().atMost(WAIT)
                .iterator().next().getLong(0) > 0;
    }
}
