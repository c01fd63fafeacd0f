package io.archiver.uploader.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.archiver.events.ArchiveShardExported;
import io.archiver.manifest.ManifestKeys;
import io.archiver.objectstore.ObjectWriter;
import io.archiver.uploader.ExportedShards;
import io.archiver.uploader.UploaderTestProfile;
import io.archiver.uploader.UploaderTestProfile.ProxiedS3;
import io.archiver.uploader.domain.UploadOutcome.Refused;
import io.archiver.uploader.domain.UploadOutcome.Rejected;
import io.archiver.uploader.domain.UploadOutcome.Uploaded;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/**
 * The uploader's decision, without Kafka, on the real S3 server (S3Proxy, through {@link ProxiedS3}'s forwarder, which
 * counts the GETs of each key): what becomes a verified object, when its bytes are read back, and each refusal reason.
 */
@QuarkusTest
@TestProfile(UploaderTestProfile.class)
class ShardUploadTest {

    @Inject
    ShardUpload upload;

    @Inject
    ExportedShards shards;

    @AfterEach
    void serverAnswersPassUnchanged() {
        ProxiedS3.proxy().corruptReads(false).hideChecksums(false);
    }

    @Test
    void promise1_anObjectWhoseSha256TheServerValidatedIsVerifiedByHeadWithoutReadingItsBytes() throws Exception {
        ArchiveShardExported event = shards.exported("id,subject\r\n1,a\r\n");
        int getsBefore = ProxiedS3.proxy().gets(event.objectKey());

        UploadOutcome outcome = upload.upload(event);

        assertThat(outcome).isInstanceOfSatisfying(Uploaded.class, u -> {
            assertThat(u.readBack()).isFalse();
            assertThat(u.object().key()).isEqualTo(event.objectKey());
            assertThat(u.object().bytes()).isEqualTo(event.fileBytes());
            assertThat(u.object().sha256Hex()).isEqualTo(event.fileSha256());
        });
        assertThat(ProxiedS3.proxy().gets(event.objectKey())).as("GETs of the object").isEqualTo(getsBefore);
        assertThat(ProxiedS3.proxy().gets(ManifestKeys.ofObject(event.objectKey()))).as("its manifest is read").isEqualTo(1);
    }

    @Test
    void promise1_whereTheServerReturnsNoChecksumTheObjectIsReadBackWholeAndVerified() throws Exception {
        ArchiveShardExported event = shards.exported("id,subject\r\n2,b\r\n");
        ProxiedS3.proxy().hideChecksums(true);

        UploadOutcome outcome = upload.upload(event);

        assertThat(outcome).isInstanceOfSatisfying(Uploaded.class, u -> {
            assertThat(u.readBack()).isTrue();
            assertThat(u.object().sha256Hex()).isEqualTo(event.fileSha256());
        });
        assertThat(ProxiedS3.proxy().gets(event.objectKey())).as("GETs of the object").isEqualTo(1);
    }

    @Test
    void objectVerificationFailed_bytesReadBackOtherThanThoseWrittenFailTheBatch() throws Exception {
        ArchiveShardExported event = shards.exported("bytes the store will return changed");
        ProxiedS3.proxy().hideChecksums(true).corruptReads(true);

        assertThat(upload.upload(event)).isInstanceOfSatisfying(Refused.class,
                r -> assertThat(r.reason()).isEqualTo(UploadReason.OBJECT_VERIFICATION_FAILED));
    }

    @Test
    void promise3_theSameEventTwiceIsVerifiedTwiceAndWritesNothing() throws Exception {
        ArchiveShardExported event = shards.exported("announced twice");

        assertThat(upload.upload(event)).isInstanceOf(Uploaded.class);
        assertThat(upload.upload(event)).isInstanceOf(Uploaded.class);
    }

    @Test
    void objectKeyConflict_promise6_aKeyHoldingOtherBytesIsNeverOverwritten() throws Exception {
        ArchiveShardExported event = shards.announced("the shard".getBytes(StandardCharsets.UTF_8));
        byte[] squatter = "someone else's bytes".getBytes(StandardCharsets.UTF_8);
        shards.put(event.objectKey(), squatter);
        assertThat(shards.putObject(event, "the shard".getBytes(StandardCharsets.UTF_8))).as("the exporter's put")
                .isEqualTo(ObjectWriter.Put.KEY_TAKEN);
        shards.putManifest(event, event.fileSha256());

        assertThat(upload.upload(event)).isInstanceOfSatisfying(Refused.class, r -> {
            assertThat(r.reason()).isEqualTo(UploadReason.OBJECT_KEY_CONFLICT);
            assertThat(r.detail()).contains("never overwritten");
        });
        assertThat(shards.object(event.objectKey())).isEqualTo(squatter);
    }

