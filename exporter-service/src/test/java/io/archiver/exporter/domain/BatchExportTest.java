package io.archiver.exporter.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.LongStream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.archiver.events.ArchiveBatchReady;
import io.archiver.events.ArchiveObjectKey;
import io.archiver.events.BatchScope;
import io.archiver.events.ShardCompression;
import io.archiver.exporter.ExporterTestProfile;
import io.archiver.exporter.ReadyBatches;
import io.archiver.exporter.domain.ExportOutcome.AlreadyDeleting;
import io.archiver.exporter.domain.ExportOutcome.AlreadyEnded;
import io.archiver.exporter.domain.ExportOutcome.AlreadyStaged;
import io.archiver.exporter.domain.ExportOutcome.Exported;
import io.archiver.exporter.domain.ExportOutcome.Rejected;
import io.archiver.exporter.storage.StagedShard;
import io.archiver.manifest.ArchiveManifest;
import io.archiver.manifest.ManifestCodec;
import io.archiver.rows.ShardFormat;
import io.archiver.ledger.BatchState;
import io.archiver.support.policy.PolicyViolation;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** The exporter's decision, without Kafka, on the real MariaDB: what is staged, what never is, each refusal reason. */
@QuarkusTest
@TestProfile(ExporterTestProfile.class)
class BatchExportTest {

    @Inject
    BatchExport export;

    @Inject
    ReadyBatches batches;

    private static Path staged(ArchiveBatchReady event) {
        return Path.of(ExporterTestProfile.STAGING).resolve(ArchiveObjectKey.fileName(event.runId(), event.scope(), ShardCompression.GZIP));
    }

    @Test
    void promise2_theBatchsEligibleRowsAndNoneAtOrAfterTheCutoffAreStagedWithTheirManifest() throws Exception {
        ArchiveBatchReady event = batches.ready(10, 3);

        ExportOutcome outcome = export.export(event);

        assertThat(outcome).isInstanceOf(Exported.class);
        StagedShard shard = ((Exported) outcome).shard();
        assertThat(shard.file()).isEqualTo(staged(event));
        assertThat(shard.rowCount()).isEqualTo(10);
        assertThat(shard.fileBytes()).isEqualTo(Files.size(shard.file()));
        long first = event.scope().firstId();
        assertThat(ReadyBatches.ids(shard.file())).as("read in pages of 3, in id order").containsExactlyElementsOf(
                LongStream.rangeClosed(first, first + 9).boxed().toList());
        assertThat(StagedShard.find(shard.file())).as("with its manifest").contains(shard);
        theObjectsManifestDescribesTheShard(event, shard);
    }

    /** Issue 23: the object's manifest staged beside the shard, for the uploader to put beside the object. */
    private static void theObjectsManifestDescribesTheShard(ArchiveBatchReady event, StagedShard shard) throws Exception {
        ArchiveManifest manifest = ManifestCodec.decode(Files.readAllBytes(StagedShard.objectManifestOf(shard.file())));
        ShardFormat.Parsed parsed;
        try (var in = new java.io.InputStreamReader(new java.util.zip.GZIPInputStream(Files.newInputStream(shard.file())),
                java.nio.charset.StandardCharsets.UTF_8)) {
            parsed = ShardFormat.parse(in);
        }
        assertThat(manifest.runId()).isEqualTo(event.runId());
        assertThat(manifest.policy()).isEqualTo(event.scope().policy());
        assertThat(manifest.keyColumn()).isEqualTo("id");
        assertThat(manifest.dateColumn()).isEqualTo("msg_sent_date");
        assertThat(manifest.columns().stream().map(ArchiveManifest.Column::name).toList()).isEqualTo(parsed.header());
        assertThat(manifest.columns()).filteredOn(c -> c.name().equals("msg_sent_date")).singleElement()
                .satisfies(c -> assertThat(c.sqlType()).startsWith("bigint"));
        ArchiveManifest.ObjectEntry entry = manifest.objects().get(0);
        assertThat(entry.key()).endsWith("/" + shard.file().getFileName());
        assertThat(entry.firstKey()).isEqualTo(Long.toString(event.scope().firstId()));
        assertThat(entry.lastKey()).isEqualTo(Long.toString(event.scope().lastId()));
        assertThat(entry.rows()).isEqualTo(shard.rowCount());
        assertThat(entry.bytes()).isEqualTo(shard.fileBytes());
        assertThat(entry.sha256()).isEqualTo(shard.fileSha256());
        assertThat(entry.rowsDigest()).isEqualTo(shard.rowsDigest());
        assertThat(entry.codec()).isEqualTo(ArchiveManifest.CSV_GZIP);
        int date = parsed.header().indexOf("msg_sent_date");
        List<Long> dates = parsed.rows().stream().map(r -> Long.parseLong(r.get(date))).sorted().toList();
        if (dates.isEmpty()) {
            assertThat(entry.minDate()).isNull();
            assertThat(entry.maxDate()).isNull();
        } else {
            assertThat(entry.minDate()).isEqualTo(dates.get(0).toString());
            assertThat(entry.maxDate()).isEqualTo(dates.get(dates.size() - 1).toString());
        }
    }

