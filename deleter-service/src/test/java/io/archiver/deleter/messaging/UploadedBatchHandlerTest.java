package io.archiver.deleter.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;

import jakarta.inject.Inject;

import org.eclipse.microprofile.reactive.messaging.spi.Connector;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.archiver.deleter.DeleterTestProfile;
import io.archiver.deleter.UploadedBatches;
import io.archiver.deleter.UploadedBatches.Batch;
import io.archiver.events.ArchiveBatchDeleted;
import io.archiver.events.ArchiveBatchFailed;
import io.archiver.events.ArchiveEvent;
import io.archiver.events.ArchiveMode;
import io.archiver.events.ArchiveUploaded;
import io.archiver.events.EventCodec;
import io.archiver.events.RowException;
import io.archiver.events.EventDecodingException;
import io.archiver.events.PipelineStage;
import io.archiver.events.ShardCompression;
import io.archiver.support.policy.PolicyViolation;
import io.archiver.support.testing.ChannelRecords;
import io.archiver.support.testing.ChannelRecords.Delivery;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.reactive.messaging.memory.InMemoryConnector;
import io.smallrye.reactive.messaging.memory.InMemorySink;
import io.smallrye.reactive.messaging.memory.InMemorySource;

/** The deleter's Kafka edge, on in-memory channels: what it announces for each outcome, and what it dead-letters. */
@QuarkusTest
@TestProfile(DeleterTestProfile.class)
class UploadedBatchHandlerTest {

    @Inject
    @Connector("smallrye-in-memory")
    InMemoryConnector connector;

    @Inject
    UploadedBatches batches;

    private InMemorySource<Object> uploads;
    private InMemorySink<ArchiveEvent> completions;

    @BeforeEach
    void channels() {
        uploads = connector.source("uploads");
        completions = connector.sink("completions-out");
    }

    private Delivery send(byte[] payload) {
        return ChannelRecords.send(uploads, payload);
    }

    private <T extends ArchiveEvent> List<T> announced(Class<T> type, String batchId) {
        return ChannelRecords.published(completions, type, batchId);
    }

    @Test
    void aRemovedBatchIsAnnouncedDeletedAndItsRecordAcknowledged() {
        Batch batch = batches.uploaded(ArchiveMode.DELETE, 12, ShardCompression.GZIP);

        Delivery delivery = send(EventCodec.encode(batch.event()));

        assertThat(delivery.acks).hasValue(1);
        assertThat(announced(ArchiveBatchDeleted.class, batch.event().batchId())).singleElement().satisfies(deleted -> {
            assertThat(deleted.rowsRemoved()).isEqualTo(12);
            assertThat(deleted.objectKey()).isEqualTo(batch.event().objectKey());
            assertThat(deleted.scope()).isEqualTo(batch.scope());
        });
        assertThat(batches.rows(batch)).isZero();
    }

    @Test
    void aBatchWhoseRowsChangedIsAnnouncedDeletedWithWhatStayedAndWhy() {
        Batch batch = batches.uploaded(ArchiveMode.DELETE, 12, ShardCompression.GZIP);
        batches.table.update(batch.firstId() + 4, "changed after the export");

        send(EventCodec.encode(batch.event()));

        assertThat(announced(ArchiveBatchDeleted.class, batch.event().batchId())).singleElement().satisfies(deleted -> {
            assertThat(deleted.rowsRemoved()).isEqualTo(11);
            assertThat(deleted.rowsKeptChanged()).isEqualTo(1);
            assertThat(deleted.rowsFound()).isEqualTo(12);
            assertThat(deleted.exceptions()).containsExactly(new RowException(batch.firstId() + 4, RowException.Reason.CHANGED));
            assertThat(deleted.exceptionsKey()).isEqualTo(batch.event().objectKey() + ".exceptions.json");
        });
        assertThat(announced(ArchiveBatchFailed.class, batch.event().batchId())).isEmpty();
        assertThat(batches.rows(batch)).isEqualTo(1);
    }

    @Test
    void promise3_theSameRecordTwiceRemovesTheRowsOnceAndAnnouncesTheSameFiguresTwice() {
        Batch batch = batches.uploaded(ArchiveMode.MOVE, 7, ShardCompression.NONE);
        byte[] payload = EventCodec.encode(batch.event());

        send(payload);
        Delivery again = send(payload);

        assertThat(again.acks).hasValue(1);
        assertThat(announced(ArchiveBatchDeleted.class, batch.event().batchId())).hasSize(2)
                .allSatisfy(deleted -> assertThat(deleted.rowsRemoved()).isEqualTo(7));
        assertThat(batches.archivedRows(batch)).as("copied once").isEqualTo(7);
        assertThat(batches.ledger.get(batch.event().batchId()).rowsRemoved()).isEqualTo(7);
    }

    @Test
    void aRefusedBatchIsAnnouncedFailedWithItsReasonAndItsRecordAcknowledged() {
        Batch batch = batches.uploaded(ArchiveMode.DELETE, 3, ShardCompression.GZIP);
        batches.deleteObject(batch.event().objectKey());

        Delivery delivery = send(EventCodec.encode(batch.event()));

        assertThat(delivery.acks).hasValue(1);
        assertThat(announced(ArchiveBatchFailed.class, batch.event().batchId())).singleElement().satisfies(failed -> {
            assertThat(failed.stage()).isEqualTo(PipelineStage.DELETE);
            assertThat(failed.reason()).isEqualTo("OBJECT_MISSING");
        });
        assertThat(batches.rows(batch)).isEqualTo(3);
    }

    @Test
    void anEventNotToBeTrustedIsDeadLetteredWithItsReasonAndAnnouncesNothing() {
        Batch batch = batches.uploaded(ArchiveMode.DELETE, 3, ShardCompression.GZIP);
        ArchiveUploaded e = batch.event();

        Delivery delivery = send(EventCodec.encode(UploadedBatches.announcing(e, "someone-elses-bucket", e.objectKey(), e.rowCount(),
                e.rowsDigest(), e.objectBytes(), e.objectSha256())));

        assertThat(delivery.nacks).singleElement().isInstanceOfSatisfying(PolicyViolation.class,
                v -> assertThat(v.reason()).isEqualTo("FOREIGN_BUCKET"));
        assertThat(ChannelRecords.published(completions, e.batchId())).isEmpty();
        assertThat(batches.rows(batch)).isEqualTo(3);
    }

    @Test
    void aMalformedRecordIsDeadLetteredAndTheNextOneIsStillHandled() {
        Delivery malformed = send("{\"type\":\"ArchiveUploaded\",\"nonsense\":".getBytes(StandardCharsets.UTF_8));
        Batch batch = batches.uploaded(ArchiveMode.DELETE, 2, ShardCompression.GZIP);
        Delivery next = send(EventCodec.encode(batch.event()));

        assertThat(malformed.nacks).singleElement().isInstanceOf(EventDecodingException.class);
        assertThat(next.acks).hasValue(1);
        assertThat(batches.rows(batch)).isZero();
    }
}
