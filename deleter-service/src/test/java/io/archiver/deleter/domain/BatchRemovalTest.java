package io.archiver.deleter.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.archiver.deleter.DeleterTestProfile;
import io.archiver.deleter.UploadedBatches;
import io.archiver.deleter.UploadedBatches.Batch;
import io.archiver.deleter.domain.RemovalOutcome.AlreadyFailed;
import io.archiver.deleter.domain.RemovalOutcome.AlreadyRemoved;
import io.archiver.deleter.domain.RemovalOutcome.BatchEnd;
import io.archiver.deleter.domain.RemovalOutcome.Refused;
import io.archiver.deleter.domain.RemovalOutcome.Rejected;
import io.archiver.deleter.domain.RemovalOutcome.Removed;
import io.archiver.deleter.storage.ExceptionsSidecar;
import io.archiver.events.ArchiveMode;
import io.archiver.events.ArchiveUploaded;
import io.archiver.events.BatchScope;
import io.archiver.events.RowCounts;
import io.archiver.events.RowException;
import io.archiver.events.ShardCompression;
import io.archiver.ledger.BatchState;
import io.archiver.support.policy.ArchivePolicies;
import io.archiver.support.policy.PolicyViolation;
import io.archiver.support.testing.RunTable;
import io.archiver.support.testing.TestLedger;
import io.archiver.table.EligibleRows;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/**
 * The deleter's decision, without Kafka, on the real MariaDB and S3 server: what is removed (promise 1), what never is
 * (promises 2 and 5), each refusal reason, and a replayed or resumed batch (promise 3).
 */
@QuarkusTest
@TestProfile(DeleterTestProfile.class)
class BatchRemovalTest {

    @Inject
    BatchRemoval removal;

    @Inject
    UploadedBatches batches;

    @Inject
    ArchivePolicies policies;

    private static final int CHUNK = DeleterTestProfile.CHUNK_ROWS;

    @Test
    void promise1_aVerifiedBatchIsRemovedInChunksAndMarkedDeletedWithItsObjectInTheSameCommit() {
        Batch batch = batches.uploaded(ArchiveMode.DELETE, 3 * CHUNK + 4, ShardCompression.GZIP);

        RemovalOutcome outcome = removal.remove(batch.event());

        assertThat(outcome).isEqualTo(removed(3 * CHUNK + 4));
        assertThat(batches.rows(batch)).isZero();
        TestLedger.Batch ledger = batches.ledger.get(batch.event().batchId());
        assertThat(ledger.state()).isEqualTo(BatchState.DELETED);
        assertThat(ledger.rowsRemoved()).isEqualTo(3 * CHUNK + 4);
        assertThat(ledger.removedThroughId()).as("no progress is kept once the batch is done").isNull();
        assertThat(ledger.objectKey()).isEqualTo(batch.event().objectKey());
        assertThat(ledger.objectBytes()).isEqualTo(batch.event().objectBytes());
        assertThat(ledger.rowsDigest()).isEqualTo(batch.event().rowsDigest());
        // promise 9: audited in the same commit, with who, what, how many, which object and its digests
        assertThat(audit(batch)).containsExactly("deleter-service BATCH_DELETED " + (3 * CHUNK + 4) + " [\"" + batch.event().objectKey()
                + "\"] {\"objectSha256\":\"" + batch.event().objectSha256() + "\",\"rowsDigest\":\"" + batch.event().rowsDigest()
                + "\",\"objectBytes\":" + batch.event().objectBytes() + "}");
    }

    /** The batch's rows of the audit trail: actor, action, rows, object keys, digests. */
    private List<String> audit(Batch batch) {
        List<String> rows = new java.util.ArrayList<>();
        for (io.vertx.mutiny.sqlclient.Row row : batches.pool.preparedQuery("SELECT actor, action, row_count, object_keys, digests"
                + " FROM archive_audit WHERE batch_id = ? ORDER BY id").execute(io.vertx.mutiny.sqlclient.Tuple.of(batch.event().batchId()))
                .await().indefinitely()) {
            rows.add(row.getString(0) + " " + row.getString(1) + " " + row.getLong(2) + " " + row.getString(3) + " " + row.getString(4));
        }
        return rows;
    }

