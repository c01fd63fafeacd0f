package io.archiver.uploader.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.archiver.events.ArchiveShardExported;
import io.archiver.manifest.ManifestKeys;
import io.archiver.uploader.StagedShards;
import io.archiver.uploader.UploaderTestProfile;
import io.archiver.uploader.UploaderTestProfile.ProxiedS3;
import io.archiver.uploader.domain.UploadOutcome.Refused;
import io.archiver.uploader.domain.UploadOutcome.Rejected;
import io.archiver.uploader.domain.UploadOutcome.Uploaded;
import io.archiver.uploader.storage.StagedFiles;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** The uploader's decision, without Kafka, on the real S3 server: what becomes a verified object, and each refusal reason. */
@QuarkusTest
@TestProfile(UploaderTestProfile.class)
class ShardUploadTest {

    @Inject
    ShardUpload upload;

    @Inject
    StagedShards shards;

    @AfterEach
    void readsPassUnchanged() {
        ProxiedS3.proxy().corruptReads(false);
    }

    @Test
    void promise1_aStagedShardIsPutUnderItsKeyAndVerifiedAsReadBack() throws Exception {
        ArchiveShardExported event = shards.staged("id,subject\r\n1,a\r\n");

        UploadOutcome outcome = upload.upload(event);

        assertThat(outcome).isInstanceOfSatisfying(Uploaded.class, u -> {
            assertThat(u.alreadyPresent()).isFalse();
            assertThat(u.object().key()).isEqualTo(shards.key(event));
            assertThat(u.object().bytes()).isEqualTo(event.fileBytes());
            assertThat(u.object().sha256Hex()).isEqualTo(event.fileSha256());
        });
        assertThat(shards.object(shards.key(event))).asString(StandardCharsets.UTF_8).isEqualTo("id,subject\r\n1,a\r\n");
        Path file = shards.file(event.stagedFile());
        assertThat(file).as("kept until the announcement is acknowledged").exists();

        upload.release((Uploaded) outcome);
        assertThat(file).doesNotExist();
        assertThat(StagedShards.manifest(file)).doesNotExist();
    }

    @Test
    void issue23_theObjectsManifestStagedBesideTheShardIsPutBesideTheObjectBeforeItIsAnnounced() throws Exception {
        ArchiveShardExported event = shards.staged("id\r\n1\r\n");
        Path file = shards.file(event.stagedFile());
        byte[] manifest = "{\"formatVersion\" : 1}".getBytes(StandardCharsets.UTF_8);
        Files.write(StagedFiles.objectManifestOf(file), manifest);

        assertThat(upload.upload(event)).isInstanceOf(Uploaded.class);
        assertThat(shards.object(ManifestKeys.ofObject(shards.key(event)))).isEqualTo(manifest);

        // a replay while the shard is still staged finds the same manifest and is not refused
        UploadOutcome again = upload.upload(event);
        assertThat(again).isInstanceOf(Uploaded.class);
        upload.release((Uploaded) again);
        assertThat(StagedFiles.objectManifestOf(file)).as("removed with the shard").doesNotExist();
    }

    @Test
    void objectKeyConflict_aManifestKeyHoldingAnotherDescriptionIsNeverOverwritten() throws Exception {
        ArchiveShardExported event = shards.staged("described");
        Files.write(StagedFiles.objectManifestOf(shards.file(event.stagedFile())), "{\"mine\" : 1}".getBytes(StandardCharsets.UTF_8));
        byte[] squatter = "{\"theirs\" : 2}".getBytes(StandardCharsets.UTF_8);
        shards.put(ManifestKeys.ofObject(shards.key(event)), squatter);

        assertThat(upload.upload(event)).isInstanceOfSatisfying(Refused.class, r -> {
            assertThat(r.reason()).isEqualTo(UploadReason.OBJECT_KEY_CONFLICT);
            assertThat(r.detail()).contains(".manifest.json").contains("never overwritten");
        });
        assertThat(shards.object(ManifestKeys.ofObject(shards.key(event)))).isEqualTo(squatter);
    }