    @Test
    void objectKeyConflict_anObjectOfTheSameSizeWithAnotherValidatedSha256IsAConflictFoundWithoutReadingIt() throws Exception {
        byte[] mine = "the shard, 24 bytes long".getBytes(StandardCharsets.UTF_8);
        byte[] theirs = "their bytes, 24 in total".getBytes(StandardCharsets.UTF_8);
        ArchiveShardExported event = shards.announced(mine);
        ArchiveShardExported squatter = new ArchiveShardExported(event.eventId(), event.runId(), event.batchId(), event.occurredAt(),
                event.schemaVersion(), event.scope(), event.rowCount(), event.rowsDigest(), event.objectKey(), theirs.length,
                ExportedShards.sha256(theirs), event.compression());
        shards.putObject(squatter, theirs);
        shards.putManifest(event, event.fileSha256());

        assertThat(upload.upload(event)).isInstanceOfSatisfying(Refused.class, r -> {
            assertThat(r.reason()).isEqualTo(UploadReason.OBJECT_KEY_CONFLICT);
            assertThat(r.detail()).contains("validated by the server");
        });
        assertThat(ProxiedS3.proxy().gets(event.objectKey())).isZero();
    }

    @Test
    void objectKeyConflict_aManifestDescribingAnotherObjectIsRefused() throws Exception {
        ArchiveShardExported event = shards.announced("described".getBytes(StandardCharsets.UTF_8));
        shards.putObject(event, "described".getBytes(StandardCharsets.UTF_8));
        shards.putManifest(event, ExportedShards.sha256("something else".getBytes(StandardCharsets.UTF_8)));

        assertThat(upload.upload(event)).isInstanceOfSatisfying(Refused.class, r -> {
            assertThat(r.reason()).isEqualTo(UploadReason.OBJECT_KEY_CONFLICT);
            assertThat(r.detail()).contains(".manifest.json").contains("never overwritten");
        });
    }

    @Test
    void objectManifestMissing_anObjectWithoutItsManifestIsNotAnnounced() throws Exception {
        ArchiveShardExported event = shards.announced("undescribed".getBytes(StandardCharsets.UTF_8));
        shards.putObject(event, "undescribed".getBytes(StandardCharsets.UTF_8));

        assertThat(upload.upload(event)).isInstanceOfSatisfying(Refused.class,
                r -> assertThat(r.reason()).isEqualTo(UploadReason.OBJECT_MANIFEST_MISSING));
    }

    @Test
    void objectMissing_noObjectUnderTheKeyFailsTheBatch() throws Exception {
        ArchiveShardExported event = shards.announced("lost".getBytes(StandardCharsets.UTF_8));

        assertThat(upload.upload(event)).isInstanceOfSatisfying(Refused.class,
                r -> assertThat(r.reason()).isEqualTo(UploadReason.OBJECT_MISSING));
    }

    @Test
    void objectKeyName_aKeyOtherThanTheBatchsShardRejectsTheEvent() throws Exception {
        ArchiveShardExported e = shards.exported("mine");
        String otherKey = e.objectKey().substring(0, e.objectKey().lastIndexOf('/') + 1) + "another-batch.csv.gz";
        ArchiveShardExported other = new ArchiveShardExported(e.eventId(), e.runId(), e.batchId(), e.occurredAt(), e.schemaVersion(),
                e.scope(), e.rowCount(), e.rowsDigest(), otherKey, e.fileBytes(), e.fileSha256(), e.compression());

        assertThat(upload.upload(other)).isInstanceOfSatisfying(Rejected.class,
                r -> assertThat(r.reason()).isEqualTo(UploadReason.OBJECT_KEY_NAME));
    }

    @Test
    void objectKeyName_aKeyOutsideThePolicysPrefixRejectsTheEvent() throws Exception {
        ArchiveShardExported e = shards.exported("mine too");
        String fileName = e.objectKey().substring(e.objectKey().lastIndexOf('/') + 1);
        ArchiveShardExported other = new ArchiveShardExported(e.eventId(), e.runId(), e.batchId(), e.occurredAt(), e.schemaVersion(),
                e.scope(), e.rowCount(), e.rowsDigest(), "elsewhere/" + fileName, e.fileBytes(), e.fileSha256(), e.compression());

        assertThat(upload.upload(other)).isInstanceOfSatisfying(Rejected.class,
                r -> assertThat(r.reason()).isEqualTo(UploadReason.OBJECT_KEY_NAME));
    }
}
