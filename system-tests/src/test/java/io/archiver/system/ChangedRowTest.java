package io.archiver.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Test;

import io.archiver.events.ArchiveBatchFailed;
import io.archiver.events.ArchiveBatchReady;
import io.archiver.events.ArchiveMode;
import io.archiver.events.ArchiveRequested;
import io.archiver.events.ArchiveRunCompleted;
import io.archiver.events.PipelineStage;
import io.archiver.events.RunOutcome;
import io.archiver.localstack.pipeline.PipelineDriver;
import io.archiver.localstack.services.ArchiverService;
import io.archiver.localstack.services.ServiceProcess;

/**
 * Promise 5: a row changed between export and delete stays in the table, its batch fails with a
 * clear reason, and the next run archives the row as it is now. The deleter is held back (killed)
 * until every batch is uploaded, the row is changed, then the deleter starts again.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ChangedRowTest {

    /** The deleter's default archiver.delete.chunk-rows: rows per deleting transaction. */
    private static final int CHUNK_ROWS = 1_000;
    /** The scanner's default archiver.policies.run.batch-size. */
    private static final int BATCH_SIZE = 10_000;

    private static SystemStack system;

    @BeforeAll
    static void start() {
        // the second test ages every row left and archives them all: the whole table, which the rails let go only when allowed
        system = SystemStack.start("changed_row", 30_000, 0.6, stack -> SystemStack.everyService(Map.of(
                "ARCHIVER_POLICIES_RUN_ALLOW_WHOLE_TABLE", "true", "ARCHIVER_POLICIES_RUN_MAX_SHARE_PER_RUN", "1")));
    }

    @AfterAll
    static void stop() {
        if (system != null) {
            system.close();
        }
    }

    @Test
    @Order(1)
    void promise5_aRowChangedAfterExportIsKeptAndArchivedByTheNextRun() throws Exception {
        ServiceProcess deleter = system.fleet.get(ArchiverService.DELETER);
        deleter.kill();
        long cutoff = Instant.now().minus(PipelineDriver.SIXTY_DAYS).toEpochMilli();
        ArchiveRequested first = ArchiveRequested.of(PipelineDriver.newRunId(), "run", "run", cutoff, ArchiveMode.DELETE, "changed-row-test",
                false, null);
        system.driver.trigger(first);
        await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(500)).until(() -> {
            int planned = RunEvents.batches(system.driver, first.runId()).size();
            return planned > 1 && RunEvents.uploads(system.driver, first.runId()).size() == planned;
        });
        ArchiveBatchReady changedBatch = RunEvents.batches(system.driver, first.runId()).get(0);
        long changedId;
        try (Connection connection = system.jdbc()) {
            changedId = firstEligibleId(connection, changedBatch, cutoff);
            try (PreparedStatement update = connection.prepareStatement("UPDATE run SET subject = ? WHERE id = ?")) {
                update.setString(1, "changed after export ✎");
                update.setLong(2, changedId);
                assertThat(update.executeUpdate()).isEqualTo(1);
            }
        }
        Set<Long> batchRows;
        try (Connection connection = system.jdbc()) {
            batchRows = eligibleIds(connection, changedBatch.scope().firstId(), changedBatch.scope().lastId(), cutoff);
        }

        deleter.start(List.of()).awaitReady(Duration.ofMinutes(2));
        ArchiveRunCompleted done = system.driver.awaitCompletion(first.runId(), Duration.ofMinutes(5));

        assertThat(done.outcome()).isEqualTo(RunOutcome.PARTIAL);
        assertThat(done.stats().batchesFailed()).isEqualTo(1);
        assertThat(done.stats().rowsFailed()).isEqualTo(batchRows.size());
        assertThat(done.stats().rowsRemoved()).isEqualTo(done.stats().rowsFound() - batchRows.size());
        List<ArchiveBatchFailed> failures = RunEvents.failures(system.driver, first.runId());
        assertThat(failures).singleElement().satisfies(f -> {
            assertThat(f.batchId()).isEqualTo(changedBatch.batchId());
            assertThat(f.stage()).isEqualTo(PipelineStage.DELETE);
            assertThat(f.reason()).isEqualTo("ROWS_CHANGED_SINCE_EXPORT");
            assertThat(f.detail()).contains("rows are kept");
        });
        try (Connection connection = system.jdbc()) {
            assertThat(eligibleIds(connection, Long.MIN_VALUE, Long.MAX_VALUE, cutoff)).as("eligible rows left after the first run")
                    .isEqualTo(batchRows);
        }

        ArchiveRequested second = ArchiveRequested.of(PipelineDriver.newRunId(), "run", "run", cutoff, ArchiveMode.DELETE,
                "changed-row-test", false, null);
        system.driver.trigger(second);
        ArchiveRunCompleted again = system.driver.awaitCompletion(second.runId(), Duration.ofMinutes(5));
        assertThat(again.outcome()).isEqualTo(RunOutcome.SUCCEEDED);
        assertThat(again.stats().rowsRemoved()).isEqualTo(batchRows.size());
        try (Connection connection = system.jdbc()) {
            assertThat(eligibleIds(connection, Long.MIN_VALUE, Long.MAX_VALUE, cutoff)).isEmpty();
        }
        ArchivedObjects archived = ArchivedObjects.of(system.bucket, "run-archive/", second.runId());
        assertThat(archived.digests().keySet()).isEqualTo(batchRows);
        int subject = archived.header().indexOf("subject");
        String key = archived.objects().get(0).key();
        assertThat(ArchivedObjects.parse(key, system.bucket.read(key)).rows().stream()
                .filter(r -> r.get(archived.header().indexOf("id")).equals(String.valueOf(changedId))).map(r -> r.get(subject)))
                .containsExactly("changed after export ✎");
    }

    /**
     * The deleter removes a batch chunk by chunk, each checked under lock: a row changed in the batch's last chunk keeps that
     * chunk (and would keep every later one); the chunks before it, equal to the archive, are removed and counted.
     */
    @Test
    @Order(2)
    void promise5_aRowChangedInALaterChunkKeepsItsChunkWhileTheVerifiedChunksBeforeItAreRemoved() throws Exception {
        long cutoff = Instant.now().minus(PipelineDriver.SIXTY_DAYS).toEpochMilli();
        try (Connection connection = system.jdbc();
                PreparedStatement age = connection.prepareStatement("UPDATE run SET msg_sent_date = ? - 1000 - (id % 5000)")) {
            age.setLong(1, cutoff);
            assertThat(age.executeUpdate()).as("rows left from the first test, now all older than 60 days").isGreaterThan(3 * CHUNK_ROWS);
        }
        int eligible;
        try (Connection connection = system.jdbc()) {
            eligible = eligibleIds(connection, Long.MIN_VALUE, Long.MAX_VALUE, cutoff).size();
        }
        int expectedBatches = (eligible + BATCH_SIZE - 1) / BATCH_SIZE; // the scanner plans batch-size eligible rows a batch
        ServiceProcess deleter = system.fleet.get(ArchiverService.DELETER);
        deleter.kill();
        ArchiveRequested run = ArchiveRequested.of(PipelineDriver.newRunId(), "run", "run", cutoff, ArchiveMode.DELETE, "changed-row-test",
                false, null);
        system.driver.trigger(run);
        await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(500))
                .until(() -> RunEvents.batches(system.driver, run.runId()).size() == expectedBatches
                        && RunEvents.uploads(system.driver, run.runId()).size() == expectedBatches);
        // the largest batch (events of different batches arrive in any order across partitions)
        ArchiveBatchReady batch = RunEvents.batches(system.driver, run.runId()).stream()
                .max(java.util.Comparator.comparingLong(ArchiveBatchReady::expectedRows)).orElseThrow();
        List<Long> ids;
        try (Connection connection = system.jdbc()) {
            ids = eligibleIds(connection, batch.scope().firstId(), batch.scope().lastId(), cutoff).stream().sorted().toList();
        }
        aBatchRedeliveredToTheExporterOnceItsRemovalBeganIsNotExportedAgain(batch);
        assertThat(ids.size()).as("rows of the batch").isGreaterThan(2 * CHUNK_ROWS);
        long changedId = ids.get(ids.size() - 1);
        Set<Long> kept = Set.copyOf(ids.subList((ids.size() - 1) / CHUNK_ROWS * CHUNK_ROWS, ids.size())); // the last chunk
        try (Connection connection = system.jdbc(); PreparedStatement update = connection.prepareStatement("UPDATE run SET subject = ? WHERE id = ?")) {
            update.setString(1, "changed in the last chunk ✎");
            update.setLong(2, changedId);
            assertThat(update.executeUpdate()).isEqualTo(1);
        }
        java.util.Map<Long, String> before;
        try (Connection connection = system.jdbc()) {
            before = TableSnapshot.of(connection, "run").digests();
        }

        deleter.start(List.of()).awaitReady(Duration.ofMinutes(2));
        ArchiveRunCompleted done = system.driver.awaitCompletion(run.runId(), Duration.ofMinutes(5));

        assertThat(done.outcome()).isEqualTo(RunOutcome.PARTIAL);
        assertThat(done.stats().batchesFailed()).isEqualTo(1);
        assertThat(done.stats().rowsFailed()).as("rows of the failed batch kept").isEqualTo(kept.size());
        assertThat(done.stats().rowsRemoved()).isEqualTo(done.stats().rowsFound() - kept.size());
        assertThat(RunEvents.failures(system.driver, run.runId())).singleElement().satisfies(f -> {
            assertThat(f.batchId()).isEqualTo(batch.batchId());
            assertThat(f.reason()).isEqualTo("ROWS_CHANGED_SINCE_EXPORT");
            assertThat(f.detail()).contains("row " + changedId + " has other values").contains((ids.size() - kept.size()) + " rows before them");
        });
        try (Connection connection = system.jdbc()) {
            assertThat(eligibleIds(connection, Long.MIN_VALUE, Long.MAX_VALUE, cutoff)).as("eligible rows left: the changed row's chunk")
                    .isEqualTo(kept);
        }
        // the removed rows are in the failed batch's object, value for value as they were
        ArchivedObjects archived = ArchivedObjects.of(system.bucket, "run-archive/", run.runId());
        for (long id : ids) {
            if (!kept.contains(id)) {
                assertThat(archived.digests().get(id)).as("row " + id + " in the archive").isEqualTo(before.get(id));
            }
        }

        ArchiveRequested again = ArchiveRequested.of(PipelineDriver.newRunId(), "run", "run", cutoff, ArchiveMode.DELETE, "changed-row-test",
                false, null);
        system.driver.trigger(again);
        ArchiveRunCompleted second = system.driver.awaitCompletion(again.runId(), Duration.ofMinutes(5));
        assertThat(second.outcome()).isEqualTo(RunOutcome.SUCCEEDED);
        assertThat(second.stats().rowsRemoved()).isEqualTo(kept.size());
        try (Connection connection = system.jdbc()) {
            assertThat(eligibleIds(connection, Long.MIN_VALUE, Long.MAX_VALUE, cutoff)).isEmpty();
        }
    }

    /**
     * Promise 3 with chunked deletes: an ArchiveBatchReady redelivered after the deleter committed a chunk must not be exported
     * again (the shard would lack the removed rows, and its figures would overwrite the ledger's). The ledger is set as the
     * deleter's first chunk leaves it, the event is sent again, and the exporter must answer ALREADY_DELETING, exporting nothing.
     */
    private static void aBatchRedeliveredToTheExporterOnceItsRemovalBeganIsNotExportedAgain(ArchiveBatchReady batch) throws Exception {
        java.util.function.Supplier<Long> shards = () -> RunEvents.of(system.driver, io.archiver.events.Topics.SHARDS,
                io.archiver.events.ArchiveShardExported.class, batch.runId()).stream().filter(e -> e.batchId().equals(batch.batchId())).count();
        long shardsBefore = shards.get();
        try (Connection connection = system.jdbc();
                PreparedStatement progress = connection.prepareStatement("UPDATE archive_batch SET removed_through_id = ? WHERE batch_id = ?")) {
            progress.setLong(1, batch.scope().firstId());
            progress.setString(2, batch.batchId());
            assertThat(progress.executeUpdate()).isEqualTo(1);
            system.driver.send(io.archiver.events.Topics.BATCHES, batch.batchId(), batch);
            java.nio.file.Path log = system.fleet.get(ArchiverService.EXPORTER).log();
            await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(500)).until(() -> java.nio.file.Files.readAllLines(log).stream()
                    .anyMatch(l -> l.contains("batchId=" + batch.batchId() + " ") && l.contains("outcome=ALREADY_DELETING")));
            assertThat(shards.get()).as("ArchiveShardExported of " + batch.batchId()).isEqualTo(shardsBefore);
            progress.setNull(1, java.sql.Types.BIGINT); // back as it was: the deleter has not started
            assertThat(progress.executeUpdate()).isEqualTo(1);
        }
    }

    private static long firstEligibleId(Connection connection, ArchiveBatchReady batch, long cutoff) throws SQLException {
        return eligibleIds(connection, batch.scope().firstId(), batch.scope().lastId(), cutoff).stream().mapToLong(Long::longValue).min()
                .orElseThrow();
    }

    private static Set<Long> eligibleIds(Connection connection, long from, long to, long cutoff) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT id FROM run WHERE id BETWEEN ? AND ? AND msg_sent_date < ?")) {
            select.setLong(1, from);
            select.setLong(2, to);
            select.setLong(3, cutoff);
            try (ResultSet rs = select.executeQuery()) {
                java.util.Set<Long> ids = new java.util.HashSet<>();
                while (rs.next()) {
                    ids.add(rs.getLong(1));
                }
                return ids.stream().collect(Collectors.toSet());
            }
        }
    }
}