    @Test
    void moveModeCopiesTheRowsIntoTheArchiveTableBeforeRemovingThem() {
        Batch batch = batches.uploaded(ArchiveMode.MOVE, CHUNK + 3, ShardCompression.NONE);

        assertThat(removal.remove(batch.event())).isEqualTo(removed(CHUNK + 3));

        assertThat(batches.rows(batch)).isZero();
        assertThat(batches.archivedRows(batch)).isEqualTo(CHUNK + 3);
    }

    @Test
    void promise3_theSameEventTwiceRemovesTheRowsOnce() {
        Batch batch = batches.uploaded(ArchiveMode.MOVE, 5, ShardCompression.GZIP);

        assertThat(removal.remove(batch.event())).isEqualTo(removed(5));
        assertThat(removal.remove(batch.event())).isEqualTo(new AlreadyRemoved(BatchEnd.allRemoved(5)));

        assertThat(batches.archivedRows(batch)).as("copied once").isEqualTo(5);
        assertThat(batches.ledger.get(batch.event().batchId()).rowsRemoved()).isEqualTo(5);
        assertThat(audit(batch)).as("audited once").singleElement().asString().startsWith("deleter-service BATCH_MOVED 5 ");
    }

    @Test
    void aResumedBatchGoesOnAfterTheProgressTheLedgerRecorded() {
        Batch batch = batches.uploaded(ArchiveMode.DELETE, 2 * CHUNK + 5, ShardCompression.GZIP);
        // an earlier delivery removed the first chunk and committed its progress, then the deleter stopped
        batches.pool.preparedQuery("DELETE FROM run WHERE id BETWEEN ? AND ?")
                .execute(io.vertx.mutiny.sqlclient.Tuple.of(batch.firstId(), batch.firstId() + CHUNK - 1)).await().indefinitely();
        batches.ledger.removedThrough(batch.event().batchId(), batch.firstId() + CHUNK - 1, CHUNK);

        assertThat(removal.remove(batch.event())).isEqualTo(removed(2 * CHUNK + 5));

        assertThat(batches.rows(batch)).isZero();
        assertThat(batches.ledger.get(batch.event().batchId()).state()).isEqualTo(BatchState.DELETED);
    }

    @Test
    void aBatchTheLedgerHasFailedIsLeftAsItIs() {
        Batch batch = batches.uploaded(ArchiveMode.DELETE, 4, ShardCompression.GZIP);
        batches.ledger.state(batch.event().batchId(), BatchState.FAILED);

        assertThat(removal.remove(batch.event())).isEqualTo(new AlreadyFailed());

        assertThat(batches.rows(batch)).isEqualTo(4);
    }

    // ------------------------------------------------------------------ events not to be trusted (dead-lettered)

    @Test
    void promise2_aTableNoPolicyNamesIsNeverTouched() {
        Batch batch = batches.uploaded(ArchiveMode.DELETE, 3, ShardCompression.GZIP);
        BatchScope scope = batch.scope();
        ArchiveUploaded otherTable = withScope(batch.event(), new BatchScope(scope.policy(), "run_archive", scope.cutoffEpochMs(),
                scope.firstId(), scope.lastId(), scope.mode(), scope.runDate()));

        assertThatThrownBy(() -> removal.remove(otherTable)).isInstanceOfSatisfying(PolicyViolation.class,
                v -> assertThat(v.reason()).isEqualTo("TABLE_NOT_IN_POLICY"));
        assertThat(batches.rows(batch)).isEqualTo(3);
    }

    @Test
    void foreignBucket_anObjectInAnotherBucketRejectsTheEvent() {
        Batch batch = batches.uploaded(ArchiveMode.DELETE, 3, ShardCompression.GZIP);
        ArchiveUploaded e = batch.event();

        RemovalOutcome outcome = removal.remove(UploadedBatches.announcing(e, "someone-elses-bucket", e.objectKey(), e.rowCount(),
                e.rowsDigest(), e.objectBytes(), e.objectSha256()));

        assertThat(outcome).isInstanceOfSatisfying(Rejected.class, r -> assertThat(r.reason()).isEqualTo(RemovalReason.FOREIGN_BUCKET));
        assertThat(batches.rows(batch)).isEqualTo(3);
    }

