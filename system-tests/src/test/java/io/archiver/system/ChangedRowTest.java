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
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
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
class ChangedRowTest {

    private static SystemStack system;

    @BeforeAll
    static void start() {
        system = SystemStack.start("changed_row", 30_000, 0.6);
    }

    @AfterAll
    static void stop() {
        if (system != null) {
            system.close();
        }
    }

    @Test
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