    @Test
    void aBatchWithoutEligibleRowsIsStagedAsAnEmptyShardWithTheTablesHeader() throws Exception {
        ArchiveBatchReady event = batches.ready(0, 2);

        ExportOutcome outcome = export.export(event);

        assertThat(outcome).isInstanceOfSatisfying(Exported.class, e -> assertThat(e.shard().rowCount()).isZero());
        assertThat(ReadyBatches.ids(staged(event))).isEmpty();
        theObjectsManifestDescribesTheShard(event, ((Exported) outcome).shard());
    }

    @Test
    void promise3_aRedeliveredBatchFindsItsShardStagedAndDoesNotWriteItAgain() throws Exception {
        ArchiveBatchReady event = batches.ready(4, 0);
        StagedShard first = ((Exported) export.export(event)).shard();
        long written = Files.getLastModifiedTime(first.file()).toMillis();
        batches.table().update(event.scope().firstId(), "changed after the export: a rewrite would show it");

        assertThat(export.export(event)).isEqualTo(new AlreadyStaged(first));
        assertThat(Files.getLastModifiedTime(first.file()).toMillis()).isEqualTo(written);
    }

    @Test
    void aBatchTheLedgerShowsEndedIsNotExported() throws Exception {
        ArchiveBatchReady event = batches.ready(3, 0);
        batches.ledger().state(event.batchId(), BatchState.DELETED);

        assertThat(export.export(event)).isEqualTo(new AlreadyEnded(BatchState.DELETED));
        assertThat(staged(event)).doesNotExist();
    }

    @Test
    void aBatchWhoseRowsTheDeleterBeganRemovingIsNotExportedAgain() throws Exception {
        ArchiveBatchReady event = batches.ready(5, 0);
        batches.ledger().removedThrough(event.batchId(), event.scope().firstId() + 1, 2);

        assertThat(export.export(event)).isInstanceOfSatisfying(AlreadyDeleting.class,
                d -> assertThat(d.detail()).contains("removed rows through id " + (event.scope().firstId() + 1), "(2 rows)"));
        assertThat(staged(event)).doesNotExist();
    }

    @Test
    void unknownBatch_aBatchTheScannerNeverPlannedRejectsTheEvent() throws Exception {
        ArchiveBatchReady planned = batches.ready(2, 0);
        ArchiveBatchReady forged = ArchiveBatchReady.of(planned.runId(), planned.batchId() + "-forged", planned.scope(), 2);

        assertThat(export.export(forged)).isInstanceOfSatisfying(Rejected.class,
                r -> assertThat(r.reason()).isEqualTo(ExportReason.UNKNOWN_BATCH));
    }

    @Test
    void batchMismatch_aBatchTheLedgerHasWithAnotherRangeRejectsTheEvent() throws Exception {
        ArchiveBatchReady planned = batches.ready(2, 0);
        BatchScope s = planned.scope();
        BatchScope wider = new BatchScope(s.policy(), s.table(), s.cutoffEpochMs(), s.firstId(), s.lastId() + 500, s.mode(), s.runDate());
        ArchiveBatchReady forged = ArchiveBatchReady.of(planned.runId(), planned.batchId(), wider, 2);

        assertThat(export.export(forged)).isInstanceOfSatisfying(Rejected.class, r -> {
            assertThat(r.reason()).isEqualTo(ExportReason.BATCH_MISMATCH);
            assertThat(r.detail()).contains("not " + s.firstId() + ".." + (s.lastId() + 500));
        });
        assertThat(staged(forged)).doesNotExist();
    }

    @Test
    void promise2_aTableNoPolicyNamesIsNeverRead() {
        ArchiveBatchReady planned = batches.ready(2, 0);
        BatchScope s = planned.scope();
        ArchiveBatchReady otherTable = ArchiveBatchReady.of(planned.runId(), planned.batchId(),
                new BatchScope(s.policy(), "run_archive", s.cutoffEpochMs(), s.firstId(), s.lastId(), s.mode(), s.runDate()), 2);

        assertThatThrownBy(() -> export.export(otherTable)).isInstanceOfSatisfying(PolicyViolation.class,
                v -> assertThat(v.reason()).isEqualTo("TABLE_NOT_IN_POLICY"));
    }
}
