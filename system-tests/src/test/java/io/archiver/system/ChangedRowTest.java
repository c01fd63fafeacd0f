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

import io.archiver.events.ArchiveBatchDeleted;
import io.archiver.events.ArchiveBatchReady;
import io.archiver.events.ArchiveMode;
import io.archiver.events.ArchiveRequested;
import io.archiver.events.ArchiveRunCompleted;
import io.archiver.events.RowException;
import io.archiver.events.RunOutcome;
import io.archiver.events.RunStatistics;
import io.archiver.events.Topics;
import io.archiver.localstack.pipeline.PipelineDriver;
import io.archiver.localstack.services.ArchiverService;
import io.archiver.localstack.services.ServiceProcess;

/**
 * Promise 5 on a live table (docs/live-tables.md): rows changed between export and delete stay in the table, each alone, with
 * their new values; the rest of their chunks and batches is removed; their batches report them (counts and keys, and the
 * object's exceptions sidecar); the run's rows add up; the next run archives exactly the rows that stayed. The deleter is
 * held back (killed) until every batch is uploaded, the table is changed, then the deleter starts again.
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
    void promise5_onlyTheRowsChangedAfterExportStay_theirBatchesReportThem_andTheNextRunArchivesExactlyThem() throws Exception {
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
        List<ArchiveBatchReady> planned = RunEvents.batches(system.driver, first.runId()).stream()
                .sorted(java.util.Comparator.comparingLong(b -> b.scope().firstId())).toList();
        ArchiveBatchReady one = planned.get(0);
        ArchiveBatchReady two = planned.get(1);
        Set<Long> changed;
        long movedUnderCutoff;
        long deleted;
        try (Connection connection = system.jdbc()) {
            List<Long> oneIds = eligibleIds(connection, one.scope().firstId(), one.scope().lastId(), cutoff).stream().sorted().toList();
            List<Long> twoIds = eligibleIds(connection, two.scope().firstId(), two.scope().lastId(), cutoff).stream().sorted().toList();
            assertThat(oneIds.size()).as("rows of the first batch").isGreaterThan(CHUNK_ROWS + 10);
            // the first row of a batch, a row of its second chunk, the last row of another batch
            changed = Set.of(oneIds.get(0), oneIds.get(CHUNK_ROWS + 5), twoIds.get(twoIds.size() - 1));
            try (PreparedStatement update = connection.prepareStatement("UPDATE run SET subject = ? WHERE id = ?")) {
                for (long id : changed) {
                    update.setString(1, "changed after export ✎ " + id);
                    update.setLong(2, id);
                    assertThat(update.executeUpdate()).isEqualTo(1);
                }
            }
            // a young row of the second batch's range whose date moves under the cutoff: the object does not hold it
            movedUnderCutoff = youngIdIn(connection, two.scope().firstId(), two.scope().lastId(), cutoff);
            try (PreparedStatement age = connection.prepareStatement("UPDATE run SET msg_sent_date = ? WHERE id = ?")) {
                age.setLong(1, cutoff - 1_000);
                age.setLong(2, movedUnderCutoff);
                assertThat(age.executeUpdate()).isEqualTo(1);
            }
            // an archived row someone else deletes before the deleter comes
            deleted = twoIds.get(twoIds.size() / 2);
            try (PreparedStatement delete = connection.prepareStatement("DELETE FROM run WHERE id = ?")) {
                delete.setLong(1, deleted);
                assertThat(delete.executeUpdate()).isEqualTo(1);
            }
        }
        Set<Long> stay = new java.util.HashSet<>(changed);
        stay.add(movedUnderCutoff);

        deleter.start(List.of()).awaitReady(Duration.ofMinutes(2));
        ArchiveRunCompleted done = system.driver.awaitCompletion(first.runId(), Duration.ofMinutes(5));

        RunStatistics stats = done.stats();
        assertThat(done.outcome()).as("every batch got through").isEqualTo(RunOutcome.SUCCEEDED);
        assertThat(RunEvents.failures(system.driver, first.runId())).isEmpty();
        assertThat(stats.rowsKeptChanged()).isEqualTo(changed.size());
        assertThat(stats.rowsKeptNotInObject()).isEqualTo(1);
        assertThat(stats.rowsMissing()).isEqualTo(1);
        assertThat(stats.rowsFailed()).isZero();
        assertThat(stats.rowsFound()).as("found = removed + kept + missing + failed")
                .isEqualTo(stats.rowsRemoved() + stats.rowsKept() + stats.rowsMissing() + stats.rowsFailed())
                .isEqualTo(stats.rowsExported() + 1);
        try (Connection connection = system.jdbc()) {
            assertThat(eligibleIds(connection, Long.MIN_VALUE, Long.MAX_VALUE, cutoff)).as("eligible rows left after the first run")
                    .isEqualTo(stay);
            for (long id : changed) {
                assertThat(subject(connection, id)).as("row " + id + " with its new values").isEqualTo("changed after export ✎ " + id);
            }
        }
        // the metrics say the same: found = removed + kept + missing + failed (the scanner counts each announced run once)
        String metrics = system.fleet.get(ArchiverService.SCANNER).get("/q/metrics").body();
        java.util.function.Function<String, Double> fate = name -> metrics.lines()
                .filter(l -> l.startsWith("archiver_run_rows_total{") && l.contains("fate=\"" + name + "\""))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
        assertThat(fate.apply("kept_changed")).isEqualTo((double) changed.size());
        assertThat(fate.apply("found")).isEqualTo(fate.apply("removed") + fate.apply("kept_changed") + fate.apply("kept_not_in_object")
                + fate.apply("missing") + fate.apply("failed"));
        List<ArchiveBatchDeleted> ends = RunEvents.of(system.driver, Topics.COMPLETIONS, ArchiveBatchDeleted.class, first.runId());
        ArchiveBatchDeleted oneEnd = ends.stream().filter(e -> e.batchId().equals(one.batchId())).findFirst().orElseThrow();
        assertThat(oneEnd.exceptions()).extracting(RowException::id).containsExactlyInAnyOrderElementsOf(
                changed.stream().filter(id -> id <= one.scope().lastId()).toList());
        assertThat(oneEnd.rowsFound()).isEqualTo(oneEnd.rowsRemoved() + 2);
        // the first batch's object says which of its rows are not archived versions
        assertThat(oneEnd.exceptionsKey()).isEqualTo(oneEnd.objectKey() + ".exceptions.json");
        String sidecar = new String(system.bucket.read(oneEnd.exceptionsKey()), java.nio.charset.StandardCharsets.UTF_8);
        for (long id : changed) {
            if (id <= one.scope().lastId()) {
                assertThat(sidecar).contains("\"id\" : " + id + ",");
            }
        }

        ArchiveRequested second = ArchiveRequested.of(PipelineDriver.newRunId(), "run", "run", cutoff, ArchiveMode.DELETE,
                "changed-row-test", false, null);
        system.driver.trigger(second);
        ArchiveRunCompleted again = system.driver.awaitCompletion(second.runId(), Duration.ofMinutes(5));
        assertThat(again.outcome()).isEqualTo(RunOutcome.SUCCEEDED);
        assertThat(again.stats().rowsFound()).as("the next run plans exactly the rows that stayed").isEqualTo(stay.size());
        assertThat(again.stats().rowsRemoved()).isEqualTo(stay.size());
        try (Connection connection = system.jdbc()) {
            assertThat(eligibleIds(connection, Long.MIN_VALUE, Long.MAX_VALUE, cutoff)).isEmpty();
        }
        ArchivedObjects archived = ArchivedObjects.of(system.bucket, "run-archive/", second.runId());
        assertThat(archived.digests().keySet()).isEqualTo(stay);
        int subject = archived.header().indexOf("subject");
        int idColumn = archived.header().indexOf("id");
        List<String> subjects = new java.util.ArrayList<>();
        for (var object : archived.objects()) {
            ArchivedObjects.parse(object.key(), system.bucket.read(object.key())).rows().stream()
                    .filter(r -> changed.contains(Long.parseLong(r.get(idColumn)))).forEach(r -> subjects.add(r.get(subject)));
        }
        assertThat(subjects).as("the changed rows archived with their new values")
                .containsExactlyInAnyOrderElementsOf(changed.stream().map(id -> "changed after export ✎ " + id).toList());
    }

    /**
     * The deleter removes a batch chunk by chunk, each checked under lock key by key: a row changed in the batch's last chunk
     * stays alone; every other row of that chunk and of the chunks before it, equal to the archive, is removed and counted.
     */
    @Test
    @Order(2)
    void promise5_aRowChangedInALaterChunkStaysAlone_theRestOfTheBatchIsRemoved() throws Exception {
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
        long changedId = ids.get(ids.size() - 1); // in the last chunk
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

        assertThat(done.outcome()).isEqualTo(RunOutcome.SUCCEEDED);
        assertThat(done.stats().batchesFailed()).isZero();
        assertThat(done.stats().rowsKeptChanged()).isEqualTo(1);
        assertThat(done.stats().rowsRemoved()).isEqualTo(done.stats().rowsFound() - 1);
        assertThat(RunEvents.failures(system.driver, run.runId())).isEmpty();
        try (Connection connection = system.jdbc()) {
            assertThat(eligibleIds(connection, Long.MIN_VALUE, Long.MAX_VALUE, cutoff)).as("eligible rows left: the changed row alone")
                    .containsExactly(changedId);
        }
        // the removed rows are in the batch's object, value for value as they were
        ArchivedObjects archived = ArchivedObjects.of(system.bucket, "run-archive/", run.runId());
        for (long id : ids) {
            if (id != changedId) {
                assertThat(archived.digests().get(id)).as("row " + id + " in the archive").isEqualTo(before.get(id));
            }
        }

        ArchiveRequested again = ArchiveRequested.of(PipelineDriver.newRunId(), "run", "run", cutoff, ArchiveMode.DELETE, "changed-row-test",
                false, null);
        system.driver.trigger(again);
        ArchiveRunCompleted second = system.driver.awaitCompletion(again.runId(), Duration.ofMinutes(5));
        assertThat(second.outcome()).isEqualTo(RunOutcome.SUCCEEDED);
        assertThat(second.stats().rowsRemoved()).isEqualTo(1);
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

    private static long youngIdIn(Connection connection, long from, long to, long cutoff) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT MIN(id) FROM run WHERE id BETWEEN ? AND ? AND msg_sent_date >= ?")) {
            select.setLong(1, from);
            select.setLong(2, to);
            select.setLong(3, cutoff);
            try (ResultSet rs = select.executeQuery()) {
                assertThat(rs.next()).isTrue();
                long id = rs.getLong(1);
                assertThat(rs.wasNull()).as("a young row in " + from + ".." + to).isFalse();
                return id;
            }
        }
    }

    private static String subject(Connection connection, long id) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT subject FROM run WHERE id = ?")) {
            select.setLong(1, id);
            try (ResultSet rs = select.executeQuery()) {
                assertThat(rs.next()).isTrue();
                return rs.getString(1);
            }
        }
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
