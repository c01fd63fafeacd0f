package io.archiver.uploader.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import jakarta.inject.Inject;

import org.eclipse.microprofile.reactive.messaging.spi.Connector;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.archiver.events.ArchiveBatchFailed;
import io.archiver.events.ArchiveEvent;
import io.archiver.events.ArchiveShardExported;
import io.archiver.events.ArchiveUploaded;
import io.archiver.events.EventCodec;
import io.archiver.events.PipelineStage;
import io.archiver.objectstore.ObjectStore;
import io.archiver.support.policy.PolicyViolation;
import io.archiver.support.testing.ChannelRecords;
import io.archiver.support.testing.ChannelRecords.Delivery;
import io.archiver.uploader.ExportedShards;
import io.archiver.uploader.UploaderTestProfile;
import io.archiver.uploader.UploaderTestProfile.ProxiedS3;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.reactive.messaging.memory.InMemoryConnector;
import io.smallrye.reactive.messaging.memory.InMemorySink;
import io.smallrye.reactive.messaging.memory.InMemorySource;

/** The uploader's Kafka edge, on in-memory channels: what it announces for each outcome, what it retries, what it dead-letters. */
@QuarkusTest
@TestProfile(UploaderTestProfile.class)
class ShardUploadHandlerTest {

    @Inject
    @Connector("smallrye-in-memory")
    InMemoryConnector connector;

    @Inject
    ExportedShards shards;

    @Inject
    ObjectStore store;

    @Inject
    MeterRegistry registry;

    private InMemorySource<Object> shardsIn;
    private InMemorySink<ArchiveEvent> uploads;
    private InMemorySink<ArchiveEvent> completions;

    @BeforeEach
    void channels() {
        shardsIn = connector.source("shards");
        uploads = connector.sink("uploads-out");
        completions = connector.sink("completions-out");
    }

    @Test
    void aVerifiedObjectIsAnnouncedWithWhatS3Holds() throws Exception {
        ArchiveShardExported event = shards.exported("id\r\n1\r\n");

        Delivery delivery = ChannelRecords.send(shardsIn, EventCodec.encode(event));

        assertThat(delivery.acks).hasValue(1);
        assertThat(ChannelRecords.published(uploads, ArchiveUploaded.class, event.batchId())).singleElement().satisfies(uploaded -> {
            assertThat(uploaded.bucket()).isEqualTo(store.bucket());
            assertThat(uploaded.objectKey()).isEqualTo(event.objectKey());
            assertThat(uploaded.objectBytes()).isEqualTo(event.fileBytes());
            assertThat(uploaded.objectSha256()).isEqualTo(event.fileSha256());
            assertThat(uploaded.rowCount()).isEqualTo(event.rowCount());
            assertThat(uploaded.rowsDigest()).isEqualTo(event.rowsDigest());
        });
    }

    @Test
    void promise3_theSameRecordTwiceAnnouncesTheSameObjectTwice() throws Exception {
        ArchiveShardExported event = shards.exported("sent twice");
        byte[] payload = EventCodec.encode(event);

        ChannelRecords.send(shardsIn, payload);
        Delivery again = ChannelRecords.send(shardsIn, payload);

        assertThat(again.acks).hasValue(1);
        assertThat(ChannelRecords.published(uploads, ArchiveUploaded.class, event.batchId())).hasSize(2)
                .allSatisfy(u -> assertThat(u.objectSha256()).isEqualTo(event.fileSha256()));
    }

    @Test
    void aConflictIsAnnouncedAsAFailedBatchAndNoUpload() throws Exception {
        ArchiveShardExported event = shards.announced("the shard".getBytes(StandardCharsets.UTF_8));
        shards.put(event.objectKey(), "other bytes".getBytes(StandardCharsets.UTF_8));
        shards.putManifest(event, event.fileSha256());

        Delivery delivery = ChannelRecords.send(shardsIn, EventCodec.encode(event));

        assertThat(delivery.acks).hasValue(1);
        assertThat(ChannelRecords.published(completions, ArchiveBatchFailed.class, event.batchId())).singleElement().satisfies(failed -> {
            assertThat(failed.stage()).isEqualTo(PipelineStage.UPLOAD);
            assertThat(failed.reason()).isEqualTo("OBJECT_KEY_CONFLICT");
        });
        assertThat(ChannelRecords.published(uploads, event.batchId())).isEmpty();
    }

    @Test
    void anS3ThatAnswers503IsRetriedUntilTheVerificationSucceeds() throws Exception {
        ArchiveShardExported event = shards.exported("verified while S3 is overloaded");
        double retriesBefore = registry.find("archiver.retries").tag("channel", "shards").counters().stream().mapToDouble(c -> c.count()).sum();
        int failedBefore = ProxiedS3.proxy().failedHeads();
        // more than the AWS SDK's own attempts absorb (3 attempts of a HEAD by its standard retry mode), fewer than three of
        // the handler's attempts would meet: the handler's retry takes over and a later attempt succeeds
        ProxiedS3.proxy().failNextHeads(5);

        Delivery delivery = ChannelRecords.send(shardsIn, EventCodec.encode(event));

        assertThat(delivery.acks).hasValue(1);
        assertThat(ProxiedS3.proxy().failedHeads() - failedBefore).isEqualTo(5);
        assertThat(registry.find("archiver.retries").tag("channel", "shards").counters().stream().mapToDouble(c -> c.count()).sum())
                .isGreaterThan(retriesBefore);
        assertThat(ChannelRecords.published(uploads, ArchiveUploaded.class, event.batchId())).hasSize(1);
    }

    @Test
    void anObjectKeyNamedForAnotherBatchIsDeadLettered() throws Exception {
        ArchiveShardExported e = shards.exported("mine");
        ArchiveShardExported other = new ArchiveShardExported(e.eventId(), e.runId(), e.batchId(), e.occurredAt(), e.schemaVersion(),
                e.scope(), e.rowCount(), e.rowsDigest(), e.objectKey().replace("run_archive_", "another_archive_"), e.fileBytes(),
                e.fileSha256(), e.compression());

        Delivery delivery = ChannelRecords.send(shardsIn, EventCodec.encode(other));

        assertThat(delivery.nacks).singleElement().isInstanceOfSatisfying(PolicyViolation.class,
                v -> assertThat(v.reason()).isEqualTo("OBJECT_KEY_NAME"));
        assertThat(ChannelRecords.published(uploads, e.batchId())).isEmpty();
        assertThat(ChannelRecords.published(completions, e.batchId())).isEmpty();
    }
}