    @Test
    void foreignKey_anObjectUnderAnotherKeyRejectsTheEvent() {
        Batch batch = batches.uploaded(ArchiveMode.DELETE, 3, ShardCompression.GZIP);
        ArchiveUploaded e = batch.event();

        RemovalOutcome outcome = removal.remove(UploadedBatches.announcing(e, e.bucket(), e.objectKey().replace(".csv.gz", "-copy.csv.gz"),
                e.rowCount(), e.rowsDigest(), e.objectBytes(), e.objectSha256()));

        assertThat(outcome).isInstanceOfSatisfying(Rejected.class, r -> assertThat(r.reason()).isEqualTo(RemovalReason.FOREIGN_KEY));
        assertThat(batches.rows(batch)).isEqualTo(3);
    }

    @Test
    void unknownBatch_aBatchTheLedgerDoesNotKnowOrKnowsWithAnotherRangeRejectsTheEvent() {
        long first = RunTable.freshRange();
        batches.table.insertRange(first, first + 5, RunTable.OLD);
        Batch batch = batches.uploaded(batches.scope(ArchiveMode.DELETE, first, first + 5), ShardCompression.GZIP);
        ArchiveUploaded e = batch.event();
        ArchiveUploaded unplanned = new ArchiveUploaded(e.eventId(), e.runId(), e.batchId() + "-forged", e.occurredAt(), e.schemaVersion(),
                e.scope(), e.rowCount(), e.rowsDigest(), e.bucket(), e.objectKey(), e.objectBytes(), e.objectSha256());
        BatchScope wider = batches.scope(ArchiveMode.DELETE, first, first + 1_000);
        ArchiveUploaded otherRange = withScope(e, wider);

        assertThat(removal.remove(unplanned)).isInstanceOfSatisfying(Rejected.class,
                r -> assertThat(r.reason()).isEqualTo(RemovalReason.UNKNOWN_BATCH));
        // the key follows the range: forge it too, so that the ledger is what refuses
        String otherKey = io.archiver.events.ArchiveObjectKey.of(io.archiver.support.policy.PolicySettings.defaults("run").keyPrefix(), e.runId(), wider, ShardCompression.GZIP);
        assertThat(removal.remove(UploadedBatches.announcing(otherRange, e.bucket(), otherKey, e.rowCount(), e.rowsDigest(), e.objectBytes(),
                e.objectSha256()))).isInstanceOfSatisfying(Rejected.class, r -> {
                    assertThat(r.reason()).isEqualTo(RemovalReason.UNKNOWN_BATCH);
                    assertThat(r.detail()).contains("has range " + first + ".." + (first + 5));
                });
        // a range of whole keys (docs/keys.md) over the same rows: the run policy's batches are ranges of its integer key
        BatchScope byKeys = BatchScope.ofKeys(e.scope().policy(), e.scope().table(), e.scope().cutoffEpochMs(),
                io.archiver.events.KeyValue.of(first), io.archiver.events.KeyValue.of(first + 5), ArchiveMode.DELETE, e.scope().runDate());
        assertThat(removal.remove(withScope(e, byKeys))).isInstanceOfSatisfying(Rejected.class, r -> {
            assertThat(r.reason()).isEqualTo(RemovalReason.UNKNOWN_BATCH);
            assertThat(r.detail()).contains("but the key of run is [id], one integer column");
        });
        assertThat(batches.rows(batch)).isEqualTo(6);
    }

    // ------------------------------------------------------------------ objects that fail the batch (rows kept)

    @Test
    void objectMissing_noObjectUnderTheKeyFailsTheBatch() {
        Batch batch = batches.uploaded(ArchiveMode.DELETE, 3, ShardCompression.GZIP);
        batches.deleteObject(batch.event().objectKey());

        assertRefused(batch, RemovalReason.OBJECT_MISSING, "does not exist");
    }

    @Test
    void objectMismatch_anObjectOfOtherBytesThanAnnouncedFailsTheBatch() {
        Batch batch = batches.uploaded(ArchiveMode.DELETE, 3, ShardCompression.GZIP);
        ArchiveUploaded e = batch.event();

        assertRefused(new Batch(UploadedBatches.announcing(e, e.bucket(), e.objectKey(), e.rowCount(), e.rowsDigest(), e.objectBytes() + 1,
                e.objectSha256()), batch.scope()), RemovalReason.OBJECT_MISMATCH, "announced " + (e.objectBytes() + 1) + " bytes");
        assertRefused(new Batch(UploadedBatches.announcing(e, e.bucket(), e.objectKey(), e.rowCount(), e.rowsDigest(), e.objectBytes(),
                "0".repeat(64)), batch.scope()), RemovalReason.OBJECT_MISMATCH, "with SHA-256 " + "0".repeat(64));
    }

