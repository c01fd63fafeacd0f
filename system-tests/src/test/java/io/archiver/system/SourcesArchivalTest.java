package io.archiver.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.archiver.policy.TestPolicies;

/**
 * Tables of two MySQL servers archived by one {@code archivectl trigger --policy all} (issue 21): {@code run} (DELETE) in the
 * control database on the machine's MariaDB, and two policies of a source {@code edge}, an embedded MariaDB on a port of its
 * own applied with {@code archivectl source apply}: {@code events} (DELETE) and {@code orders} (MOVE). Per policy, every row
 * before the cutoff is in exactly one object under its prefix with the same values and gone from its table (in the MOVE table,
 * value for value, on the second server), every younger row untouched; the source's namesake {@code run} table is not touched;
 * each source batch's progress is in that database's {@code archiver_batch_progress}, and DELETED and audited in the control
 * database's ledger.
 */
class SourcesArchivalTest {

    private static final long ROWS = 2_000;
    private static final String SECOND = "edge";

    private static SecondSource edge;
    private static SystemStack system;
    private static ArchivectlProcess archivectl;
    private static final Map<String, TableSnapshot> before = new HashMap<>();
    private static TableSnapshot edgeRunBefore;
    private static ArchivectlProcess.Result sourceApplied;
    private static ArchivectlProcess.Result triggered;
    private static Map<String, String> runIdByPolicy;

    @BeforeAll
    static void archiveThreePoliciesOverTwoServers() throws Exception {
        edge = SecondSource.start(SECOND, "sources-edge", ROWS, 0.6);
        try (Connection connection = edgeJdbc(); Statement statement = connection.createStatement()) {
            for (String table : List.of("events", "orders")) {
                statement.execute("CREATE TABLE " + table + " LIKE run");
                statement.execute("INSERT INTO " + table + " SELECT * FROM run");
                before.put(table, TableSnapshot.of(connection, table));
            }
            statement.execute("CREATE TABLE orders_archive LIKE run");
            edgeRunBefore = TableSnapshot.of(connection, "run");
        }
        Map<String, String> password = edge.passwordEnvironment();
        system = SystemStack.start("sources", ROWS, 0.6, stack -> SystemStack.everyService(password));
        archivectl = new ArchivectlProcess(system);
        try (Connection connection = system.jdbc()) {
            before.put("run", TableSnapshot.of(connection, "run"));
        }
        Path dir = system.stack.workDir();
        sourceApplied = edge.apply(archivectl, dir);
        assertThat(sourceApplied.exitCode()).as(sourceApplied.toString()).isZero();
        Path policies = Files.writeString(dir.resolve("policies.yaml"), """
                policies:
                  events:
                    table: events
                    source: edge
                    prefix: edge/events-archive
                    batch-size: 300
                    confirm-first-run: false
                  orders:
                    table: orders
                    source: edge
                    mode: MOVE
                    archive-table: orders_archive
                    batch-size: 400
                    confirm-first-run: false
                """);
        ArchivectlProcess.Result applied = archivectl.run(password, "policy", "apply", "-f", policies.toString(), "--actor", "system-test");
        assertThat(applied.exitCode()).as(applied.toString()).isZero();
        TestPolicies.awaitSeen(system.fleet.all(), Map.of("events", 1, "orders", 1), Duration.ofMinutes(1));
        triggered = archivectl.run("trigger", "--policy", "all", "--wait", "PT10M");
        assertThat(triggered.exitCode()).as(triggered.toString()).isZero();
        runIdByPolicy = runs(triggered.out().lines().filter(l -> l.startsWith("run-")).map(String::trim).toList());
    }

