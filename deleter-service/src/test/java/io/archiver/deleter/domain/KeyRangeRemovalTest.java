package io.archiver.deleter.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.archiver.deleter.DeleterTestProfile;
import io.archiver.deleter.UploadedBatches;
import io.archiver.deleter.domain.RemovalOutcome.Rejected;
import io.archiver.deleter.domain.RemovalOutcome.Removed;
import io.archiver.events.ArchiveMode;
import io.archiver.events.ArchiveObjectKey;
import io.archiver.events.ArchiveUploaded;
import io.archiver.events.BatchScope;
import io.archiver.events.KeyColumns;
import io.archiver.events.KeyValue;
import io.archiver.events.ShardCompression;
import io.archiver.ledger.BatchState;
import io.archiver.rows.RowsDigest;
import io.archiver.support.policy.ArchivePolicies;
import io.archiver.support.testing.RunTable;
import io.archiver.table.KeyColumnsReader;
import io.archiver.table.KeyRangeRows;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The deleter on a batch of whole keys (docs/keys.md), on the real MariaDB and S3 server: a composite key {@code (basketId
 * BIGINT, positionId INT, businessDate DATE)}, removed in chunks by exact key; a changed row and a young row inside the range
 * stay; an event whose range is not the ledger's removes nothing.
 */
