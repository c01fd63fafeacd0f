package io.archiver.exporter.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.stream.LongStream;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.archiver.events.ArchiveBatchReady;
import io.archiver.events.ArchiveMode;
import io.archiver.events.ArchiveObjectKey;
import io.archiver.events.BatchScope;
import io.archiver.events.ShardCompression;
import io.archiver.exporter.ExporterTestProfile;
import io.archiver.exporter.ReadyBatches;
import io.archiver.exporter.domain.ExportOutcome.AlreadyDeleting;
import io.archiver.exporter.domain.ExportOutcome.AlreadyEnded;
import io.archiver.exporter.domain.ExportOutcome.Exported;
import io.archiver.ledger.BatchState;
import io.archiver.ledger.SourceProgress;
import io.archiver.support.policy.ArchivePolicies;
import io.archiver.support.testing.RunTable;
import io.archiver.support.testing.TestSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * A policy of another database (a source): the exporter reads the batch's rows there, not in the control database, and
 * the deleter's progress with them from that database's {@code archiver_batch_progress} in the same snapshot, so a batch the
 * deleter began or finished removing there is not exported again.
 */
@QuarkusTest
@TestProfile(ExporterTestProfile.class)
class SourceBatchExportTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Inject
    BatchExport export;

    @Inject
    ReadyBatches batches;

    @Inject
    ArchivePolicies policies;

    private static TestSource shop;

    @BeforeEach
    void aSourceDatabaseBesideTheControlOne() throws Exception {
        if (shop == null) {
            batches.ledger(); // the control database's ledger (archive_source, archive_policy) first
            shop = TestSource.create("expshop", "expshoprun");
        }
        Awaitility.await().atMost(WAIT).until(() -> policies.all().containsKey(shop.policy));
    }

    @AfterAll
    static void close() {
        if (shop != null) {
            shop.close();
        }
    }

    /** {@code old} old rows then {@code young} young ones in the source only (the control database has none of these ids). */
    private ArchiveBatchReady readyInTheSource(int old, int young) {
        long first = RunTable.freshRange();
        shop.table.insertRange(first, first + old - 1, RunTable.OLD);
        if (young > 0) {
            shop.table.insertRange(first + old, first + old + young - 1, System.currentTimeMillis());
        }
        return batches.planned(new BatchScope(shop.policy, "run", RunTable.CUTOFF, first, first + old + young - 1, ArchiveMode.DELETE,
                LocalDate.now(ZoneOffset.UTC)));
    }

    private static Path staged(ArchiveBatchReady event) {
        return Path.of(ExporterTestProfile.SCRATCH).resolve(ArchiveObjectKey.fileName(event.runId(), event.scope(), ShardCompression.GZIP));
    }

    private static void progress(ArchiveBatchReady event, long through, boolean completed, long removed) {
        shop.pool.preparedQuery("INSERT INTO " + SourceProgress.TABLE + " (batch_id, run_id, removed_through_id, completed, rows_removed,"
                + " updated_at_ms) VALUES (?, ?, ?, ?, ?, 0)").execute(Tuple.of(event.batchId(), event.runId(), through, completed ? 1 : 0, removed))
                .await().atMost(WAIT);
    }

    @Test
    void theBatchsEligibleRowsAreReadInItsSourcesDatabase() throws Exception {
        ArchiveBatchReady event = readyInTheSource(6, 2);
        assertThat(batches.table().count("run", event.scope().firstId(), event.scope().lastId())).as("none in the control database").isZero();

        ExportOutcome outcome = export.export(event);

        assertThat(outcome).isInstanceOf(Exported.class);
        long first = event.scope().firstId();
        assertThat(ReadyBatches.ids(((Exported) outcome).shard().file())).containsExactlyElementsOf(
                LongStream.rangeClosed(first, first + 5).boxed().toList());
    }

    @Test
    void aBatchTheDeleterBeganRemovingInTheSourceIsNotExportedAgain() throws Exception {
        ArchiveBatchReady event = readyInTheSource(5, 0);
        progress(event, event.scope().firstId() + 1, false, 2);

        assertThat(export.export(event)).isInstanceOf(AlreadyDeleting.class);
        assertThat(Files.exists(staged(event))).isFalse();
    }

    @Test
    void aBatchWhoseLastChunkCommittedInTheSourceIsTakenForDeletedThoughTheControlLedgerIsNotMarkedYet() throws Exception {
        ArchiveBatchReady event = readyInTheSource(4, 0);
        shop.pool.preparedQuery("DELETE FROM run WHERE id BETWEEN ? AND ?").execute(Tuple.of(event.scope().firstId(), event.scope().lastId()))
                .await().atMost(WAIT);
        progress(event, event.scope().lastId(), true, 4);

        assertThat(export.export(event)).isEqualTo(new AlreadyEnded(BatchState.DELETED));
        assertThat(Files.exists(staged(event))).as("no empty shard").isFalse();
    }
}
