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
import io.archiver.exporter.domain.ExportOutcome.Exported;
import io.archiver.exporter.domain.ExportOutcome.Rejected;
import io.archiver.exporter.storage.StagedShard;
import io.archiver.manifest.ArchiveManifest;
import io.archiver.manifest.ManifestCodec;
import io.archiver.manifest.ManifestKeys;
import io.archiver.objectstore.ObjectHead;
import io.archiver.objectstore.ObjectStore;
import io.archiver.support.policy.PolicySettings;
import io.archiver.rows.ShardFormat;
import io.archiver.ledger.BatchState;
import io.archiver.support.policy.PolicyViolation;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** The exporter's decision, without Kafka, on the real MariaDB and S3 server: what is put in S3, what never is, each refusal reason. */
@QuarkusTest
@TestProfile(ExporterTestProfile.class)
class BatchExportTest {

    @Inject
    BatchExport export;

    @Inject
    ReadyBatches batches;

    @Inject
    ObjectStore store;

    private static Path scratch(ArchiveBatchReady event) {
        return Path.of(ExporterTestProfile.SCRATCH).resolve(ArchiveObjectKey.fileName(event.runId(), event.scope(), ShardCompression.GZIP));
    }

    private static String key(ArchiveBatchReady event) {
        return PolicySettings.defaults("run").keyPrefix() + ArchiveObjectKey.fileName(event.runId(), event.scope(), ShardCompression.GZIP);
    }

    @Test
    void promise2_theBatchsEligibleRowsAndNoneAtOrAfterTheCutoffArePutInS3UnderTheirKeyWithTheirManifest() throws Exception {
        ArchiveBatchReady event = batches.ready(10, 3);

        ExportOutcome outcome = export.export(event);

        assertThat(outcome).isInstanceOf(Exported.class);
        Exported exported = (Exported) outcome;
        StagedShard shard = exported.shard();
        assertThat(exported.objectKey()).isEqualTo(key(event));
        assertThat(exported.keyTaken()).isFalse();
        assertThat(shard.file()).isEqualTo(scratch(event));
        assertThat(shard.rowCount()).isEqualTo(10);
        assertThat(shard.fileBytes()).isEqualTo(Files.size(shard.file()));
        long first = event.scope().firstId();
        assertThat(ReadyBatches.ids(shard.file())).as("read in pages of 3, in id order").containsExactlyElementsOf(
                LongStream.rangeClosed(first, first + 9).boxed().toList());
        assertThat(store.head(key(event))).as("the object, its SHA-256 validated and kept by the server")
                .contains(new ObjectHead(key(event), shard.fileBytes(), shard.fileSha256()));
        assertThat(store.read(key(event), null).sha256Hex()).isEqualTo(shard.fileSha256());
        theObjectsManifestDescribesTheShard(event, shard);

        export.release(exported);
        assertThat(shard.file()).as("the scratch file, once announced").doesNotExist();
        assertThat(StagedShard.find(shard.file())).isEmpty();
    }