@QuarkusTest
@TestProfile(DeleterTestProfile.class)
class KeyRangeRemovalTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Inject
    BatchRemoval removal;

    @Inject
    UploadedBatches batches;

    @Inject
    ArchivePolicies policies;

    private void sql(String statement) {
        batches.pool.query(statement).execute().await().atMost(WAIT);
    }

    private long count(String statement) {
        return batches.pool.query(statement).execute().await().atMost(WAIT).iterator().next().getLong(0);
    }

    @Test
    void aBatchOfWholeKeysIsRemovedByKeyInChunksAndAForgedRangeRemovesNothing() {
        sql("DROP TABLE IF EXISTS basket_position");
        sql("CREATE TABLE basket_position (basketId BIGINT NOT NULL, positionId INT NOT NULL, businessDate DATE NOT NULL,"
                + " msg_sent_date BIGINT NOT NULL, note VARCHAR(20) NULL, PRIMARY KEY (basketId, positionId, businessDate),"
                + " INDEX (msg_sent_date))");
        int old = 2 * DeleterTestProfile.CHUNK_ROWS + 3;
        StringBuilder rows = new StringBuilder();
        for (int i = 0; i < old; i++) {
            rows.append(rows.isEmpty() ? "" : ", ").append("(").append(42 + i / 5).append(", ").append(i % 5 - 2).append(", '2025-0")
                    .append(1 + i % 3).append("-15', ").append(RunTable.OLD).append(", 'row ").append(i).append("')");
        }
        sql("INSERT INTO basket_position VALUES " + rows);
        sql("INSERT INTO basket_position VALUES (43, 0, '2025-12-31', " + System.currentTimeMillis() + ", 'young')");
        // the policy as archivectl stores it (this module has no JDBC for PolicyStore): the deleter reads it afresh per batch
        sql("DELETE FROM archive_policy WHERE name = 'baskets'");
        sql("INSERT INTO archive_policy (name, table_name, key_columns, date_column, date_kind, min_age, batch_size, mode, archive_table,"
                + " object_prefix, max_share_per_run, max_rows_per_run, allow_whole_table, confirm_first_run, enabled, version, updated_by,"
                + " updated_at_ms) VALUES ('baskets', 'basket_position', '[\"basketId\",\"positionId\",\"businessDate\"]', 'msg_sent_date',"
                + " 'EPOCH_MILLIS', 'P60D', 100, 'DELETE', 'basket_position_archive', 'baskets-archive', 1, NULL, TRUE, FALSE, TRUE, 1, 'test',"
                + " 0)");
        ArchivePolicies.Policy policy = policies.fresh().all().get("baskets");
        KeyValue first = KeyValue.of("42", "-2", "2025-01-15");
        KeyValue last = KeyValue.of("46", "0", "2025-02-15");
        BatchScope scope = BatchScope.ofKeys("baskets", "basket_position", RunTable.CUTOFF, first, last, ArchiveMode.DELETE,
                LocalDate.now(ZoneOffset.UTC));
        String runId = "keys-" + System.nanoTime();
        String batchId = runId + "-0001";
        batches.ledger.run(runId, scope);
        batches.ledger.batch(runId, batchId, 1, scope, old, BatchState.UPLOADED);
        batches.pool.preparedQuery("UPDATE archive_batch SET first_key = ?, last_key = ? WHERE batch_id = ?")
                .execute(Tuple.of(first.text(), last.text(), batchId)).await().atMost(WAIT);
        SqlConnection connection = batches.pool.getConnection().await().atMost(WAIT);
        KeyColumns key;
        byte[] shard;
        RowsDigest digest = new RowsDigest();
        try {
            key = KeyColumnsReader.read(connection, "basket_position", policy.key(), WAIT);
            shard = UploadedBatches.keyRangeShard(connection, new KeyRangeRows(policy, key), scope, digest);
        } finally {
            connection.close().await().atMost(WAIT);
        }
        String objectKey = ArchiveObjectKey.of(policy.keyPrefix(), runId, scope, key, ShardCompression.GZIP);
        assertThat(objectKey).endsWith("_baskets_42.m2.20250115-46.0.20250215_" + runId + ".csv.gz");
        batches.put(objectKey, shard);
        ArchiveUploaded event = ArchiveUploaded.of(runId, batchId, scope, digest.rows(), digest.hex(), batches.store.bucket(), objectKey,
                shard.length, UploadedBatches.sha256(shard));
        assertThat(digest.rows()).isEqualTo(old);

        // a forged range reaching past the ledger's: rejected before anything is read or removed
        BatchScope wider = BatchScope.ofKeys("baskets", "basket_position", RunTable.CUTOFF, first, KeyValue.of("99", "0", "2025-01-01"),
                ArchiveMode.DELETE, scope.runDate());
        ArchiveUploaded forged = new ArchiveUploaded(event.eventId(), runId, batchId, event.occurredAt(), event.schemaVersion(), wider,
                event.rowCount(), event.rowsDigest(), event.bucket(), ArchiveObjectKey.of(policy.keyPrefix(), runId, wider, key,
                        ShardCompression.GZIP), event.objectBytes(), event.objectSha256());
        assertThat(removal.remove(forged)).isInstanceOfSatisfying(Rejected.class, r -> assertThat(r.reason()).isEqualTo(RemovalReason.UNKNOWN_BATCH));
        assertThat(count("SELECT COUNT(*) FROM basket_position")).isEqualTo(old + 1);

        // a row changed after the export stays, with its key recorded
        sql("UPDATE basket_position SET note = 'changed' WHERE basketId = 43 AND positionId = 1 AND businessDate = '2025-03-15'");

        assertThat(removal.remove(event)).isInstanceOf(Removed.class);

        List<String> left = new ArrayList<>();
        for (Row row : batches.pool.query("SELECT basketId, positionId, businessDate, note FROM basket_position ORDER BY basketId, positionId,"
                + " businessDate").execute().await().atMost(WAIT)) {
            left.add(row.getLong(0) + "," + row.getInteger(1) + "," + row.getLocalDate(2) + "," + row.getString(3));
        }
        assertThat(left).containsExactly("43,0,2025-12-31,young", "43,1,2025-03-15,changed");
        assertThat(batches.ledger.get(batchId).state()).isEqualTo(BatchState.DELETED);
        assertThat(batches.ledger.get(batchId).rowsRemoved()).isEqualTo(old - 1);
        List<String> exceptions = new ArrayList<>();
        for (Row row : batches.pool.preparedQuery("SELECT reason, key_text FROM archive_batch_exception WHERE batch_id = ?")
                .execute(Tuple.of(batchId)).await().atMost(WAIT)) {
            exceptions.add(row.getString(0) + " " + row.getString(1));
        }
        assertThat(exceptions).containsExactly("CHANGED [\"43\",\"1\",\"2025-03-15\"]");
    }

    @Test
    void moveModeCopiesTheRowsOfARangeOfWholeKeysIntoTheArchiveTableBeforeRemovingThem() {
        sql("DROP TABLE IF EXISTS coupon_code_archive");
        sql("DROP TABLE IF EXISTS coupon_code");
        sql("CREATE TABLE coupon_code (code VARCHAR(40) CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci NOT NULL PRIMARY KEY,"
                + " msg_sent_date BIGINT NOT NULL, note VARCHAR(20) NULL, INDEX (msg_sent_date))");
        sql("CREATE TABLE coupon_code_archive LIKE coupon_code");
        List<String> codes = List.of("a", "B", "c", "Äpfel", "ß", "x y", "Zürich", "-", "日本", "d", "E", "f", "g");
        StringBuilder rows = new StringBuilder();
        for (String code : codes) {
            rows.append(rows.isEmpty() ? "" : ", ").append("('").append(code).append("', ").append(RunTable.OLD).append(", 'old')");
        }
        sql("INSERT INTO coupon_code VALUES " + rows + ", ('h', " + System.currentTimeMillis() + ", 'young')");
        sql("DELETE FROM archive_policy WHERE name = 'coupons'");
        sql("INSERT INTO archive_policy (name, table_name, key_columns, date_column, date_kind, min_age, batch_size, mode, archive_table,"
                + " object_prefix, max_share_per_run, max_rows_per_run, allow_whole_table, confirm_first_run, enabled, version, updated_by,"
                + " updated_at_ms) VALUES ('coupons', 'coupon_code', '[\"code\"]', 'msg_sent_date', 'EPOCH_MILLIS', 'P60D', 100, 'MOVE',"
                + " 'coupon_code_archive', 'coupons-archive', 1, NULL, TRUE, FALSE, TRUE, 1, 'test', 0)");
        ArchivePolicies.Policy policy = policies.fresh().all().get("coupons");
        // by utf8mb4_unicode_ci '-' sorts before every letter and 日本 after every Latin one (Äpfel as apfel, ß as ss): the range's ends
        KeyValue first = KeyValue.of("-");
        KeyValue last = KeyValue.of("日本");
        BatchScope scope = BatchScope.ofKeys("coupons", "coupon_code", RunTable.CUTOFF, first, last, ArchiveMode.MOVE, LocalDate.now(ZoneOffset.UTC));
        String runId = "keys-" + System.nanoTime();
        String batchId = runId + "-0001";
        batches.ledger.run(runId, scope);
        batches.ledger.batch(runId, batchId, 1, scope, codes.size(), BatchState.UPLOADED);
        batches.pool.preparedQuery("UPDATE archive_batch SET first_key = ?, last_key = ? WHERE batch_id = ?")
                .execute(Tuple.of(first.text(), last.text(), batchId)).await().atMost(WAIT);
        SqlConnection connection = batches.pool.getConnection().await().atMost(WAIT);
        KeyColumns key;
        byte[] shard;
        RowsDigest digest = new RowsDigest();
        try {
            key = KeyColumnsReader.read(connection, "coupon_code", policy.key(), WAIT);
            shard = UploadedBatches.keyRangeShard(connection, new KeyRangeRows(policy, key), scope, digest);
        } finally {
            connection.close().await().atMost(WAIT);
        }
        String objectKey = ArchiveObjectKey.of(policy.keyPrefix(), runId, scope, key, ShardCompression.GZIP);
        batches.put(objectKey, shard);
        assertThat(digest.rows()).as("every old code lies between the collation's first and last").isEqualTo(codes.size());

        assertThat(removal.remove(ArchiveUploaded.of(runId, batchId, scope, digest.rows(), digest.hex(), batches.store.bucket(), objectKey,
                shard.length, UploadedBatches.sha256(shard)))).isInstanceOf(Removed.class);

        assertThat(count("SELECT COUNT(*) FROM coupon_code")).isEqualTo(1);
        assertThat(count("SELECT COUNT(*) FROM coupon_code WHERE code = 'h' AND note = 'young'")).isEqualTo(1);
        assertThat(count("SELECT COUNT(*) FROM coupon_code_archive WHERE note = 'old'")).isEqualTo(codes.size());
        assertThat(batches.ledger.get(batchId).rowsRemoved()).isEqualTo(codes.size());
    }
}
