package io.archiver.scanner.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.inject.Inject;

import org.eclipse.microprofile.reactive.messaging.spi.Connector;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.archiver.events.ArchiveBatchDeleted;
import io.archiver.events.ArchiveBatchFailed;
import io.archiver.events.ArchiveEvent;
import io.archiver.events.ArchiveRunCompleted;
import io.archiver.events.ArchiveShardExported;
import io.archiver.events.ArchiveUploaded;
import io.archiver.events.BatchScope;
import io.archiver.events.EventCodec;
import io.archiver.events.PipelineStage;
import io.archiver.events.RunOutcome;
import io.archiver.events.RunStatistics;
import io.archiver.events.ShardCompression;
import io.archiver.ledger.BatchState;
import io.archiver.scanner.ScannerLedger;
import io.archiver.scanner.ScannerTestProfile;
import io.archiver.scanner.persistence.BatchLedger;
import io.archiver.support.testing.ChannelRecords;
import io.archiver.support.testing.ChannelRecords.Delivery;
import io.archiver.support.testing.RunTable;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.reactive.messaging.memory.InMemoryConnector;
import io.smallrye.reactive.messaging.memory.InMemorySink;
import io.smallrye.reactive.messaging.memory.InMemorySource;

/**
 * The scanner follows each batch through shards, uploads and completions into the ledger: states only move forward, the
 * first end of a batch is its end, and the run is closed with one ArchiveRunCompleted whose statistics come from the
 * ledger (and stay in its typed columns), however often the events come.
 */
@QuarkusTest
@TestProfile(ScannerTestProfile.class)
class BatchProgressHandlerTest {

    private static final String DIGEST = "a".repeat(64);

    @Inject
    @Connector("smallrye-in-memory")
    InMemoryConnector connector;

    @Inject
    ScannerLedger ledger;

    @Inject
    BatchLedger batchLedger;

    private InMemorySource<Object> shards;
    private InMemorySource<Object> uploads;
    private InMemorySource<Object> completions;
    private InMemorySink<ArchiveEvent> runs;

    /** A RUNNING run of two PLANNED batches of 10 ids each. */
    private record TwoBatches(String runId, String first, BatchScope firstScope, String second, BatchScope secondScope) {
    }

    @BeforeEach
    void channels() {
        shards = connector.source("shards");
        uploads = connector.source("uploads");
        completions = connector.source("completions");
        runs = connector.sink("runs-out");
    }

    private TwoBatches twoBatches() {
        long first = RunTable.freshRange();
        String runId = ScannerLedger.newRunId("progress");
        TwoBatches run = new TwoBatches(runId, runId + "-b000001", ScannerLedger.scope("progress", first, first + 9), runId + "-b000002",
                ScannerLedger.scope("progress", first + 10, first + 19));
        ledger.batches.run(runId, run.firstScope());
        ledger.batches.batch(runId, run.first(), 1, run.firstScope(), 10, BatchState.PLANNED);
        ledger.batches.batch(runId, run.second(), 2, run.secondScope(), 10, BatchState.PLANNED);
        return run;
    }

    private static ArchiveShardExported exported(String runId, String batchId, BatchScope scope, long rows) {
        return ArchiveShardExported.of(runId, batchId, scope, rows, DIGEST, batchId + ".csv.gz", 100 * rows, DIGEST, ShardCompression.GZIP);
    }

    private static ArchiveUploaded uploaded(String runId, String batchId, BatchScope scope, long rows) {
        return ArchiveUploaded.of(runId, batchId, scope, rows, DIGEST, "archiver-local", "run-archive/" + batchId + ".csv.gz", 100 * rows, DIGEST);
    }