    @Test
    void objectRowsMismatch_anObjectHoldingOtherRowsThanTheExportAnnouncedFailsTheBatch() {
        Batch batch = batches.uploaded(ArchiveMode.DELETE, 3, ShardCompression.GZIP);
        ArchiveUploaded e = batch.event();

        assertRefused(new Batch(UploadedBatches.announcing(e, e.bucket(), e.objectKey(), e.rowCount() + 1, e.rowsDigest(), e.objectBytes(),
                e.objectSha256()), batch.scope()), RemovalReason.OBJECT_ROWS_MISMATCH, "the export announced 4");
    }

    @Test
    void objectUnreadable_bytesThatAreNotAShardFailTheBatch() {
        Batch batch = batches.uploaded(ArchiveMode.DELETE, 3, ShardCompression.GZIP);
        ArchiveUploaded e = batch.event();
        byte[] garbage = "not gzip, not csv".getBytes(StandardCharsets.UTF_8);
        batches.put(e.objectKey(), garbage);

        assertRefused(new Batch(UploadedBatches.announcing(e, e.bucket(), e.objectKey(), e.rowCount(), e.rowsDigest(), garbage.length,
                UploadedBatches.sha256(garbage)), batch.scope()), RemovalReason.OBJECT_UNREADABLE, "cannot be parsed");
    }

    @Test
    void objectOutOfRange_anObjectHoldingRowsOutsideTheBatchRemovesNothing() {
        long first = RunTable.freshRange();
        batches.table.insertRange(first, first + 9, RunTable.OLD);
        // the ledger's batch is first+2..first+9, but the object (and the event's figures) hold first..first+9
        Batch batch = batches.uploaded(batches.scope(ArchiveMode.DELETE, first + 2, first + 9), ShardCompression.NONE);
        UploadedBatches.Shard wide = batches.shard(batches.scope(ArchiveMode.DELETE, first, first + 9), ShardCompression.NONE);
        batches.put(batch.event().objectKey(), wide.bytes());
        ArchiveUploaded e = batch.event();

        assertRefused(new Batch(UploadedBatches.announcing(e, e.bucket(), e.objectKey(), wide.rows(), wide.rowsDigest(), wide.bytes().length,
                UploadedBatches.sha256(wide.bytes())), batch.scope()), RemovalReason.OBJECT_OUT_OF_RANGE, "outside the batch's range");
        assertThat(batches.table.count("run", first, first + 9)).isEqualTo(10);
    }

    // ------------------------------------------------------------------ rows that changed (promise 5)

    @Test
    void promise5_aRowChangedSinceTheExportStaysAloneWhileTheRestOfItsChunkAndBatchIsRemoved() {
        Batch batch = batches.uploaded(ArchiveMode.DELETE, 3 * CHUNK, ShardCompression.GZIP);
        long changed = batch.firstId() + CHUNK + 2; // in the second chunk
        batches.table.update(changed, "changed after the export");

        RemovalOutcome outcome = removal.remove(batch.event());

        String sidecar = batch.event().objectKey() + ExceptionsSidecar.SUFFIX;
        assertThat(outcome).isEqualTo(new Removed(new BatchEnd(new RowCounts(3 * CHUNK - 1, 1, 0, 0, 0),
                List.of(new RowException(changed, RowException.Reason.CHANGED)), sidecar)));
        assertThat(batches.table.count("run", batch.firstId(), batch.lastId())).as("only the changed row stays").isEqualTo(1);
        assertThat(subject(changed)).isEqualTo("changed after the export");
        TestLedger.Batch ledger = batches.ledger.get(batch.event().batchId());
        assertThat(ledger.state()).isEqualTo(BatchState.DELETED);
        assertThat(ledger.rowsRemoved()).isEqualTo(3 * CHUNK - 1);
        assertThat(exceptions(batch)).containsExactly(changed + " CHANGED " + batch.event().objectKey());
        assertThat(batches.sidecar(sidecar)).as("the object says its row " + changed + " is not an archived version")
                .contains("\"id\" : " + changed, "\"reason\" : \"CHANGED\"");
    }

