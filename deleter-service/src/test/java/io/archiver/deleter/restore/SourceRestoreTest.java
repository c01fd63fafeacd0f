package io.archiver.deleter.restore;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import jakarta.inject.Inject;

import org.eclipse.microprofile.reactive.messaging.spi.Connector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.archiver.deleter.DeleterTestProfile;
import io.archiver.deleter.UploadedBatches;
import io.archiver.deleter.UploadedBatches.Batch;
import io.archiver.events.ArchiveMode;
import io.archiver.events.EventCodec;
import io.archiver.events.KeyValue;
import io.archiver.events.RestoreRequested;
import io.archiver.events.RestoreRequested.RestoreScope;
import io.archiver.ledger.RestoreRecord;
import io.archiver.ledger.RestoreState;
import io.archiver.ledger.SourceRestoreProgress;
import io.archiver.manifest.ArchiveManifest;
import io.archiver.manifest.ManifestCodec;
import io.archiver.manifest.ManifestKeys;
import io.archiver.support.policy.ArchivePolicies;
import io.archiver.support.testing.ChannelRecords;
import io.archiver.support.testing.RunTable;
import io.archiver.support.testing.TestSource;
import io.archiver.table.CanonicalRow;
import io.archiver.table.ColumnForms;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.reactive.messaging.memory.InMemoryConnector;
import io.smallrye.reactive.messaging.memory.InMemorySource;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * A restore of a policy of another database (a source) whose key is composite ({@code tenant VARCHAR utf8mb4_general_ci,
 * business_date DATE, seq BIGINT UNSIGNED}): the rows go back into a table of that database, never the control one, chunk by
 * chunk with each chunk's progress in the source's {@code archiver_restore_progress} in the commit of its rows; the control
 * database's record follows each commit, so a restore interrupted after a chunk resumes with every row once and counted once;
 * a row in the way with other values is listed by its whole key and never touched.
 */