    @Test
    void promise3_aReplayWhoseShardIsGoneFindsItsObjectAndVerifiesIt() throws Exception {
        ArchiveShardExported event = shards.staged("replayed shard");
        upload.release((Uploaded) upload.upload(event));

        assertThat(upload.upload(event)).isInstanceOfSatisfying(Uploaded.class, u -> {
            assertThat(u.alreadyPresent()).isTrue();
            assertThat(u.stagedFile()).isNull();
            assertThat(u.object().sha256Hex()).isEqualTo(event.fileSha256());
        });
    }

    @Test
    void promise3_aReplayWhileTheShardIsStillStagedFindsTheSameBytesAndWritesNothing() throws Exception {
        ArchiveShardExported event = shards.staged("staged twice");
        upload.upload(event);

        assertThat(upload.upload(event)).isInstanceOfSatisfying(Uploaded.class, u -> assertThat(u.alreadyPresent()).isTrue());
    }

    @Test
    void objectKeyConflict_promise6_aKeyHoldingOtherBytesIsNeverOverwritten() throws Exception {
        ArchiveShardExported event = shards.staged("the shard");
        byte[] squatter = "someone else's bytes".getBytes(StandardCharsets.UTF_8);
        shards.put(shards.key(event), squatter);

        assertThat(upload.upload(event)).isInstanceOfSatisfying(Refused.class, r -> {
            assertThat(r.reason()).isEqualTo(UploadReason.OBJECT_KEY_CONFLICT);
            assertThat(r.detail()).contains("never overwritten");
        });
        assertThat(shards.object(shards.key(event))).isEqualTo(squatter);
    }

    @Test
    void objectVerificationFailed_bytesReadBackOtherThanThoseWrittenFailTheBatch() throws Exception {
        ArchiveShardExported event = shards.staged("bytes the store will return changed");
        ProxiedS3.proxy().corruptReads(true);

        assertThat(upload.upload(event)).isInstanceOfSatisfying(Refused.class,
                r -> assertThat(r.reason()).isEqualTo(UploadReason.OBJECT_VERIFICATION_FAILED));
        assertThat(shards.file(event.stagedFile())).as("the staged shard stays").exists();
    }

    @Test
    void stagedFileCorrupt_aStagedFileOtherThanTheExportAnnouncedIsNotUploaded() throws Exception {
        ArchiveShardExported event = shards.staged("as exported");
        Files.writeString(shards.file(event.stagedFile()), "changed on the volume");

        assertThat(upload.upload(event)).isInstanceOfSatisfying(Refused.class,
                r -> assertThat(r.reason()).isEqualTo(UploadReason.STAGED_FILE_CORRUPT));
        assertThat(shards.exists(shards.key(event))).isFalse();
    }

    @Test
    void stagedFileMissing_neitherTheShardNorItsObjectFailsTheBatch() throws Exception {
        ArchiveShardExported event = shards.staged("lost");
        Files.delete(shards.file(event.stagedFile()));

        assertThat(upload.upload(event)).isInstanceOfSatisfying(Refused.class,
                r -> assertThat(r.reason()).isEqualTo(UploadReason.STAGED_FILE_MISSING));
    }

    @Test
    void stagedFileName_aFileOtherThanTheBatchsShardRejectsTheEvent() throws Exception {
        ArchiveShardExported e = shards.staged("mine");
        ArchiveShardExported other = new ArchiveShardExported(e.eventId(), e.runId(), e.batchId(), e.occurredAt(), e.schemaVersion(),
                e.scope(), e.rowCount(), e.rowsDigest(), "another-batch.csv.gz", e.fileBytes(), e.fileSha256(), e.compression());

        assertThat(upload.upload(other)).isInstanceOfSatisfying(Rejected.class,
                r -> assertThat(r.reason()).isEqualTo(UploadReason.STAGED_FILE_NAME));
        assertThat(shards.exists(shards.key(e))).isFalse();
    }
}