    @Test
    void promise5_rowsInsertedIntoTheRangeAfterTheExportStay_aRowDeletedMeanwhileIsCountedMissing() {
        long first = RunTable.freshRange();
        batches.table.insert(List.of(first, first + 2, first + 3, first + 4), RunTable.OLD);
        Batch batch = batches.uploaded(batches.scope(ArchiveMode.DELETE, first, first + 20), ShardCompression.GZIP);
        batches.table.insert(List.of(first + 1, first + 19), RunTable.OLD); // between archived rows, and after the last one
        batches.pool.preparedQuery("DELETE FROM run WHERE id = ?").execute(io.vertx.mutiny.sqlclient.Tuple.of(first + 3)).await()
                .indefinitely();

        RemovalOutcome outcome = removal.remove(batch.event());

        assertThat(outcome).isInstanceOfSatisfying(Removed.class, r -> {
            assertThat(r.end().counts()).isEqualTo(new RowCounts(3, 0, 2, 1, 0));
            assertThat(r.end().counts().found()).as("the object's 4 rows and the table's 2 others").isEqualTo(6);
            assertThat(r.end().exceptionsKey()).as("row " + (first + 3) + " of the object was never removed by the archiver").isNotNull();
        });
        assertThat(batches.table.count("run", first, first + 20)).as("the two new rows").isEqualTo(2);
        assertThat(exceptions(batch)).containsExactly((first + 1) + " NOT_IN_OBJECT " + batch.event().objectKey(),
                (first + 3) + " MISSING " + batch.event().objectKey(), (first + 19) + " NOT_IN_OBJECT " + batch.event().objectKey());
    }

    @Test
    void promise5_aYoungRowWhoseDateMovedUnderTheCutoffStaysAsNotInTheObject() {
        long first = RunTable.freshRange();
        batches.table.insert(List.of(first, first + 2), RunTable.OLD);
        batches.table.insert(List.of(first + 1), System.currentTimeMillis()); // young: not exported
        Batch batch = batches.uploaded(batches.scope(ArchiveMode.DELETE, first, first + 2), ShardCompression.NONE);
        batches.pool.preparedQuery("UPDATE run SET msg_sent_date = ? WHERE id = ?").execute(io.vertx.mutiny.sqlclient.Tuple.of(RunTable.OLD,
                first + 1)).await().indefinitely();

        assertThat(removal.remove(batch.event())).isInstanceOfSatisfying(Removed.class,
                r -> assertThat(r.end().counts()).isEqualTo(new RowCounts(2, 0, 1, 0, 0)));
        assertThat(batches.table.count("run", first, first + 2)).isEqualTo(1);
        assertThat(batches.sidecar(batch.event().objectKey() + ExceptionsSidecar.SUFFIX)).as("the object holds no stale version").isNull();
    }

    @Test
    void moveModeCopiesOnlyTheMatchingRowsAndKeepsTheChangedOne() {
        Batch batch = batches.uploaded(ArchiveMode.MOVE, CHUNK + 3, ShardCompression.NONE);
        long changed = batch.firstId() + 1;
        batches.table.update(changed, "changed");

        assertThat(removal.remove(batch.event())).isInstanceOfSatisfying(Removed.class,
                r -> assertThat(r.end().counts()).isEqualTo(new RowCounts(CHUNK + 2, 1, 0, 0, 0)));

        assertThat(batches.rows(batch)).isEqualTo(1);
        assertThat(batches.archivedRows(batch)).isEqualTo(CHUNK + 2);
        assertThat(batches.table.count("run_archive", changed, changed)).isZero();
    }

    @Test
    void aResumedBatchAddsItsCountsToThoseTheLedgerRecorded() {
        Batch batch = batches.uploaded(ArchiveMode.DELETE, 2 * CHUNK, ShardCompression.GZIP);
        batches.pool.preparedQuery("DELETE FROM run WHERE id BETWEEN ? AND ?")
                .execute(io.vertx.mutiny.sqlclient.Tuple.of(batch.firstId(), batch.firstId() + CHUNK - 2)).await().indefinitely();
        batches.pool.preparedQuery("UPDATE archive_batch SET removed_through_id = ?, rows_removed = ?, rows_kept_changed = 1 WHERE batch_id = ?")
                .execute(io.vertx.mutiny.sqlclient.Tuple.of(batch.firstId() + CHUNK - 1, CHUNK - 1, batch.event().batchId())).await()
                .indefinitely();
        batches.table.update(batch.firstId() + CHUNK + 1, "changed");

        assertThat(removal.remove(batch.event())).isInstanceOfSatisfying(Removed.class,
                r -> assertThat(r.end().counts()).isEqualTo(new RowCounts(2 * CHUNK - 2, 2, 0, 0, 0)));
    }