@QuarkusTest
@TestProfile(DeleterTestProfile.class)
class SourceRestoreTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final int ROWS = 3 * DeleterTestProfile.RESTORE_CHUNK_ROWS + 4;

    @Inject
    @Connector("smallrye-in-memory")
    InMemoryConnector connector;

    @Inject
    UploadedBatches batches;

    @Inject
    RestoreLedger ledger;

    @Inject
    ArchivePolicies policies;

    private static TestSource depot;
    private InMemorySource<Object> restores;

    @BeforeEach
    void aSourceWithACompositeKeyTable() throws Exception {
        restores = connector.source("restores");
        if (depot == null) {
            batches.ledger.create();
            depot = TestSource.create("depot", "depotrun");
        }
    }

    @AfterAll
    static void close() {
        if (depot != null) {
            depot.close();
        }
    }

    @Test
    void anObjectOfASourceIsRestoredIntoATableThereByWholeKeyResumingAfterAnInterruptionWithEachRowOnce() {
        Pool source = depot.pool;
        RestoreFixtures.execute(source, "DROP TABLE IF EXISTS lines_restored");
        RestoreFixtures.execute(source, "DROP TABLE IF EXISTS ledger_line");
        RestoreFixtures.execute(source, "CREATE TABLE ledger_line (tenant VARCHAR(16) CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci NOT NULL,"
                + " business_date DATE NOT NULL, seq BIGINT UNSIGNED NOT NULL, msg_sent_date BIGINT NOT NULL, note VARCHAR(20) NULL,"
                + " PRIMARY KEY (tenant, business_date, seq), INDEX (msg_sent_date))");
        StringBuilder rows = new StringBuilder();
        for (int i = 0; i < ROWS; i++) {
            rows.append(rows.isEmpty() ? "" : ", ").append("('").append(i % 2 == 0 ? "acme" : "Zeta").append("', '2025-0").append(1 + i % 3)
                    .append("-15', ").append(i % 4 == 0 ? "18446744073709551615 - " + i : Integer.toString(i)).append(", ").append(RunTable.OLD)
                    .append(", 'old ").append(i).append("')");
        }
        RestoreFixtures.execute(source, "INSERT INTO ledger_line VALUES " + rows);
        RestoreFixtures.execute(batches.pool, "DELETE FROM archive_policy WHERE name = 'depot_lines'");
        RestoreFixtures.execute(batches.pool, "INSERT INTO archive_policy (name, table_name, key_columns, date_column, date_kind, min_age, batch_size, mode,"
                + " archive_table, object_prefix, max_share_per_run, max_rows_per_run, allow_whole_table, confirm_first_run, enabled, version,"
                + " updated_by, updated_at_ms, source_name) VALUES ('depot_lines', 'ledger_line', '[\"tenant\",\"business_date\",\"seq\"]',"
                + " 'msg_sent_date', 'EPOCH_MILLIS', 'P60D', 100, 'DELETE', 'ledger_line_archive', 'depot-lines', 1, NULL, TRUE, FALSE,"
                + " TRUE, 1, 'test', 0, 'depot')");
        ArchivePolicies.Policy policy = policies.fresh().all().get("depot_lines");
        Batch batch = batches.uploadedKeys(source, "depot_lines", policy, KeyValue.of("acme", "2025-01-01", "0"),
                KeyValue.of("Zeta", "2025-12-31", "18446744073709551615"), ArchiveMode.DELETE);
        putManifest(source, batch);
        List<List<String>> archived = rows(source, "ledger_line");
        assertThat(archived).hasSize(ROWS);
        // in the way: the archived key of the row 'old 4' with other values; and an insert that fails once the first chunk committed
        RestoreFixtures.execute(source, "CREATE TABLE lines_restored LIKE ledger_line");
        RestoreFixtures.execute(source, "INSERT INTO lines_restored SELECT tenant, business_date, seq, msg_sent_date, 'other' FROM ledger_line"
                + " WHERE note = 'old 4'");
        RestoreFixtures.execute(source, "CREATE TRIGGER lines_restored_stop BEFORE INSERT ON lines_restored FOR EACH ROW IF NEW.note = 'old 9'"
                + " THEN SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'interrupted by the test'; END IF");
        List<String> key4 = archived.stream().filter(r -> r.get(4).equals("old 4")).findFirst().orElseThrow().subList(0, 3);
        RestoreRequested request = RestoreRequested.of("restore-depot-" + System.nanoTime(), "depot_lines",
                RestoreScope.ofObject(batch.event().objectKey()), "lines_restored", false, false, "test:restore");

        ChannelRecords.Delivery interrupted = ChannelRecords.send(restores, EventCodec.encode(request));
        RestoreRecord halfway = ledger.find(request.runId()).orElseThrow();
        long committedThere = source.preparedQuery("SELECT rows_restored + rows_conflicting FROM " + SourceRestoreProgress.TABLE
                + " WHERE restore_id = ?").execute(Tuple.of(request.runId())).await().atMost(WAIT).iterator().next().getLong(0);
        RestoreFixtures.execute(source, "DROP TRIGGER lines_restored_stop");
        RestoreRecord resumed = send(request);
        RestoreRecord replayed = send(request);

        assertThat(interrupted.nacks).as("the interrupted delivery failed").isNotEmpty();
        assertThat(halfway.state()).isEqualTo(RestoreState.RUNNING);
        assertThat(halfway.rowsRestored() + halfway.rowsConflicting()).as("the control record followed the committed chunks")
                .isEqualTo(committedThere).isPositive().isLessThan(ROWS);
        assertThat(resumed.state()).isEqualTo(RestoreState.COMPLETED);
        assertThat(resumed.rowsRestored()).as("counted once").isEqualTo(ROWS - 1);
        assertThat(resumed.rowsConflicting()).isEqualTo(1);
        assertThat(resumed.objectsDone()).isEqualTo(1);
        assertThat(RestoreFixtures.conflicts(batches.pool, request.runId())).containsExactly(new KeyValue(key4).text());
        List<List<String>> restored = rows(source, "lines_restored");
        List<List<String>> expected = new ArrayList<>(archived.stream().filter(r -> !r.get(4).equals("old 4")).toList());
        assertThat(restored.stream().filter(r -> !r.get(4).equals("other")).toList()).as("every row once, value for value")
                .isEqualTo(expected);
        assertThat(restored.stream().filter(r -> r.get(4).equals("other")).map(r -> r.subList(0, 3)).toList()).as("never overwritten")
                .containsExactly(key4);
        assertThat(replayed).as("a replay changes nothing").isEqualTo(resumed);
        assertThat(RestoreFixtures.tableExists(batches.pool, "lines_restored")).as("nothing written in the control database").isFalse();
        assertThat(batches.pool.preparedQuery("SELECT COUNT(*) FROM archive_audit WHERE run_id = ? AND action = 'RESTORED' AND row_count = ?")
                .execute(Tuple.of(request.runId(), ROWS - 1)).await().atMost(WAIT).iterator().next().getLong(0)).as("audited once").isEqualTo(1);
    }

    private RestoreRecord send(RestoreRequested request) {
        ChannelRecords.Delivery delivery = ChannelRecords.send(restores, EventCodec.encode(request));
        assertThat(delivery.nacks).isEmpty();
        return ledger.find(request.runId()).orElseThrow();
    }

    /** The object's manifest beside it, as the uploader puts it. */
    private void putManifest(Pool source, Batch batch) {
        List<ArchiveManifest.Column> columns = new ArrayList<>();
        RestoreFixtures.withConnection(source, c -> ColumnForms.read(c, "ledger_line", "", WAIT).columns()
                .forEach(col -> columns.add(new ArchiveManifest.Column(col.name(), col.dataType(), col.columnType()))));
        String key = batch.event().objectKey();
        ArchiveManifest manifest = new ArchiveManifest(ArchiveManifest.FORMAT_VERSION, "depot_lines", "ledger_line", batch.event().runId(),
                "tenant,business_date,seq", "msg_sent_date", "EPOCH_MILLIS", columns, ArchiveManifest.Encoding.CURRENT,
                List.of(new ArchiveManifest.ObjectEntry(key, batch.scope().first().text(), batch.scope().last().text(),
                        Long.toString(RunTable.OLD), Long.toString(RunTable.OLD), batch.event().rowCount(), batch.event().objectBytes(),
                        batch.event().objectSha256(), batch.event().rowsDigest(), ArchiveManifest.CSV_GZIP)));
        batches.store.client().putObject(b -> b.bucket(batches.store.bucket()).key(ManifestKeys.ofObject(key)),
                RequestBody.fromBytes(ManifestCodec.encode(manifest)));
    }

    /** A table's rows in the archive's forms, in key order. */
    private static List<List<String>> rows(Pool pool, String table) {
        List<List<String>> rows = new ArrayList<>();
        RestoreFixtures.withConnection(pool, c -> {
            ColumnForms forms = ColumnForms.read(c, table, "", WAIT);
            for (Row row : c.query("SELECT " + forms.selectList() + " FROM `" + table + "` ORDER BY tenant, business_date, seq").execute()
                    .await().atMost(WAIT)) {
                rows.add(CanonicalRow.values(row));
            }
        });
        return rows;
    }

}
