package io.archiver.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import io.archiver.events.ArchiveMode;
import io.archiver.events.ArchiveRequested;
import io.archiver.events.ArchiveRunCompleted;
import io.archiver.events.RunOutcome;
import io.archiver.events.RunStatistics;
import io.archiver.localstack.LocalStack;
import io.archiver.localstack.pipeline.PipelineDriver;
import io.archiver.localstack.services.ArchiverService;
import io.archiver.table.EligibleRows;
import io.archiver.table.TestPolicy;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * One trigger archives `run` (in the subclass's mode) end to end on the real stack (Kafka, S3 server, MySQL, the four prod
 * jars): {@value #DEFAULT_ROWS} rows (property {@code archiver.it.rows}), 60% older than 60 days,
 * every column type with edge values, ids with gaps, dates not ordered by id, and rows exactly at
 * the cutoff. Then every promise that one run can show is checked against S3 and the table.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ArchivalRunContract {

    static final int DEFAULT_ROWS = 200_000;

    SystemStack system;
    long cutoff;
    TableSnapshot before;
    TableSnapshot after;
    ArchiveRequested request;
    ArchiveRunCompleted completed;
    ArchivedObjects archived;
    final List<Long> boundaryIds = new ArrayList<>();

    /** DELETE or MOVE. */
    abstract ArchiveMode mode();

    /** Settings of the services for this run beyond the local stack's (none: the defaults). */
    Map<ArchiverService, Map<String, String>> serviceSettings() {
        return Map.of();
    }

    @BeforeAll
    void archiveOnce() throws Exception {
        long rows = Long.getLong("archiver.it.rows", DEFAULT_ROWS);
        system = SystemStack.start("archival_" + mode().name().toLowerCase(java.util.Locale.ROOT), rows, 0.6, stack -> serviceSettings());
        cutoff = Instant.now().minus(PipelineDriver.SIXTY_DAYS).toEpochMilli();
        try (Connection connection = system.jdbc()) {
            // rows on both sides of the cutoff, to the millisecond
            for (long date : new long[] { cutoff - 1, cutoff, cutoff + 1 }) {
                boundaryIds.add(copyRowWithDate(connection, date));
            }
            before = TableSnapshot.of(connection, "run");
        }
        request = ArchiveRequested.of(PipelineDriver.newRunId(), "run", "run", cutoff, mode(), "archival-run-test", false, null);
        long start = System.nanoTime();
        system.driver.trigger(request);
        completed = system.driver.awaitCompletion(request.runId(), Duration.ofMinutes(20));
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("archived %d of %d rows in %.1f s (%.0f rows/s end to end): %s%n", completed.stats().rowsRemoved(),
                before.digests().size(), seconds, completed.stats().rowsRemoved() / seconds, completed.stats());
        try (Connection connection = system.jdbc()) {
            after = TableSnapshot.of(connection, "run");
        }
        archived = ArchivedObjects.of(system.bucket, "run-archive/", request.runId());
    }

    @AfterAll
    void stop() {
        if (system != null) {
            system.close();
        }
    }

    /** Inserts a copy of the first row with a new id and the given date; returns the id. */
    private static long copyRowWithDate(Connection connection, long date) throws SQLException {
        List<String> columns = new ArrayList<>();
        try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery("SELECT * FROM run LIMIT 0")) {
            ResultSetMetaData meta = rs.getMetaData();
            for (int i = 1; i <= meta.getColumnCount(); i++) {
                String name = meta.getColumnLabel(i);
                if (!name.equals("id") && !name.equals("msg_sent_date")) {
                    columns.add("`" + name + "`");
                }
            }
        }
        long id;
        try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery("SELECT MAX(id) + 7 FROM run")) {
            rs.next();
            id = rs.getLong(1);
        }
        String list = String.join(", ", columns);
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO run (id, msg_sent_date, " + list + ") SELECT ?, ?, "
                + list + " FROM run WHERE id = (SELECT MIN(id) FROM run)")) {
            insert.setLong(1, id);
            insert.setLong(2, date);
            assertThat(insert.executeUpdate()).isEqualTo(1);
        }
        return id;
    }

    Set<Long> eligibleBefore() {
        return before.dates().entrySet().stream().filter(e -> e.getValue() < cutoff).map(Map.Entry::getKey).collect(Collectors.toSet());
    }

    @Test
    @Order(1)
    void theRunSucceeded() {
        assertThat(completed.outcome()).isEqualTo(RunOutcome.SUCCEEDED);
        assertThat(eligibleBefore()).hasSizeGreaterThan((int) (before.digests().size() * 0.55));
    }

    @Test
    @Order(2)
    void promise1And7_everyEligibleRowIsInExactlyOneObjectWithTheSameValuesAndGoneFromTheTable() {
        Set<Long> eligible = eligibleBefore();
        assertThat(archived.archivedTwice()).as("rows archived twice").isEmpty();
        assertThat(archived.header()).isEqualTo(before.columns());
        assertThat(archived.digests().keySet()).as("archived ids").isEqualTo(eligible);
        List<Long> differing = eligible.stream().filter(id -> !before.digests().get(id).equals(archived.digests().get(id))).toList();
        assertThat(differing).as("rows whose archived values differ from the table's").isEmpty();
        Set<Long> stillThere = new HashSet<>(after.digests().keySet());
        stillThere.retainAll(eligible);
        assertThat(stillThere).as("archived rows still in run").isEmpty();
    }

    @Test
    @Order(3)
    void promise2_rowsAtOrAfterTheCutoffAreUntouched() {
        Set<Long> young = before.dates().entrySet().stream().filter(e -> e.getValue() >= cutoff).map(Map.Entry::getKey)
                .collect(Collectors.toSet());
        assertThat(after.digests().keySet()).isEqualTo(young);
        for (Long id : young) {
            assertThat(after.digests().get(id)).as("row %d", id).isEqualTo(before.digests().get(id));
        }
        assertThat(archived.digests()).doesNotContainKeys(boundaryIds.get(1), boundaryIds.get(2));
        assertThat(archived.digests()).containsKey(boundaryIds.get(0));
    }

    @Test
    @Order(4)
    void theStatisticsMatchTheObjectsAndTheTable() {
        RunStatistics stats = completed.stats();
        long eligible = eligibleBefore().size();
        assertThat(stats.rowsFound()).isEqualTo(eligible);
        assertThat(stats.rowsExported()).isEqualTo(eligible);
        assertThat(stats.rowsUploaded()).isEqualTo(eligible);
        assertThat(stats.rowsRemoved()).isEqualTo(eligible);
        assertThat(stats.rowsFailed()).isZero();
        assertThat(stats.batchesFailed()).isZero();
        assertThat(stats.objects()).isEqualTo(archived.objects().size()).isEqualTo(stats.batches());
        assertThat(stats.bytesUploaded()).isEqualTo(archived.bytes());
        assertThat(stats.durationMs()).isPositive();
    }

    @Test
    @Order(5)
    void promise6_objectKeysAreDeterministicAndBeginWithTheRunDate() {
        String day = DateTimeFormatter.BASIC_ISO_DATE.format(LocalDate.ofInstant(request.occurredAt(), ZoneOffset.UTC));
        assertThat(archived.objects()).isNotEmpty().allSatisfy(o -> {
            assertThat(o.key()).startsWith("run-archive/run_archive_" + day + "_run_");
            assertThat(o.key()).matches("run-archive/run_archive_\\d{8}_run_\\d{19}-\\d{19}_" + request.runId() + "\\.csv\\.gz");
        });
    }

    @Test
    @Order(6)
    void theAwsCliListsTheObjects() throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(System.getProperty("archiver.aws.cli", "aws"), "--endpoint-url",
                system.stack.s3().endpoint(), "s3", "ls", "s3://" + LocalStack.BUCKET + "/run-archive/").redirectErrorStream(true);
        builder.environment().put("AWS_ACCESS_KEY_ID", system.stack.s3().accessKey());
        builder.environment().put("AWS_SECRET_ACCESS_KEY", system.stack.s3().secretKey());
        builder.environment().put("AWS_DEFAULT_REGION", "us-east-1");
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        System.out.println("aws s3 ls:\n" + output);
        assertThat(process.exitValue()).as(output).isZero();
        for (S3Object object : archived.objects()) {
            assertThat(output).contains(object.key().substring("run-archive/".length()));
        }
    }

    @Test
    @Order(7)
    void planningExportAndDeleteUseIndexRangeScans() throws SQLException {
        EligibleRows sql = new EligibleRows(new TestPolicy("run"));
        try (Connection connection = system.jdbc()) {
            assertRangeScans(connection, "EXPLAIN " + sql.nextBatch().replaceFirst("\\?", "0").replaceFirst("\\?", String.valueOf(cutoff))
                    .replaceFirst("\\?", "10000"));
            // the streamed plan: one scan of PRIMARY from the first id on, cut into batches as it is read
            assertRangeScans(connection, "EXPLAIN " + sql.eligibleIds().replaceFirst("\\?", "0").replaceFirst("\\?", String.valueOf(cutoff)));
            String range = sql.select(false).replaceFirst("\\?", "1000").replaceFirst("\\?", "50000").replaceFirst("\\?", String.valueOf(cutoff));
            assertRangeScans(connection, "EXPLAIN " + range);
            for (boolean lock : new boolean[] { false, true }) {
                // the export's and the delete's pages: on the primary key's range, never a filesort of the range
                assertRangeScans(connection, "EXPLAIN " + sql.page(lock).replaceFirst("\\?", "1000").replaceFirst("\\?", "50000")
                        .replaceFirst("\\?", String.valueOf(cutoff)).replaceFirst("\\?", "5000"));
            }
            assertRangeScans(connection, "EXPLAIN " + sql.delete().replaceFirst("\\?", "1000").replaceFirst("\\?", "50000")
                    .replaceFirst("\\?", String.valueOf(cutoff)));
        }
    }

    private static void assertRangeScans(Connection connection, String explain) throws SQLException {
        System.out.println(explain);
        int runRows = 0;
        try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery(explain)) {
            while (rs.next()) {
                String table = rs.getString("table");
                String type = rs.getString("type");
                String key = rs.getString("key");
                System.out.printf("  table=%s type=%s key=%s rows=%s extra=%s%n", table, type, key, rs.getString("rows"), rs.getString("Extra"));
                if ("run".equals(table)) {
                    runRows++;
                    assertThat(rs.getString("Extra")).as("extra on run").doesNotContainIgnoringCase("filesort");
                    assertThat(type).as("access type on run").isEqualTo("range");
                    assertThat(key).as("index used on run").isEqualTo("PRIMARY");
                }
            }
        }
        assertThat(runRows).as("plan rows on table run").isPositive();
    }

    @Test
    @Order(9)
    void everyServiceExportsItsRowsAndBytesAsPrometheusMetrics() throws IOException {
        Map<ArchiverService, String> stages = Map.of(ArchiverService.SCANNER, "PLAN", ArchiverService.EXPORTER, "EXPORT",
                ArchiverService.UPLOADER, "UPLOAD", ArchiverService.DELETER, "DELETE");
        for (var entry : stages.entrySet()) {
            var response = system.fleet.get(entry.getKey()).get("/q/metrics");
            assertThat(response.statusCode()).as(entry.getKey() + " /q/metrics").isEqualTo(200);
            assertThat(response.body()).as(entry.getKey() + " metrics").containsPattern("archiver_rows_total\\{[^}]*stage=\"" + entry.getValue() + "\"")
                    .contains("archiver_event_duration_seconds");
        }
        String deleter = system.fleet.get(ArchiverService.DELETER).get("/q/metrics").body();
        double deleted = deleter.lines().filter(l -> l.startsWith("archiver_rows_total{") && l.contains("stage=\"DELETE\"")
                && l.contains("outcome=\"" + mode() + "D\"")).mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
        assertThat(deleted).as("rows the deleter counted").isEqualTo((double) completed.stats().rowsRemoved());
    }

    @Test
    @Order(8)
    void promise3_aReplayedRequestChangesNothing() throws SQLException {
        int objectsBefore = system.bucket.list("run-archive/").size();
        system.driver.trigger(request);
        // the scanner answers a replayed request for a completed run with its completion, rebuilt from the ledger
        List<ArchiveRunCompleted> completions = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (completions.size() < 2 && System.nanoTime() < deadline) {
            completions = system.driver.events(io.archiver.events.Topics.RUNS).stream().filter(ArchiveRunCompleted.class::isInstance)
                    .map(ArchiveRunCompleted.class::cast).filter(c -> c.runId().equals(request.runId())).toList();
        }
        assertThat(completions).hasSize(2);
        RunStatistics first = completions.get(0).stats();
        RunStatistics again = completions.get(1).stats();
        assertThat(again.rowsRemoved()).isEqualTo(first.rowsRemoved());
        assertThat(again.rowsExported()).isEqualTo(first.rowsExported());
        assertThat(again.objects()).isEqualTo(first.objects());
        assertThat(system.bucket.list("run-archive/")).hasSize(objectsBefore);
        try (Connection connection = system.jdbc()) {
            assertThat(TableSnapshot.of(connection, "run").digests()).isEqualTo(after.digests());
        }
    }
}
