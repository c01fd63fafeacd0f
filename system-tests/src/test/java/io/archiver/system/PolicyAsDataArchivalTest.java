package io.archiver.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
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
 * Policies as data, end to end: a second policy (a MOVE of another table) applied with {@code archivectl policy apply} while
 * the services run, with no restart, and both policies archived by one {@code archivectl trigger --policy all}; every
 * eligible row of each table in exactly one object with the same values and gone from its table (moved, for the MOVE policy,
 * value for value), every younger row untouched. A file with a mistake changes nothing; the history says who changed what.
 */
class PolicyAsDataArchivalTest {

    private static final long ROWS = 3_000;

    private static SystemStack system;
    private static ArchivectlProcess archivectl;
    private static TableSnapshot runBefore;
    private static TableSnapshot ordersBefore;
    private static ArchivectlProcess.Result bad;
    private static ArchivectlProcess.Result applied;
    private static ArchivectlProcess.Result triggered;
    private static Map<String, String> runIdByPolicy;

    @BeforeAll
    static void archiveTwoPoliciesInOneTrigger() throws Exception {
        system = SystemStack.start("policies", ROWS, 0.6);
        archivectl = new ArchivectlProcess(system);
        try (Connection connection = system.jdbc(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE orders LIKE run");
            statement.execute("INSERT INTO orders SELECT * FROM run");
            statement.execute("CREATE TABLE orders_archive LIKE run");
            runBefore = TableSnapshot.of(connection, "run");
            ordersBefore = TableSnapshot.of(connection, "orders");
        }
        Path dir = system.stack.workDir();
        Path broken = Files.writeString(dir.resolve("broken.yaml"), "policies:\n  orders:\n    table: orders\n    min-age: soon\n");
        bad = archivectl.run("policy", "apply", "-f", broken.toString(), "--actor", "system-test");
        Path file = Files.writeString(dir.resolve("policies.yaml"), """
                policies:
                  orders:
                    table: orders
                    mode: MOVE
                    archive-table: orders_archive
                    prefix: shop/orders-archive
                    batch-size: 500
                    confirm-first-run: false
                """);
        applied = archivectl.run("policy", "apply", "-f", file.toString(), "--actor", "system-test");
        assertThat(applied.exitCode()).as(applied.toString()).isZero();
        TestPolicies.awaitSeen(system.fleet.all(), Map.of("orders", 1), Duration.ofMinutes(1));
        triggered = archivectl.run("trigger", "--policy", "all", "--wait", "PT10M");
        assertThat(triggered.exitCode()).as(triggered.toString()).isZero();
        try (Connection connection = system.jdbc(); PreparedStatement runs = connection.prepareStatement(
                "SELECT policy, run_id FROM archive_run WHERE run_id IN (" + triggered.out().lines().filter(l -> l.startsWith("run-"))
                        .map(l -> "'" + l.trim() + "'").collect(Collectors.joining(", ")) + ")")) {
            Map<String, String> ids = new java.util.HashMap<>();
            try (ResultSet rs = runs.executeQuery()) {
                while (rs.next()) {
                    ids.put(rs.getString(1), rs.getString(2));
                }
            }
            runIdByPolicy = ids;
        }
    }

    @AfterAll
    static void stop() {
        if (system != null) {
            system.close();
        }
    }

    private static long cutoff(String runId) throws Exception {
        try (Connection connection = system.jdbc();
                PreparedStatement statement = connection.prepareStatement("SELECT cutoff_epoch_ms FROM archive_run WHERE run_id = ?")) {
            statement.setString(1, runId);
            try (ResultSet rs = statement.executeQuery()) {
                assertThat(rs.next()).isTrue();
                return rs.getLong(1);
            }
        }
    }

    private static Set<Long> eligible(TableSnapshot before, long cutoff) {
        return before.dates().entrySet().stream().filter(e -> e.getValue() < cutoff).map(Map.Entry::getKey).collect(Collectors.toSet());
    }

    @Test
    void aFileWithAMistakeIsRefusedNamingTheSettingAndChangesNothing() {
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.err()).contains("policies.orders.min-age: 'soon' is not an ISO-8601 duration");
        assertThat(archivectl.run("policy", "history", "orders").out()).contains("version 1  CREATE  by system-test")
                .doesNotContain("version 2");
    }

    @Test
    void bothPoliciesRanFromOneTrigger() {
        assertThat(runIdByPolicy).containsOnlyKeys("run", "orders");
        assertThat(triggered.out()).contains("policy run, table run, mode DELETE", "policy orders, table orders, mode MOVE");
    }

    @Test
    void eachPolicysEligibleRowsAreInExactlyOneObjectWithTheSameValuesAndGoneFromItsTable() throws Exception {
        for (String policy : List.of("run", "orders")) {
            TableSnapshot before = policy.equals("run") ? runBefore : ordersBefore;
            String runId = runIdByPolicy.get(policy);
            Set<Long> eligible = eligible(before, cutoff(runId));
            assertThat(eligible).as(policy).hasSizeGreaterThan((int) (ROWS * 0.5));
            String prefix = policy.equals("run") ? "run-archive/" : "shop/orders-archive/";
            ArchivedObjects archived = ArchivedObjects.of(system.bucket, prefix, runId);
            // each policy's objects under its own prefix, named after its table (issue 21 item 6)
            assertThat(system.bucket.list(prefix)).as(policy + ": objects under " + prefix).isNotEmpty()
                    .allSatisfy(o -> assertThat(o.key()).startsWith(prefix + policy + "_archive_"));
            assertThat(archived.archivedTwice()).as(policy + ": rows archived twice").isEmpty();
            assertThat(archived.digests().keySet()).as(policy + ": archived ids").isEqualTo(eligible);
            assertThat(eligible.stream().filter(id -> !before.digests().get(id).equals(archived.digests().get(id))).toList())
                    .as(policy + ": rows whose archived values differ").isEmpty();
            TableSnapshot after;
            try (Connection connection = system.jdbc()) {
                after = TableSnapshot.of(connection, policy);
            }
            Set<Long> younger = new HashSet<>(before.digests().keySet());
            younger.removeAll(eligible);
            assertThat(after.digests().keySet()).as(policy + ": rows left").isEqualTo(younger);
            assertThat(younger.stream().filter(id -> !before.digests().get(id).equals(after.digests().get(id))).toList())
                    .as(policy + ": younger rows changed").isEmpty();
        }
    }

    @Test
    void theMovePolicysRowsAreInItsArchiveTableValueForValue() throws Exception {
        Set<Long> eligible = eligible(ordersBefore, cutoff(runIdByPolicy.get("orders")));
        TableSnapshot moved;
        try (Connection connection = system.jdbc()) {
            moved = TableSnapshot.of(connection, "orders_archive");
            assertThat(TableSnapshot.of(connection, "run_archive").digests()).as("the run policy is DELETE").isEmpty();
        }
        assertThat(moved.digests().keySet()).isEqualTo(eligible);
        assertThat(eligible.stream().filter(id -> !ordersBefore.digests().get(id).equals(moved.digests().get(id))).toList()).isEmpty();
    }

    @Test
    void theHistorySaysWhoChangedWhat() {
        ArchivectlProcess.Result history = archivectl.run("policy", "history", "orders");
        assertThat(history.out()).contains("version 1  CREATE  by system-test", "+ mode: MOVE", "+ archive-table: orders_archive");
        assertThat(archivectl.run("policy", "history", "run").out()).contains("version 1  CREATE  by migration V9",
                "version 2  UPDATE  by test-harness", "~ confirm-first-run: true -> false");
    }
}
