package io.archiver.exporter.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;

import jakarta.inject.Inject;

import org.eclipse.microprofile.reactive.messaging.spi.Connector;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.archiver.events.ArchiveBatchReady;
import io.archiver.events.ArchiveEvent;
import io.archiver.events.ArchiveShardExported;
import io.archiver.events.EventCodec;
import io.archiver.events.EventDecodingException;
import io.archiver.events.ShardCompression;
import io.archiver.exporter.ExporterTestProfile;
import io.archiver.exporter.ReadyBatches;
import io.archiver.ledger.BatchState;
import io.archiver.support.policy.PolicyViolation;
import io.archiver.support.testing.ChannelRecords;
import io.archiver.support.testing.ChannelRecords.Delivery;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.reactive.messaging.memory.InMemoryConnector;
import io.smallrye.reactive.messaging.memory.InMemorySink;
import io.smallrye.reactive.messaging.memory.InMemorySource;

/** The exporter's Kafka edge, on in-memory channels: what it announces for each outcome, and what it dead-letters. */
@QuarkusTest
@TestProfile(ExporterTestProfile.class)
class BatchExportHandlerTest {

    @Inject
    @Connector("smallrye-in-memory")
    InMemoryConnector connector;

    @Inject
    ReadyBatches batches;

    @Inject
    io.archiver.objectstore.ObjectStore store;

    private InMemorySource<Object> batchesIn;
    private InMemorySink<ArchiveEvent> shards;

    @BeforeEach
    void channels() {
        batchesIn = connector.source("batches");
        shards = connector.sink("shards-out");
    }

    @Test
    void aReadyBatchIsAnnouncedWithTheKeyAndFiguresOfTheObjectItPutAndItsScratchFileIsRemoved() throws Exception {
        ArchiveBatchReady event = batches.ready(7, 1);

        Delivery delivery = ChannelRecords.send(batchesIn, EventCodec.encode(event));

        assertThat(delivery.acks).hasValue(1);
        assertThat(ChannelRecords.published(shards, ArchiveShardExported.class, event.batchId())).singleElement().satisfies(exported -> {
            assertThat(exported.rowCount()).isEqualTo(7);
            assertThat(exported.compression()).isEqualTo(ShardCompression.GZIP);
            assertThat(exported.scope()).isEqualTo(event.scope());
            assertThat(exported.objectKey()).startsWith(io.archiver.support.policy.PolicySettings.defaults("run").keyPrefix());
            byte[] bytes = store.client().getObjectAsBytes(b -> b.bucket(store.bucket()).key(exported.objectKey())).asByteArray();
            assertThat(exported.fileBytes()).isEqualTo(bytes.length);
            assertThat(exported.fileSha256()).isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)));
            String fileName = exported.objectKey().substring(exported.objectKey().lastIndexOf('/') + 1);
            assertThat(Path.of(ExporterTestProfile.SCRATCH).resolve(fileName)).as("the scratch file, after the announcement").doesNotExist();
        });
    }

    @Test
    void promise3_theSameRecordTwiceAnnouncesTheSameShardTwice() {
        ArchiveBatchReady event = batches.ready(3, 0);
        byte[] payload = EventCodec.encode(event);

        ChannelRecords.send(batchesIn, payload);
        ChannelRecords.send(batchesIn, payload);

        assertThat(ChannelRecords.published(shards, ArchiveShardExported.class, event.batchId())).hasSize(2)
                .extracting(ArchiveShardExported::fileSha256).containsOnly(
                        ChannelRecords.published(shards, ArchiveShardExported.class, event.batchId()).get(0).fileSha256());
    }

    @Test
    void aBatchPastExportingIsAcknowledgedAndAnnouncesNothing() {
        ArchiveBatchReady event = batches.ready(3, 0);
        batches.ledger().state(event.batchId(), BatchState.FAILED);

        Delivery delivery = ChannelRecords.send(batchesIn, EventCodec.encode(event));

        assertThat(delivery.acks).hasValue(1);
        assertThat(ChannelRecords.published(shards, event.batchId())).isEmpty();
    }

    @Test
    void anUnknownBatchIsDeadLetteredWithItsReason() {
        ArchiveBatchReady planned = batches.ready(1, 0);
        ArchiveBatchReady forged = ArchiveBatchReady.of(planned.runId(), planned.batchId() + "-forged", planned.scope(), 1);

        Delivery delivery = ChannelRecords.send(batchesIn, EventCodec.encode(forged));

        assertThat(delivery.nacks).singleElement().isInstanceOfSatisfying(PolicyViolation.class,
                v -> assertThat(v.reason()).isEqualTo("UNKNOWN_BATCH"));
        assertThat(ChannelRecords.published(shards, forged.batchId())).isEmpty();
    }

    @Test
    void aMalformedRecordIsDeadLettered() {
        Delivery delivery = ChannelRecords.send(batchesIn, "[1, 2".getBytes(StandardCharsets.UTF_8));

        assertThat(delivery.nacks).singleElement().isInstanceOf(EventDecodingException.class);
    }
}
