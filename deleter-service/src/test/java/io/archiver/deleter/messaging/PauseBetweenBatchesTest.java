package io.archiver.deleter.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.inject.Inject;

import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.spi.Connector;
import org.junit.jupiter.api.Test;

import io.archiver.deleter.DeleterTestProfile;
import io.archiver.deleter.UploadedBatches;
import io.archiver.deleter.UploadedBatches.Batch;
import io.archiver.events.ArchiveBatchDeleted;
import io.archiver.events.ArchiveEvent;
import io.archiver.events.ArchiveMode;
import io.archiver.events.EventCodec;
import io.archiver.events.ShardCompression;
import io.archiver.ledger.BatchState;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.reactive.messaging.memory.InMemoryConnector;

/** The throttle after a removed batch ({@code archiver.delete.pause-between-batches}, a minute here). */
@QuarkusTest
@TestProfile(DeleterTestProfile.WithPause.class)
class PauseBetweenBatchesTest {

    @Inject
    UploadedBatchHandler handler;

    @Inject
    UploadedBatches batches;

    @Inject
    @Connector("smallrye-in-memory")
    InMemoryConnector connector;

    @Test
    void anInterruptDuringThePauseEndsThePauseNotTheBatch_itsRecordIsAcknowledgedNotDeadLettered() throws Exception {
        Batch batch = batches.uploaded(ArchiveMode.DELETE, 3, ShardCompression.GZIP);
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        AtomicBoolean interruptKept = new AtomicBoolean();
        Thread worker = new Thread(() -> {
            try {
                handler.onUploaded(EventCodec.encode(batch.event()));
            } catch (Throwable t) {
                thrown.set(t);
            }
            interruptKept.set(Thread.currentThread().isInterrupted());
        }, "deleter-worker");
        worker.start();
        await().atMost(Duration.ofSeconds(30)).until(() -> connector.<ArchiveEvent> sink("completions-out").received().stream()
                .map(Message::getPayload).anyMatch(e -> e instanceof ArchiveBatchDeleted && batch.event().batchId().equals(e.batchId())));
        await().atMost(Duration.ofSeconds(10)).until(() -> worker.getState() == Thread.State.TIMED_WAITING);

        worker.interrupt();
        worker.join(Duration.ofSeconds(10).toMillis());

        assertThat(worker.isAlive()).as("the minute's pause ended at the interrupt").isFalse();
        assertThat(thrown.get()).as("the handler returned normally: the record is acknowledged").isNull();
        assertThat(interruptKept).as("the interrupt is kept for the thread's owner").isTrue();
        assertThat(batches.rows(batch)).isZero();
        assertThat(batches.ledger.get(batch.event().batchId()).state()).isEqualTo(BatchState.DELETED);
    }
}
