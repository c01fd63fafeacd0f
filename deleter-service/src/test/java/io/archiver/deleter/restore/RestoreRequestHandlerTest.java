package io.archiver.deleter.restore;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.inject.Inject;

import org.eclipse.microprofile.reactive.messaging.spi.Connector;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.archiver.deleter.DeleterTestProfile;
import io.archiver.deleter.UploadedBatches;
import io.archiver.deleter.UploadedBatches.Batch;
import io.archiver.events.ArchiveMode;
import io.archiver.events.EventCodec;
import io.archiver.events.RestoreRequested;
import io.archiver.events.RestoreRequested.RestoreScope;
import io.archiver.events.ShardCompression;
import io.archiver.ledger.RestoreRecord;
import io.archiver.ledger.RestoreState;
import io.archiver.manifest.ArchiveManifest;
import io.archiver.manifest.ManifestCodec;
import io.archiver.manifest.ManifestKeys;
import io.archiver.support.testing.ChannelRecords;
import io.archiver.support.testing.RunTable;
import io.archiver.table.CanonicalRow;
import io.archiver.table.ColumnForms;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.reactive.messaging.memory.InMemoryConnector;
import io.smallrye.reactive.messaging.memory.InMemorySource;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * The restore handler on the real MariaDB and S3 server of the local stack, its channel in memory: an archived object with
 * its manifest, written back chunk by chunk (7 rows a transaction) into another table and into the source table.
 */