    @Test
    void aBatchMovesFromPlannedThroughExportedAndUploadedToDeleted() {
        TwoBatches run = twoBatches();

        assertThat(ChannelRecords.send(shards, EventCodec.encode(exported(run.runId(), run.first(), run.firstScope(), 10))).acks).hasValue(1);
        assertThat(ledger.batches.get(run.first()).state()).isEqualTo(BatchState.EXPORTED);
        assertThat(ledger.batches.get(run.first()).rowsExported()).isEqualTo(10);

        assertThat(ChannelRecords.send(uploads, EventCodec.encode(uploaded(run.runId(), run.first(), run.firstScope(), 10))).acks).hasValue(1);
        assertThat(ledger.batches.get(run.first()).state()).isEqualTo(BatchState.UPLOADED);
        assertThat(ledger.batches.get(run.first()).objectBytes()).isEqualTo(1000);

        ArchiveBatchDeleted deleted = ArchiveBatchDeleted.of(run.runId(), run.first(), run.firstScope(), 10, "run-archive/" + run.first() + ".csv.gz");
        assertThat(ChannelRecords.send(completions, EventCodec.encode(deleted)).acks).hasValue(1);
        assertThat(ledger.batches.get(run.first()).state()).isEqualTo(BatchState.DELETED);
        assertThat(ledger.batches.get(run.first()).rowsRemoved()).isEqualTo(10);
        assertThat(ledger.batches.get(run.second()).state()).isEqualTo(BatchState.PLANNED);
        assertThat(ScannerLedger.published(runs, ArchiveRunCompleted.class, run.runId())).as("a batch is still open").isEmpty();
        assertThat(ledger.run(run.runId()).state()).isEqualTo("RUNNING");
    }

    @Test
    void eventsOfDifferentTopicsInAnyOrderLeaveTheLaterState() {
        TwoBatches run = twoBatches();

        ChannelRecords.send(uploads, EventCodec.encode(uploaded(run.runId(), run.first(), run.firstScope(), 10)));
        ChannelRecords.send(shards, EventCodec.encode(exported(run.runId(), run.first(), run.firstScope(), 10)));

        assertThat(ledger.batches.get(run.first()).state()).as("the late export report does not move it back").isEqualTo(BatchState.UPLOADED);
        assertThat(ledger.batches.get(run.first()).rowsExported()).as("but its figures are recorded").isEqualTo(10);
    }

    @Test
    void theLastBatchToEndClosesTheRunOnceWithStatisticsFromTheLedger() {
        TwoBatches run = twoBatches();
        ChannelRecords.send(shards, EventCodec.encode(exported(run.runId(), run.first(), run.firstScope(), 10)));
        ChannelRecords.send(uploads, EventCodec.encode(uploaded(run.runId(), run.first(), run.firstScope(), 10)));
        byte[] deleted = EventCodec.encode(ArchiveBatchDeleted.of(run.runId(), run.first(), run.firstScope(), 10, "run-archive/" + run.first()));
        ChannelRecords.send(completions, deleted);
        ChannelRecords.send(shards, EventCodec.encode(exported(run.runId(), run.second(), run.secondScope(), 7)));
        byte[] failed = EventCodec.encode(ArchiveBatchFailed.of(run.runId(), run.second(), run.secondScope(), PipelineStage.UPLOAD,
                "OBJECT_KEY_CONFLICT", "the key held other bytes"));

        assertThat(ChannelRecords.send(completions, failed).acks).hasValue(1);

        assertThat(ledger.batches.get(run.second()).state()).isEqualTo(BatchState.FAILED);
        ArchiveRunCompleted completed = ScannerLedger.published(runs, ArchiveRunCompleted.class, run.runId()).get(0);
        assertThat(completed.outcome()).isEqualTo(RunOutcome.PARTIAL);
        // found adds up: removed 10 + failed 7 (RowCounts)
        RunStatistics expected = new RunStatistics(17, 17, 10, 10, 7, 2, 1, 1000, 1, completed.stats().durationMs());
        assertThat(completed.stats()).isEqualTo(expected);
        ScannerLedger.Run closed = ledger.run(run.runId());
        assertThat(closed.state()).isEqualTo("COMPLETED");
        assertThat(closed.outcome()).isEqualTo("PARTIAL");
        assertThat(closed.statistics()).as("fixed in the ledger's typed columns").isEqualTo(expected);

        // promise 3: a replayed end of either batch changes nothing and announces the run no second time
        assertThat(ChannelRecords.send(completions, deleted).acks).hasValue(1);
        assertThat(ChannelRecords.send(completions, failed).acks).hasValue(1);
        assertThat(ScannerLedger.published(runs, ArchiveRunCompleted.class, run.runId())).hasSize(1);
        assertThat(ledger.run(run.runId()).statistics()).isEqualTo(expected);
    }