    @AfterAll
    static void stop() {
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

    private static Connection edgeJdbc() throws SQLException {
        return edge.jdbc();
    }

    /** The connection to the database a policy's table is in. */
    private static Connection tableJdbc(String policy) throws SQLException {
        return policy.equals("run") ? system.jdbc() : edgeJdbc();
    }

    private static Map<String, String> runs(List<String> runIds) throws SQLException {
        Map<String, String> ids = new HashMap<>();
        try (Connection connection = system.jdbc(); PreparedStatement runs = connection.prepareStatement(
                "SELECT policy, run_id FROM archive_run WHERE run_id IN (" + runIds.stream().map(id -> "'" + id + "'")
                        .collect(Collectors.joining(", ")) + ")"); ResultSet rs = runs.executeQuery()) {
            while (rs.next()) {
                ids.put(rs.getString(1), rs.getString(2));
            }
        }
        return ids;
    }

    private static long single(Connection connection, String sql, String argument) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, argument);
            try (ResultSet rs = statement.executeQuery()) {
                assertThat(rs.next()).as(sql).isTrue();
                return rs.getLong(1);
            }
        }
    }

    private static Set<Long> eligible(String policy) throws SQLException {
        long cutoff;
        try (Connection connection = system.jdbc()) {
            cutoff = single(connection, "SELECT cutoff_epoch_ms FROM archive_run WHERE run_id = ?", runIdByPolicy.get(policy));
        }
        return before.get(policy).dates().entrySet().stream().filter(e -> e.getValue() < cutoff).map(Map.Entry::getKey)
                .collect(Collectors.toSet());
    }

    @Test
    void threePoliciesOfTwoServersRanFromOneTrigger() {
        assertThat(sourceApplied.out()).contains("source edge: CREATE version 1");
        assertThat(runIdByPolicy).containsOnlyKeys("run", "events", "orders");
        assertThat(triggered.out() + triggered.err()).contains("policy run, table run, mode DELETE", "policy events, table events, mode DELETE",
                "policy orders, table orders, mode MOVE");
    }

    @Test
    void eachPolicysEligibleRowsAreInExactlyOneObjectWithTheSameValuesAndGoneFromItsTable() throws Exception {
        Map<String, String> prefixes = Map.of("run", "run-archive/", "events", "edge/events-archive/", "orders", "orders-archive/");
        for (String policy : List.of("run", "events", "orders")) {
            TableSnapshot was = before.get(policy);
            Set<Long> eligible = eligible(policy);
            assertThat(eligible).as(policy).hasSizeGreaterThan((int) (ROWS * 0.5));
            String prefix = prefixes.get(policy);
            ArchivedObjects archived = ArchivedObjects.of(system.bucket, prefix, runIdByPolicy.get(policy));
            assertThat(system.bucket.list(prefix)).as(policy + ": objects under " + prefix).isNotEmpty()
                    .allSatisfy(o -> assertThat(o.key()).startsWith(prefix + policy + "_archive_"));
            assertThat(archived.archivedTwice()).as(policy + ": rows archived twice").isEmpty();
            assertThat(archived.digests().keySet()).as(policy + ": archived ids").isEqualTo(eligible);
            assertThat(eligible.stream().filter(id -> !was.digests().get(id).equals(archived.digests().get(id))).toList())
                    .as(policy + ": rows whose archived values differ").isEmpty();
            TableSnapshot after;
            try (Connection connection = tableJdbc(policy)) {
                after = TableSnapshot.of(connection, policy);
            }
            Set<Long> younger = new HashSet<>(was.digests().keySet());
            younger.removeAll(eligible);
            assertThat(after.digests().keySet()).as(policy + ": rows left").isEqualTo(younger);
            assertThat(younger.stream().filter(id -> !was.digests().get(id).equals(after.digests().get(id))).toList())
                    .as(policy + ": younger rows changed").isEmpty();
        }
    }

    @Test
    void theMovePolicysRowsAreInItsArchiveTableOnTheSecondServerValueForValue() throws Exception {
        Set<Long> eligible = eligible("orders");
        TableSnapshot moved;
        try (Connection connection = edgeJdbc()) {
            moved = TableSnapshot.of(connection, "orders_archive");
        }
        assertThat(moved.digests().keySet()).isEqualTo(eligible);
        TableSnapshot was = before.get("orders");
        assertThat(eligible.stream().filter(id -> !was.digests().get(id).equals(moved.digests().get(id))).toList()).isEmpty();
        try (Connection connection = system.jdbc()) {
            assertThat(TableSnapshot.of(connection, "run_archive").digests()).as("no MOVE into the control database").isEmpty();
        }
    }

    @Test
    void theSourcesNamesakeOfTheControlsRunTableIsUntouched() throws Exception {
        try (Connection connection = edgeJdbc()) {
            assertThat(TableSnapshot.of(connection, "run").digests()).isEqualTo(edgeRunBefore.digests());
        }
    }

    @Test
    void eachSourceBatchHasItsProgressInItsOwnDatabaseAndIsDeletedAndAuditedInTheControlLedger() throws Exception {
        for (String policy : List.of("events", "orders")) {
            String runId = runIdByPolicy.get(policy);
            long batches;
            long deleted;
            long audited;
            try (Connection control = system.jdbc()) {
                batches = single(control, "SELECT COUNT(*) FROM archive_batch WHERE run_id = ?", runId);
                deleted = single(control, "SELECT COUNT(*) FROM archive_batch WHERE run_id = ? AND state = 'DELETED'", runId);
                audited = single(control, "SELECT COUNT(*) FROM archive_audit WHERE run_id = ? AND action IN ('BATCH_DELETED', 'BATCH_MOVED')",
                        runId);
                assertThat(single(control, "SELECT COALESCE(SUM(rows_removed), 0) FROM archive_batch WHERE run_id = ?", runId))
                        .as(policy + ": rows removed in the ledger").isEqualTo(eligible(policy).size());
            }
            assertThat(batches).as(policy).isGreaterThan(1);
            assertThat(deleted).as(policy + ": batches DELETED in the control ledger").isEqualTo(batches);
            assertThat(audited).as(policy + ": one audit row per batch").isEqualTo(batches);
            try (Connection source = edgeJdbc()) {
                assertThat(single(source, "SELECT COUNT(*) FROM archiver_batch_progress WHERE run_id = ? AND completed = 1", runId))
                        .as(policy + ": completed progress rows in the source database").isEqualTo(batches);
            }
        }
        try (Connection control = system.jdbc()) {
            assertThat(single(control, "SELECT COUNT(*) FROM information_schema.TABLES WHERE table_schema = DATABASE() AND table_name = ?",
                    "archiver_batch_progress")).as("the control database's own tables keep their progress in the ledger").isZero();
        }
    }

    @Test
    void noLogHoldsTheSourcesPassword() throws Exception {
        system.assertNoSecretInAnyLog(edge.server().password());
        assertThat(sourceApplied.out() + sourceApplied.err()).doesNotContain(edge.server().password());
    }
}
