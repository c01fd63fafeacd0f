package io.archiver.deleter.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
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
import io.archiver.events.KeyValue;
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
import io.vertx.mutiny.sqlclient.Row;
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

    private void inSource(String statement) {
        source.query(statement).execute().await().atMost(WAIT);
    }

    private long countInSource(String statement) {
        return source.query(statement).execute().await().atMost(WAIT).iterator().next().getLong(0);
    }

    /**
     * In the source: {@code ledger_line (tenant VARCHAR(16) utf8mb4_general_ci, business_date DATE, seq BIGINT UNSIGNED)} with
     * {@code old} old rows (seq above 2^63 among them), a young row inside their key range, and its MOVE table; the policy of
     * source shop in MOVE mode.
     */
    private ArchivePolicies.Policy compositeKeyTableInTheSource(int old) {
        inSource("DROP TABLE IF EXISTS ledger_line_archive");
        inSource("DROP TABLE IF EXISTS ledger_line");
        inSource("CREATE TABLE ledger_line (tenant VARCHAR(16) CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci NOT NULL,"
                + " business_date DATE NOT NULL, seq BIGINT UNSIGNED NOT NULL, msg_sent_date BIGINT NOT NULL, note VARCHAR(20) NULL,"
                + " PRIMARY KEY (tenant, business_date, seq), INDEX (msg_sent_date))");
        inSource("CREATE TABLE ledger_line_archive LIKE ledger_line");
        StringBuilder rows = new StringBuilder();
        for (int i = 0; i < old; i++) {
            rows.append(rows.isEmpty() ? "" : ", ").append("('").append(i % 2 == 0 ? "acme" : "Zeta").append("', '2025-0").append(1 + i % 3)
                    .append("-15', ").append(i % 4 == 0 ? "18446744073709551615" : Long.toString(i)).append(" - ").append(i / 4)
                    .append(", ").append(RunTable.OLD).append(", 'old ").append(i).append("')");
        }
        inSource("INSERT INTO ledger_line VALUES " + rows);
        inSource("INSERT INTO ledger_line VALUES ('acme', '2025-02-15', 7, " + System.currentTimeMillis() + ", 'young')");
        batches.pool.query("DELETE FROM archive_policy WHERE name = 'lines'").execute().await().atMost(WAIT);
        batches.pool.query("INSERT INTO archive_policy (name, table_name, key_columns, date_column, date_kind, min_age, batch_size, mode,"
                + " archive_table, object_prefix, max_share_per_run, max_rows_per_run, allow_whole_table, confirm_first_run, enabled, version,"
                + " updated_by, updated_at_ms, source_name) VALUES ('lines', 'ledger_line', '[\"tenant\",\"business_date\",\"seq\"]',"
                + " 'msg_sent_date', 'EPOCH_MILLIS', 'P60D', 100, 'MOVE', 'ledger_line_archive', 'lines-archive', 1, NULL, TRUE, FALSE,"
                + " TRUE, 1, 'test', 0, 'shop')").execute().await().atMost(WAIT);
        return policies.fresh().all().get("lines");
    }

    @Test
    void aCompositeKeyOfASourceIsMovedByWholeKeyInChunksWithTheLastKeyAsItsProgressThere() {
        int old = 2 * CHUNK + 3;
        ArchivePolicies.Policy policy = compositeKeyTableInTheSource(old);
        // general_ci: 'acme' before 'Zeta'; the range reaches past every old row
        Batch batch = batches.uploadedKeys(source, "lines", policy, KeyValue.of("acme", "2025-01-01", "0"),
                KeyValue.of("Zeta", "2025-12-31", "18446744073709551615"), ArchiveMode.MOVE);
        assertThat(batch.event().rowCount()).isEqualTo(old);
        String batchId = batch.event().batchId();

        assertThat(removal.remove(batch.event())).isEqualTo(new Removed(BatchEnd.allRemoved(old)));

        assertThat(countInSource("SELECT COUNT(*) FROM ledger_line")).as("the young row alone").isEqualTo(1);
        assertThat(countInSource("SELECT COUNT(*) FROM ledger_line WHERE note = 'young'")).isEqualTo(1);
        assertThat(countInSource("SELECT COUNT(*) FROM ledger_line_archive WHERE note LIKE 'old %'")).isEqualTo(old);
        assertThat(countInSource("SELECT COUNT(*) FROM ledger_line_archive WHERE seq > 9223372036854775807")).isEqualTo((old + 3) / 4);
        assertThat(progress(batchId, "completed")).isEqualTo(1);
        assertThat(progress(batchId, "rows_removed")).isEqualTo(old);
        assertThat(source.preparedQuery("SELECT removed_through_key, removed_through_id FROM " + SourceProgress.TABLE + " WHERE batch_id = ?")
                .execute(Tuple.of(batchId)).await().atMost(WAIT).iterator().next().getString(0))
                .as("completed through the batch's last key").isEqualTo(batch.scope().last().text());
        assertThat(batches.ledger.get(batchId).state()).isEqualTo(BatchState.DELETED);
        assertThat(batches.ledger.get(batchId).rowsRemoved()).isEqualTo(old);
        assertThat(audited(batch)).isEqualTo(1);

        assertThat(removal.remove(batch.event())).as("replayed").isEqualTo(new AlreadyRemoved(BatchEnd.allRemoved(old)));
        assertThat(countInSource("SELECT COUNT(*) FROM ledger_line_archive")).isEqualTo(old);
        assertThat(audited(batch)).as("audited once").isEqualTo(1);
    }

    @Test
    void aResumedBatchOfWholeKeysGoesOnAfterTheKeyRecordedInTheSourceAndAddsToItsCounts() {
        int old = 2 * CHUNK + 1;
        ArchivePolicies.Policy policy = compositeKeyTableInTheSource(old);
        Batch batch = batches.uploadedKeys(source, "lines", policy, KeyValue.of("acme", "2025-01-01", "0"),
                KeyValue.of("Zeta", "2025-12-31", "18446744073709551615"), ArchiveMode.MOVE);
        String batchId = batch.event().batchId();
        // an earlier delivery moved the first keys in key order and committed that in the source, then stopped
        List<List<String>> first = new ArrayList<>();
        for (Row row : source.query("SELECT tenant, DATE_FORMAT(business_date, '%Y-%m-%d'), CAST(seq AS CHAR) FROM ledger_line"
                + " WHERE note LIKE 'old %' ORDER BY tenant, business_date, seq LIMIT " + CHUNK).execute().await().atMost(WAIT)) {
            first.add(List.of(row.getString(0), row.getString(1), row.getString(2)));
        }
        List<String> last = first.get(first.size() - 1);
        inSource("INSERT INTO ledger_line_archive SELECT * FROM ledger_line WHERE (tenant, business_date, seq) <= ('" + last.get(0) + "', '"
                + last.get(1) + "', " + last.get(2) + ") AND note LIKE 'old %'");
        inSource("DELETE FROM ledger_line WHERE (tenant, business_date, seq) <= ('" + last.get(0) + "', '" + last.get(1) + "', " + last.get(2)
                + ") AND note LIKE 'old %'");
        source.preparedQuery("INSERT INTO " + SourceProgress.TABLE + " (batch_id, run_id, removed_through_key, completed, rows_removed,"
                + " updated_at_ms) VALUES (?, ?, ?, 0, ?, 0)").execute(Tuple.of(batchId, batch.event().runId(), new KeyValue(last).text(),
                        CHUNK)).await().atMost(WAIT);
        assertThat(countInSource("SELECT COUNT(*) FROM ledger_line_archive")).isEqualTo(CHUNK);

        assertThat(removal.remove(batch.event())).isEqualTo(new Removed(BatchEnd.allRemoved(old)));

        assertThat(countInSource("SELECT COUNT(*) FROM ledger_line_archive")).as("each row moved once").isEqualTo(old);
        assertThat(countInSource("SELECT COUNT(*) FROM ledger_line")).isEqualTo(1);
        assertThat(batches.ledger.get(batchId).rowsRemoved()).as("counted once").isEqualTo(old);
    }

    @Test
    void aProgressTableOfSchemaOneIsUpgradedInPlaceKeepingItsRowsAndEnsuringAgainChangesNothing() {
        inSource("DROP TABLE IF EXISTS " + SourceProgress.TABLE);
        inSource(SourceProgress.createStatement());
        inSource("INSERT INTO " + SourceProgress.TABLE + " (batch_id, run_id, removed_through_id, rows_removed, updated_at_ms)"
                + " VALUES ('before-keys', 'r', 41, 40, 0)");
        assertThat(countInSource("SELECT COUNT(*) FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = '"
                + SourceProgress.TABLE + "' AND COLUMN_NAME = 'removed_through_key'")).isZero();

        SourceProgress.ensure(source, WAIT);
        SourceProgress.ensure(source, WAIT);

        assertThat(countInSource("SELECT COUNT(*) FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = '"
                + SourceProgress.TABLE + "' AND COLUMN_NAME = 'removed_through_key'")).isEqualTo(1);
        SourceProgress.Progress kept = SourceProgress.find(source, "before-keys", WAIT);
        assertThat(kept.removedThroughId()).isEqualTo(41);
        assertThat(kept.rowsRemoved()).isEqualTo(40);
        assertThat(kept.removedThroughKey()).isNull();
    }
}