    /** Issue 23: the object's manifest, put beside the object in S3. */
    private void theObjectsManifestDescribesTheShard(ArchiveBatchReady event, StagedShard shard) throws Exception {
        ArchiveManifest manifest = ManifestCodec.decode(store.readSmall(ManifestKeys.ofObject(key(event))).orElseThrow());
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
    void aBatchWithoutEligibleRowsIsPutAsAnEmptyShardWithTheTablesHeader() throws Exception {
        ArchiveBatchReady event = batches.ready(0, 2);

        ExportOutcome outcome = export.export(event);

        assertThat(outcome).isInstanceOfSatisfying(Exported.class, e -> assertThat(e.shard().rowCount()).isZero());
        assertThat(ReadyBatches.ids(scratch(event))).isEmpty();
        theObjectsManifestDescribesTheShard(event, ((Exported) outcome).shard());
    }

    @Test
    void promise3_aRedeliveredBatchFindsItsKeyTakenByTheSameBytesAndWritesNothing() throws Exception {
        ArchiveBatchReady event = batches.ready(4, 0);
        Exported first = (Exported) export.export(event);
        export.release(first);

        Exported again = (Exported) export.export(event);

        assertThat(again.keyTaken()).isTrue();
        assertThat(again.shard().fileSha256()).as("the same rows give the same bytes").isEqualTo(first.shard().fileSha256());
        assertThat(store.head(key(event)).orElseThrow().serverSha256Hex()).isEqualTo(first.shard().fileSha256());
    }

    @Test
    void promise6_aRedeliveryAfterARowChangedNeverOverwritesTheObjectAndAnnouncesTheObjectAlreadyThere() throws Exception {
        ArchiveBatchReady event = batches.ready(4, 0);
        Exported first = (Exported) export.export(event);
        export.release(first);
        byte[] manifest = store.readSmall(ManifestKeys.ofObject(key(event))).orElseThrow();
        batches.table().update(event.scope().firstId(), "changed after the export: a rewrite would show it");

        Exported again = (Exported) export.export(event);

        assertThat(again.keyTaken()).isTrue();
        assertThat(again.shard()).as("the earlier export's figures: the batch goes on with that object, the deleter keeps the changed row")
                .extracting(StagedShard::rowCount, StagedShard::rowsDigest, StagedShard::fileBytes, StagedShard::fileSha256)
                .containsExactly(first.shard().rowCount(), first.shard().rowsDigest(), first.shard().fileBytes(), first.shard().fileSha256());
        assertThat(store.read(key(event), null).sha256Hex()).as("the object as first written").isEqualTo(first.shard().fileSha256());
        assertThat(store.readSmall(ManifestKeys.ofObject(key(event)))).get().isEqualTo(manifest);
        export.release(again);
        assertThat(scratch(event)).as("the new shard's scratch file").doesNotExist();
    }

    @Test
    void promise6_aKeyTakenWithoutTheObjectsManifestIsAnnouncedWithItsOwnFiguresForTheUploaderToRefuse() throws Exception {
        ArchiveBatchReady event = batches.ready(4, 0);
        Exported first = (Exported) export.export(event);
        export.release(first);
        store.client().deleteObject(b -> b.bucket(store.bucket()).key(ManifestKeys.ofObject(key(event)))); // cut before its manifest
        batches.table().update(event.scope().firstId(), "changed after the export: a rewrite would show it");

        Exported again = (Exported) export.export(event);

        assertThat(again.keyTaken()).isTrue();
        assertThat(again.shard().fileSha256()).as("its own figures: the uploader finds the conflict").isNotEqualTo(first.shard().fileSha256());
        assertThat(store.read(key(event), null).sha256Hex()).as("the object as first written").isEqualTo(first.shard().fileSha256());
    }

    @Test
    void aBatchTheLedgerShowsEndedIsNotExported() throws Exception {
        ArchiveBatchReady event = batches.ready(3, 0);
        batches.ledger().state(event.batchId(), BatchState.DELETED);

        assertThat(export.export(event)).isEqualTo(new AlreadyEnded(BatchState.DELETED));
        assertThat(scratch(event)).doesNotExist();
        assertThat(store.head(key(event))).isEmpty();
    }

    @Test
    void aBatchWhoseRowsTheDeleterBeganRemovingIsNotExportedAgain() throws Exception {
        ArchiveBatchReady event = batches.ready(5, 0);
        batches.ledger().removedThrough(event.batchId(), event.scope().firstId() + 1, 2);

        assertThat(export.export(event)).isInstanceOfSatisfying(AlreadyDeleting.class,
                d -> assertThat(d.detail()).contains("removed rows through id " + (event.scope().firstId() + 1), "(2 rows)"));
        assertThat(scratch(event)).doesNotExist();
        assertThat(store.head(key(event))).isEmpty();
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
        assertThat(scratch(forged)).doesNotExist();
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
