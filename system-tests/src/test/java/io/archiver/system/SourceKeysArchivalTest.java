package io.archiver.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

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
import io.archiver.events.KeyValue;
import io.archiver.events.RunOutcome;
import io.archiver.localstack.LocalStack;
import io.archiver.localstack.mysql.MySqlServer;
import io.archiver.localstack.pipeline.PipelineDriver;
import io.archiver.localstack.process.StackLayout;
import io.archiver.operations.holds.HoldOperations;
import io.archiver.operations.holds.HoldOrder;
import io.archiver.operations.purge.PurgeReport;
import io.archiver.operations.purge.Purger;
import io.archiver.policy.TestPolicies;
import io.archiver.rows.ShardFormat;

/**
 * Every promise for a policy of another database whose key is not one integer column (issue 21): on an embedded MariaDB
 * applied as source {@code edge}, {@code ledger_line} with the composite key {@code (tenant VARCHAR(16) utf8mb4_general_ci,
 * business_date DATE, seq BIGINT UNSIGNED)} and a DATETIME(3) date column, archived by the four prod jars in MOVE mode in
 * batches of 4 (ranges of the whole key). Then one object is restored with {@code archivectl restore} into another table of
 * that database, and the MOVE table purged with the clock moved on: nothing while a hold is in force, then exactly the rows
 * past the archive-table-retention, audited in the control database.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SourceKeysArchivalTest {

    private static final String PASSWORD_ENV = "EDGE_DB_PASSWORD";
    private static final String PREFIX = "lines-archive/";
    private static final DateTimeFormatter DATETIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);
    /** A table's rows with their values as the CSV writes them (DATETIME without trailing fraction zeros). */
    private static final String SELECT = "SELECT tenant, DATE_FORMAT(business_date, '%Y-%m-%d'), CAST(seq AS CHAR),"
            + " TRIM(TRAILING '.' FROM TRIM(TRAILING '0' FROM DATE_FORMAT(booked_at, '%Y-%m-%d %H:%i:%s.%f'))), CAST(amount AS CHAR), note FROM ";
    private static final String ORDER = " ORDER BY tenant, business_date, seq";

    private MySqlServer edge;
    private SystemStack system;
    private ArchivectlProcess archivectl;
    private Instant now;
    private Instant cutoff;
    private final List<List<String>> old = new ArrayList<>();
    private final List<List<String>> young = new ArrayList<>();
    private ArchiveRunCompleted completed;
    private Map<String, ShardFormat.Parsed> objects;

    @BeforeAll
    void archiveACompositeKeyOfAnotherServerInMoveMode() throws Exception {
        Path edgeDir = Path.of("target", "system", "source-keys-edge").toAbsolutePath();
        LocalStack.deleteRecursively(edgeDir);
        edge = new MySqlServer(StackLayout.locate(edgeDir), edgeDir.resolve("mysql"), "archiver_st_keys_edge").mode("embedded").start(10, 0.5);
        now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        cutoff = now.minus(PipelineDriver.SIXTY_DAYS).minus(Duration.ofHours(1));
        try (Connection connection = edgeJdbc(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE ledger_line (tenant VARCHAR(16) CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci NOT NULL,"
                    + " business_date DATE NOT NULL, seq BIGINT UNSIGNED NOT NULL, booked_at DATETIME(3) NOT NULL, amount DECIMAL(12,2) NULL,"
                    + " note VARCHAR(40) NULL, PRIMARY KEY (tenant, business_date, seq), KEY idx_ledger_line_booked (booked_at))");
            statement.execute("CREATE TABLE ledger_line_archive LIKE ledger_line");
            String[] tenants = { "acme", "Beta", "zeta", "Ölfeld" };
            String[] seqs = { "0", "9223372036854775808", "18446744073709551615" };
            int[] ages = { 400, 300, 30, 10, 0 }; // days before the cutoff; 0: at it (stays); past the retention below: 400 and 300
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO ledger_line VALUES (?, ?, ?, ?, ?, ?)")) {
                int n = 0;
                for (String tenant : tenants) {
                    for (int d = 0; d < 2; d++) {
                        for (String seq : seqs) {
                            n++;
                            int age = ages[n % ages.length];
                            boolean youngRow = n % 7 == 0;
                            Instant booked = youngRow ? now.minus(Duration.ofDays(3)) : cutoff.minus(Duration.ofDays(age));
                            String bookedText = DATETIME.format(booked) + (n % 2 == 0 ? ".125" : "");
                            List<String> row = List.of(tenant, "2025-0" + (1 + d) + "-15", seq, bookedText, n + ".50", "line " + n + " é");
                            for (int i = 0; i < row.size(); i++) {
                                insert.setString(i + 1, row.get(i));
                            }
                            insert.executeUpdate();
                            (youngRow || age == 0 ? young : old).add(row);
                        }
                    }
                }
            }
        }
        Map<String, String> password = Map.of(PASSWORD_ENV, edge.password());
        system = SystemStack.start("srckeys", 50, 0.5, stack -> SystemStack.everyService(password));
        archivectl = new ArchivectlProcess(system);
        Path dir = system.stack.workDir();
        Path sources = Files.writeString(dir.resolve("sources.yaml"), """
                sources:
                  edge: {host: %s, port: %d, database: %s, user: %s, tls: DISABLED, password-env: %s}
                """.formatted(edge.host(), edge.port(), edge.database(), edge.user(), PASSWORD_ENV));
        ArchivectlProcess.Result applied = archivectl.run(password, "source", "apply", "-f", sources.toString(), "--actor", "system-test");
        assertThat(applied.exitCode()).as(applied.toString()).isZero();
        Path policies = Files.writeString(dir.resolve("policies.yaml"), """
                policies:
                  lines:
                    table: ledger_line
                    source: edge
                    key: [tenant, business_date, seq]
                    date-column: booked_at
                    date-kind: DATETIME
                    mode: MOVE
                    archive-table: ledger_line_archive
                    prefix: lines-archive
                    archive-table-retention: P250D
                    batch-size: 4
                    max-share-per-run: 1
                    allow-whole-table: true
                    confirm-first-run: false
                """);
        applied = archivectl.run(password, "policy", "apply", "-f", policies.toString(), "--actor", "system-test");
        assertThat(applied.exitCode()).as(applied.toString()).isZero();
        TestPolicies.awaitSeen(system.fleet.all(), Map.of("lines", 1), Duration.ofMinutes(1));
        ArchiveRequested request = ArchiveRequested.of(PipelineDriver.newRunId(), "lines", "ledger_line", cutoff.toEpochMilli(), ArchiveMode.MOVE,
                "source-keys-test", false, null);
        system.driver.trigger(request);
        completed = system.driver.awaitCompletion(request.runId(), Duration.ofMinutes(3));
        objects = ArchivedObjects.parsedOfRun(system.bucket, PREFIX, request.runId());
    }

    @AfterAll
    void stop() {
        try {
            if (system != null) {
                system.close();
            }
        } finally {
            if (edge != null) {
                edge.close();
            }
        }
    }

    @Test
    @Order(1)
    void theRunMovedExactlyTheRowsBeforeTheCutoffIntoObjectsValueForValue() throws Exception {
        assertThat(completed.outcome()).as(completed.stats().toString()).isEqualTo(RunOutcome.SUCCEEDED);
        assertThat(completed.stats().rowsRemoved()).isEqualTo(old.size());
        assertThat(objects).hasSize((old.size() + 3) / 4);
        List<List<String>> archived = new ArrayList<>();
        for (ShardFormat.Parsed object : objects.values()) {
            assertThat(object.header()).containsExactly("tenant", "business_date", "seq", "booked_at", "amount", "note");
            archived.addAll(object.rows());
        }
        assertThat(archived).as("the objects' rows").containsExactlyInAnyOrderElementsOf(old);
        try (Connection control = system.jdbc()) {
            ArchivedObjects.assertDigestsMatchLedger(control, completed.runId(), objects);
        }
        try (Connection source = edgeJdbc()) {
            assertThat(rows(source, "ledger_line_archive")).as("the MOVE table, value for value").containsExactlyInAnyOrderElementsOf(old);
            assertThat(rows(source, "ledger_line")).as("promise 2: the young rows and those at the cutoff, untouched")
                    .containsExactlyInAnyOrderElementsOf(young);
            assertThat(young).as("rows at the cutoff among them").anyMatch(r -> r.get(3).startsWith(DATETIME.format(cutoff)));
            assertThat(count(source, "SELECT COUNT(*) FROM archiver_batch_progress WHERE run_id = '" + completed.runId() + "' AND completed = 1"
                    + " AND removed_through_key LIKE '[%]'")).as("each batch completed through its last key in the source")
                    .isEqualTo(objects.size());
        }
        try (Connection control = system.jdbc()) {
            assertThat(count(control, "SELECT COUNT(*) FROM archive_audit WHERE run_id = '" + completed.runId() + "' AND action = 'BATCH_MOVED'"))
                    .isEqualTo(objects.size());
        }
    }

    @Test
    @Order(2)
    void oneObjectIsRestoredIntoAnotherTableOfTheSourceValueForValue() throws Exception {
        String object = objects.keySet().iterator().next();
        ArchivectlProcess.Result restored = archivectl.run("restore", "--policy", "lines", "--object", object, "--into", "lines_restored",
                "--restore-id", "restore-source-keys", "--wait");
        assertThat(restored.exitCode()).as(restored.toString()).isZero();
        try (Connection source = edgeJdbc()) {
            assertThat(rows(source, "lines_restored")).containsExactlyInAnyOrderElementsOf(objects.get(object).rows());
        }
        try (Connection control = system.jdbc()) {
            assertThat(count(control, "SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()"
                    + " AND TABLE_NAME = 'lines_restored'")).as("nothing restored into the control database").isZero();
            assertThat(count(control, "SELECT rows_restored FROM archive_restore WHERE restore_id = 'restore-source-keys'"
                    + " AND state = 'COMPLETED'")).isEqualTo(objects.get(object).rows().size());
            assertThat(count(control, "SELECT COUNT(*) FROM archive_audit WHERE run_id = 'restore-source-keys' AND action = 'RESTORED'"))
                    .isEqualTo(1);
        }
        ArchivectlProcess.Result again = archivectl.run("restore", "--policy", "lines", "--object", object, "--into", "lines_restored",
                "--restore-id", "restore-source-keys-again", "--wait");
        assertThat(again.exitCode()).as(again.toString()).isZero();
        try (Connection source = edgeJdbc(); Connection control = system.jdbc()) {
            assertThat(count(control, "SELECT rows_skipped FROM archive_restore WHERE restore_id = 'restore-source-keys-again'"))
                    .as("a second restore finds every row there with the same values").isEqualTo(objects.get(object).rows().size());
            assertThat(rows(source, "lines_restored")).hasSize(objects.get(object).rows().size());
        }
    }

    @Test
    @Order(3)
    void purgeWithTheClockMovedOnKeepsEverythingWhileAHoldIsInForceThenRemovesExactlyTheDueRowsAudited() throws Exception {
        Clock later = Clock.fixed(now.plus(Duration.ofDays(100)), ZoneOffset.UTC);
        Instant dueBefore = later.instant().minus(Duration.ofDays(250));
        List<List<String>> due = old.stream().filter(r -> booked(r).isBefore(dueBefore)).toList();
        List<List<String>> kept = old.stream().filter(r -> !booked(r).isBefore(dueBefore)).toList();
        assertThat(due).isNotEmpty();
        assertThat(kept).isNotEmpty();
        try (Connection control = system.jdbc()) {
            HoldOperations holds = new HoldOperations(control, null, Clock.systemUTC());
            HoldOperations.Outcome hold = holds.place(new HoldOrder("lines", completed.runId(), null, null, null, "case 21", null, "counsel"));
            PurgeReport.Rows heldBack = purge(control, later).policies().get(0).rows();
            assertThat(heldBack.purged()).as("a hold on the run of a whole key keeps every row").isZero();
            assertThat(heldBack.held()).isEqualTo(due.size());
            try (Connection source = edgeJdbc()) {
                assertThat(rows(source, "ledger_line_archive")).hasSize(old.size());
            }

            holds.release(hold.hold().id(), "counsel");
            PurgeReport.Rows purged = purge(control, later).policies().get(0).rows();

            assertThat(purged.purged()).isEqualTo(due.size());
            assertThat(purged.held()).isZero();
            try (Connection source = edgeJdbc()) {
                assertThat(rows(source, "ledger_line_archive")).as("the MOVE table: the rows not yet due").containsExactlyInAnyOrderElementsOf(kept);
                assertThat(rows(source, "ledger_line")).containsExactlyInAnyOrderElementsOf(young);
            }
            assertThat(count(control, "SELECT COALESCE(SUM(row_count), 0) FROM archive_audit WHERE action = 'ROWS_PURGED' AND policy = 'lines'"
                    + " AND detail LIKE '% in source edge,%'")).as("audited in the control database").isEqualTo(due.size());
        }
    }

    private PurgeReport purge(Connection control, Clock clock) {
        return new Purger(control, null, clock, "purge-test", 3, source -> DriverManager.getConnection(edge.jdbcUrl(), edge.user(),
                edge.password())).purge("lines", false);
    }

    private static Instant booked(List<String> row) {
        return java.time.LocalDateTime.parse(row.get(3).substring(0, 19).replace(' ', 'T')).toInstant(ZoneOffset.UTC);
    }

    private Connection edgeJdbc() throws SQLException {
        return DriverManager.getConnection(edge.jdbcUrl(), edge.user(), edge.password());
    }

    private static List<List<String>> rows(Connection connection, String table) throws SQLException {
        List<List<String>> rows = new ArrayList<>();
        try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery(SELECT + table + ORDER)) {
            while (rs.next()) {
                List<String> row = new ArrayList<>();
                for (int i = 1; i <= 6; i++) {
                    row.add(rs.getString(i));
                }
                rows.add(row);
            }
        }
        return rows;
    }

    private static long count(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery(sql)) {
            assertThat(rs.next()).as(sql).isTrue();
            return rs.getLong(1);
        }
    }
}