    @Test
    void aStopBetweenTheLastEndsRecordAndTheRunsCloseIsMadeGoodByTheRedelivery() {
        TwoBatches run = twoBatches();
        ChannelRecords.send(completions, EventCodec.encode(ArchiveBatchDeleted.of(run.runId(), run.first(), run.firstScope(), 10, "k1")));
        ArchiveBatchDeleted last = ArchiveBatchDeleted.of(run.runId(), run.second(), run.secondScope(), 10, "k2");

        // the end's own transaction committed, then the scanner stopped before the run's close: the offset stays uncommitted
        assertThat(batchLedger.recordDeleted(last).await().atMost(java.time.Duration.ofSeconds(30))).as("the run may close").isTrue();
        assertThat(ledger.batches.get(run.second()).state()).isEqualTo(BatchState.DELETED);
        assertThat(ledger.run(run.runId()).state()).isEqualTo("RUNNING");
        assertThat(ScannerLedger.published(runs, ArchiveRunCompleted.class, run.runId())).isEmpty();

        assertThat(ChannelRecords.send(completions, EventCodec.encode(last)).acks).hasValue(1);

        assertThat(ScannerLedger.published(runs, ArchiveRunCompleted.class, run.runId())).singleElement()
                .satisfies(c -> assertThat(c.stats().rowsRemoved()).isEqualTo(20));
        assertThat(ledger.run(run.runId()).state()).isEqualTo("COMPLETED");
    }

    @Test
    void theFirstEndOfABatchIsItsEnd() {
        TwoBatches run = twoBatches();
        ChannelRecords.send(completions, EventCodec.encode(ArchiveBatchDeleted.of(run.runId(), run.first(), run.firstScope(), 10, "k")));

        ChannelRecords.send(completions, EventCodec.encode(ArchiveBatchFailed.of(run.runId(), run.first(), run.firstScope(),
                PipelineStage.DELETE, "ROWS_CHANGED_SINCE_EXPORT", "late")));

        assertThat(ledger.batches.get(run.first()).state()).isEqualTo(BatchState.DELETED);
        assertThat(ledger.batches.get(run.first()).rowsRemoved()).isEqualTo(10);
    }

    @Test
    void anEventOfABatchTheLedgerDoesNotKnowIsDeadLettered() {
        TwoBatches run = twoBatches();
        BatchScope otherRange = ScannerLedger.scope("progress", run.firstScope().firstId(), run.firstScope().lastId() + 1);

        Delivery unknown = ChannelRecords.send(shards, EventCodec.encode(exported(run.runId(), run.runId() + "-b000009", run.firstScope(), 1)));
        Delivery mismatch = ChannelRecords.send(uploads, EventCodec.encode(uploaded(run.runId(), run.first(), otherRange, 1)));

        assertThat(unknown.nacks).singleElement().satisfies(e -> assertThat(e).hasMessageContaining("is not a batch of run"));
        assertThat(mismatch.nacks).singleElement().satisfies(e -> assertThat(e).hasMessageContaining("is not a batch of run"));
        // the same rows as a range of whole keys (docs/keys.md): no batch of the scanner's runs is one
        BatchScope first = run.firstScope();
        BatchScope byKeys = BatchScope.ofKeys(first.policy(), first.table(), first.cutoffEpochMs(), io.archiver.events.KeyValue.of(first.firstId()),
                io.archiver.events.KeyValue.of(first.lastId()), first.mode(), first.runDate());
        Delivery keys = ChannelRecords.send(uploads, EventCodec.encode(uploaded(run.runId(), run.first(), byKeys, 1)));
        assertThat(keys.nacks).singleElement().satisfies(e -> assertThat(e).hasMessageContaining("is not a batch of run"));
        assertThat(ledger.batches.get(run.first()).state()).isEqualTo(BatchState.PLANNED);
    }

    @Test
    void aRecordThatIsNoEventOrTheWrongOneIsDeadLettered() {
        TwoBatches run = twoBatches();

        Delivery malformed = ChannelRecords.send(completions, "{\"type\":".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        Delivery wrongTopic = ChannelRecords.send(completions, EventCodec.encode(exported(run.runId(), run.first(), run.firstScope(), 10)));

        assertThat(malformed.nacks).hasSize(1);
        assertThat(wrongTopic.nacks).hasSize(1);
        assertThat(ledger.batches.get(run.first()).state()).isEqualTo(BatchState.PLANNED);
    }
}