@QuarkusTest
@TestProfile(DeleterTestProfile.class)
class RestoreRequestHandlerTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final AtomicInteger TARGETS = new AtomicInteger();

    @Inject
    @Connector("smallrye-in-memory")
    InMemoryConnector connector;

    @Inject
    UploadedBatches batches;

    @Inject
    RestoreLedger ledger;

    private InMemorySource<Object> restores;

    @BeforeEach
    void channel() {
        restores = connector.source("restores");
    }

    @Test
    void promise7_anObjectIsRestoredIntoANewTableValueForValueInChunksAndAudited() {
        Batch batch = batches.uploaded(ArchiveMode.DELETE, 25, ShardCompression.GZIP);
        putManifest(batch, batch.event().objectSha256());
        String target = newTarget();

        RestoreRecord record = restore(request(batch, target, false));

        assertThat(record.state()).isEqualTo(RestoreState.COMPLETED);
        assertThat(record.error()).isNull();
        assertThat(record.objectsTotal()).isEqualTo(1);
        assertThat(record.objectsDone()).isEqualTo(1);
        assertThat(record.rowsRestored()).isEqualTo(25);
        assertThat(record.rowsSkipped()).isZero();
        assertThat(record.rowsConflicting()).isZero();
        assertThat(rows(target, batch)).as("value for value").hasSize(25).isEqualTo(rows("run", batch));
        assertThat(audits(record.restoreId())).containsExactly("RESTORED " + target + " 25 [\"" + batch.event().objectKey() + "\"] by test:restore");
    }

    @Test
    void promise8_aRowWithOtherValuesInTheWayIsReportedAndUntouchedAndAReplayChangesNothing() {
        Batch batch = batches.uploaded(ArchiveMode.DELETE, 20, ShardCompression.NONE);
        putManifest(batch, batch.event().objectSha256());
        String target = newTarget();
        long same = batch.firstId() + 3;
        long other = batch.firstId() + 11;
        execute("CREATE TABLE `" + target + "` LIKE run");
        execute("INSERT INTO `" + target + "` SELECT * FROM run WHERE id IN (" + same + ", " + other + ")");
        execute("UPDATE `" + target + "` SET subject = 'changed in the target' WHERE id = " + other);
        List<List<String>> before = rows(target, batch);
        RestoreRequested request = request(batch, target, false);

        RestoreRecord first = restore(request);
        List<List<String>> restored = rows(target, batch);
        RestoreRecord replayed = restore(request);

        assertThat(first.state()).isEqualTo(RestoreState.COMPLETED);
        assertThat(first.rowsRestored()).isEqualTo(18);
        assertThat(first.rowsSkipped()).isEqualTo(1);
        assertThat(first.rowsConflicting()).isEqualTo(1);
        assertThat(conflicts(first.restoreId())).containsExactly(Long.toString(other));
        assertThat(restored).hasSize(20);
        assertThat(restored.stream().filter(r -> r.get(0).equals(Long.toString(other))).findFirst()).as("never overwritten")
                .contains(before.stream().filter(r -> r.get(0).equals(Long.toString(other))).findFirst().orElseThrow());
        assertThat(replayed).as("a replay changes nothing").isEqualTo(first);
        assertThat(rows(target, batch)).isEqualTo(restored);
        assertThat(audits(first.restoreId())).hasSize(1);
    }

    /**
     * A restore that stops after its first chunk (the second one's insert fails in the server until the test lets it: a kill
     * between commits, as far as the records can tell) goes on after the committed chunk when the request comes again: every
     * row once, the figures counted once.
     */
    @Test
    void promise4_aRestoreInterruptedAfterAChunkResumesWithNoRowLostOrDuplicated() {
        Batch batch = batches.uploaded(ArchiveMode.DELETE, 25, ShardCompression.GZIP);
        putManifest(batch, batch.event().objectSha256());
        String target = newTarget();
        execute("CREATE TABLE `" + target + "` LIKE run");
        execute("CREATE TRIGGER `" + target + "_stop` BEFORE INSERT ON `" + target + "` FOR EACH ROW IF NEW.id = " + (batch.firstId() + 10)
                + " THEN SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'interrupted by the test'; END IF");
        RestoreRequested request = request(batch, target, false);

        ChannelRecords.Delivery interrupted = ChannelRecords.send(restores, EventCodec.encode(request));
        RestoreRecord halfway = ledger.find(request.runId()).orElseThrow();
        execute("DROP TRIGGER `" + target + "_stop`");
        RestoreRecord resumed = restore(request);

        assertThat(interrupted.nacks).as("the interrupted delivery failed").isNotEmpty();
        assertThat(halfway.state()).isEqualTo(RestoreState.RUNNING);
        assertThat(halfway.rowsRestored()).as("the first chunk's commit").isEqualTo(DeleterTestProfile.RESTORE_CHUNK_ROWS);
        assertThat(resumed.state()).isEqualTo(RestoreState.COMPLETED);
        assertThat(resumed.rowsRestored()).as("counted once").isEqualTo(25);
        assertThat(resumed.objectsDone()).isEqualTo(1);
        assertThat(rows(target, batch)).as("every row once, value for value").isEqualTo(rows("run", batch));
    }

    @Test
    void anObjectThatDiffersFromItsManifestIsRefusedBeforeAnyRowIsWritten() {
        Batch batch = batches.uploaded(ArchiveMode.DELETE, 9, ShardCompression.GZIP);
        putManifest(batch, "0".repeat(64));
        String target = newTarget();

        RestoreRecord record = restore(request(batch, target, false));

        assertThat(record.state()).isEqualTo(RestoreState.FAILED);
        assertThat(record.error()).startsWith("OBJECT_MISMATCH").contains(batch.event().objectKey()).contains("SHA-256");
        assertThat(record.rowsRestored()).isZero();
        assertThat(tableExists(target)).as("not even created").isFalse();
        assertThat(audits(record.restoreId())).isEmpty();
    }

    @Test
    void aDryRunCountsWhatItWouldDoAndWritesNothing() {
        Batch batch = batches.uploaded(ArchiveMode.DELETE, 10, ShardCompression.GZIP);
        putManifest(batch, batch.event().objectSha256());
        String target = newTarget();

        RestoreRecord record = restore(RestoreRequested.of("restore-dry-" + target, "run", RestoreScope.ofObject(batch.event().objectKey()),
                target, false, true, "test"));

        assertThat(record.state()).isEqualTo(RestoreState.COMPLETED);
        assertThat(record.dryRun()).isTrue();
        assertThat(record.rowsRestored()).as("would restore").isEqualTo(10);
        assertThat(tableExists(target)).isFalse();
        assertThat(audits(record.restoreId())).isEmpty();
    }

    @Test
    void restoringIntoTheSourceTableNeedsThePolicyDisabledAndTheTargetMayBeNoArchivedTable() {
        Batch batch = batches.uploaded(ArchiveMode.DELETE, 12, ShardCompression.GZIP);
        putManifest(batch, batch.event().objectSha256());
        List<List<String>> original = rows("run", batch);
        execute("DELETE FROM run WHERE id BETWEEN " + batch.firstId() + " AND " + batch.lastId()); // as the deleter removed them

        RestoreRecord enabled = restore(request(batch, "run", true));
        RestoreRecord archived = restore(request(batch, "run_archive", false));
        RestoreRecord notSource = restore(request(batch, "run", false));
        RestoreRecord inFlight;
        RestoreRecord restored;
        execute("UPDATE archive_policy SET enabled = 0 WHERE name = 'run'");
        try {
            inFlight = restore(request(batch, "run", true)); // the test ledger's runs are RUNNING
            execute("UPDATE archive_run SET state = 'COMPLETED' WHERE policy = 'run'");
            restored = restore(request(batch, "run", true));
        } finally {
            execute("UPDATE archive_policy SET enabled = 1 WHERE name = 'run'");
        }

        assertThat(enabled.state()).isEqualTo(RestoreState.FAILED);
        assertThat(enabled.error()).startsWith("POLICY_ENABLED").contains("archivectl policy disable run");
        assertThat(archived.error()).startsWith("TARGET_ARCHIVED").contains("run_archive");
        assertThat(notSource.error()).startsWith("TARGET_ARCHIVED").contains("--into-source");
        assertThat(inFlight.error()).startsWith("RUN_IN_FLIGHT");
        assertThat(restored.state()).isEqualTo(RestoreState.COMPLETED);
        assertThat(restored.rowsRestored()).isEqualTo(12);
        assertThat(rows("run", batch)).isEqualTo(original);
    }

    // ------------------------------------------------------------------ helpers

    private static String newTarget() {
        return "restored_" + System.currentTimeMillis() % 1_000_000 + "_" + TARGETS.incrementAndGet();
    }

    private static RestoreRequested request(Batch batch, String target, boolean intoSource) {
        return RestoreRequested.of("restore-" + target + "-" + intoSource + "-" + TARGETS.incrementAndGet(), "run",
                RestoreScope.ofObject(batch.event().objectKey()), target, intoSource, false, "test:restore");
    }

    private RestoreRecord restore(RestoreRequested request) {
        ChannelRecords.Delivery delivery = ChannelRecords.send(restores, EventCodec.encode(request));
        assertThat(delivery.nacks).isEmpty();
        assertThat(delivery.acks).hasValue(1);
        return ledger.find(request.runId()).orElseThrow();
    }

    /** The object's manifest beside it, as the uploader puts it; {@code sha256} as the manifest states it. */
    private void putManifest(Batch batch, String sha256) {
        List<ArchiveManifest.Column> columns = new ArrayList<>();
        withConnection(c -> ColumnForms.read(c, "run", "", WAIT).columns()
                .forEach(col -> columns.add(new ArchiveManifest.Column(col.name(), col.dataType(), col.columnType()))));
        String key = batch.event().objectKey();
        ArchiveManifest manifest = new ArchiveManifest(ArchiveManifest.FORMAT_VERSION, "run", "run", batch.event().runId(), "id", "msg_sent_date",
                "EPOCH_MILLIS", columns, ArchiveManifest.Encoding.CURRENT, List.of(new ArchiveManifest.ObjectEntry(key,
                        Long.toString(batch.firstId()), Long.toString(batch.lastId()), Long.toString(RunTable.OLD), Long.toString(RunTable.OLD),
                        batch.event().rowCount(), batch.event().objectBytes(), sha256, batch.event().rowsDigest(),
                        key.endsWith(".gz") ? ArchiveManifest.CSV_GZIP : ArchiveManifest.CSV)));
        batches.store.client().putObject(b -> b.bucket(batches.store.bucket()).key(ManifestKeys.ofObject(key)),
                RequestBody.fromBytes(ManifestCodec.encode(manifest)));
    }

    /** The rows of the batch's range in {@code table}, in the archive's forms, by id. */
    private List<List<String>> rows(String table, Batch batch) {
        List<List<String>> rows = new ArrayList<>();
        withConnection(c -> {
            ColumnForms forms = ColumnForms.read(c, table, "", WAIT);
            for (Row row : c.preparedQuery("SELECT " + forms.selectList() + " FROM `" + table + "` WHERE id BETWEEN ? AND ? ORDER BY id")
                    .execute(Tuple.of(batch.firstId(), batch.lastId())).await().atMost(WAIT)) {
                rows.add(CanonicalRow.values(row));
            }
        });
        return rows;
    }

    private List<String> audits(String restoreId) {
        List<String> found = new ArrayList<>();
        for (Row row : batches.pool.preparedQuery("SELECT action, table_name, row_count, object_keys, actor FROM archive_audit WHERE run_id = ?")
                .execute(Tuple.of(restoreId)).await().atMost(WAIT)) {
            found.add(row.getString(0) + " " + row.getString(1) + " " + row.getLong(2) + " " + row.getString(3) + " by " + row.getString(4));
        }
        return found;
    }

    private List<String> conflicts(String restoreId) {
        return RestoreFixtures.conflicts(batches.pool, restoreId);
    }

    private boolean tableExists(String table) {
        return RestoreFixtures.tableExists(batches.pool, table);
    }

    private void execute(String sql) {
        RestoreFixtures.execute(batches.pool, sql);
    }

    private void withConnection(java.util.function.Consumer<SqlConnection> body) {
        RestoreFixtures.withConnection(batches.pool, body);
    }
}