    @Test
    void theDeleteReadsOnlyTheChunksRangeOfThePrimaryKey_neverAScan() {
        EligibleRows sql = new EligibleRows(policies.all().get("run"));
        long first = RunTable.freshRange();
        List<String> plan = new java.util.ArrayList<>();
        for (io.vertx.mutiny.sqlclient.Row row : batches.pool.preparedQuery("EXPLAIN " + sql.deleteKeys(3))
                .execute(sql.keysInRange(new long[] { first, first + 5, first + 9 }, first, first + 9, RunTable.CUTOFF)).await()
                .indefinitely()) {
            plan.add(row.getString("type") + " " + row.getString("key"));
        }
        // the keys are a filter on the range (EligibleRows.deleteKeys), the range bounds the scan
        assertThat(plan).as("EXPLAIN DELETE").hasSize(1).allSatisfy(access -> assertThat(access).isEqualTo("range PRIMARY"));
    }

    @Test
    void promise6_aSidecarKeyHoldingOtherBytesIsNeverOverwritten() {
        Batch batch = batches.uploaded(ArchiveMode.DELETE, 3, ShardCompression.GZIP);
        batches.table.update(batch.firstId(), "changed");
        String sidecar = batch.event().objectKey() + ExceptionsSidecar.SUFFIX;
        batches.put(sidecar, "someone else's".getBytes(StandardCharsets.UTF_8));

        assertThatThrownBy(() -> removal.remove(batch.event())).isInstanceOf(IllegalStateException.class).hasMessageContaining("promise 6");
        assertThat(batches.sidecar(sidecar)).isEqualTo("someone else's");
    }

    @Test
    void promise3_aRedeliveredBatchWithExceptionsAnnouncesTheSameEndAndWritesTheSameSidecar() {
        Batch batch = batches.uploaded(ArchiveMode.DELETE, CHUNK + 1, ShardCompression.GZIP);
        batches.table.update(batch.lastId(), "changed");
        Removed first = (Removed) removal.remove(batch.event());
        String written = batches.sidecar(first.end().exceptionsKey());

        assertThat(removal.remove(batch.event())).isEqualTo(new AlreadyRemoved(first.end()));
        assertThat(batches.sidecar(first.end().exceptionsKey())).isEqualTo(written);
        assertThat(exceptions(batch)).hasSize(1);
    }

    private List<String> exceptions(Batch batch) {
        List<String> rows = new java.util.ArrayList<>();
        for (io.vertx.mutiny.sqlclient.Row row : batches.pool.preparedQuery("SELECT key_id, reason, object_key FROM archive_batch_exception"
                + " WHERE batch_id = ? ORDER BY key_id").execute(io.vertx.mutiny.sqlclient.Tuple.of(batch.event().batchId())).await().indefinitely()) {
            rows.add(row.getLong(0) + " " + row.getString(1) + " " + row.getString(2));
        }
        return rows;
    }

    private String subject(long id) {
        return batches.pool.preparedQuery("SELECT subject FROM run WHERE id = ?").execute(io.vertx.mutiny.sqlclient.Tuple.of(id)).await()
                .indefinitely().iterator().next().getString(0);
    }

    private static Removed removed(long rows) {
        return new Removed(BatchEnd.allRemoved(rows));
    }

    private void assertRefused(Batch batch, RemovalReason reason, String detail) {
        long before = batches.rows(batch);
        RemovalOutcome outcome = removal.remove(batch.event());
        assertThat(outcome).isInstanceOfSatisfying(Refused.class, r -> {
            assertThat(r.reason()).isEqualTo(reason);
            assertThat(r.detail()).contains(detail);
        });
        assertThat(batches.rows(batch)).as("rows kept").isEqualTo(before);
        assertThat(batches.ledger.get(batch.event().batchId()).state()).as("the scanner marks it FAILED on ArchiveBatchFailed")
                .isEqualTo(BatchState.UPLOADED);
    }

    private static ArchiveUploaded withScope(ArchiveUploaded e, BatchScope scope) {
        return new ArchiveUploaded(e.eventId(), e.runId(), e.batchId(), e.occurredAt(), e.schemaVersion(), scope, e.rowCount(), e.rowsDigest(),
                e.bucket(), e.objectKey(), e.objectBytes(), e.objectSha256());
    }
}
