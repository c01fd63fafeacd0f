package io.archiver.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.archiver.events.ArchiveRunAwaitingConfirmation;
import io.archiver.events.ArchiveRunCompleted;
import io.archiver.events.Topics;
import io.archiver.localstack.services.ArchiverService;

/**
 * The safety rails on the real stack, driven with the archivectl runner jar as an operator would: a policy can never
 * empty a live table by mistake. A policy on an epoch-seconds, a DATE, a DATETIME or an unindexed column is refused
 * with the reason named and nothing touched (the table as it was, no batch published, no object written). A run that
 * would take the whole table, or more than its share, or the first run of a new policy, stops before exporting with its
 * plan and archives after {@code archivectl trigger --confirm}; a replayed confirmation changes nothing. A run that finds
 * nothing prints the table's oldest date next to the cutoff.
 */
class SafetyRailsTest {

    private static final long DAY_MS = Duration.ofDays(1).toMillis();
    private static final long NOW = System.currentTimeMillis();

    /** Policy name (one word: each becomes ARCHIVER_POLICIES_<NAME>_...) to its settings beyond the defaults. */
    private static final Map<String, Map<String, String>> POLICIES = Map.of(
            "secs", Map.of("TABLE", "events", "DATE_COLUMN", "sent_s"),
            "dates", Map.of("TABLE", "events", "DATE_COLUMN", "sent_on"),
            "datetimes", Map.of("TABLE", "events", "DATE_COLUMN", "sent_at"),
            "unindexed", Map.of("TABLE", "events", "DATE_COLUMN", "unindexed_ms"),
            "young", Map.of("TABLE", "events", "DATE_COLUMN", "msg_sent_date"),
            "whole", Map.of("TABLE", "old_events", "CONFIRM_FIRST_RUN", "false"),
            "share", Map.of("TABLE", "mixed_events", "CONFIRM_FIRST_RUN", "false"),
            "first", Map.of("TABLE", "first_events"));

    private static SystemStack system;
    private static ArchivectlProcess archivectl;

    @BeforeAll
    static void start() throws SQLException {
        Map<String, String> settings = new HashMap<>();
        POLICIES.forEach((policy, values) -> {
            settings.put("ARCHIVER_POLICIES_" + policy.toUpperCase(Locale.ROOT) + "_BATCH_SIZE", "1000");
            values.forEach((key, value) -> settings.put("ARCHIVER_POLICIES_" + policy.toUpperCase(Locale.ROOT) + "_" + key, value));
        });
        system = SystemStack.start("rails", 1_000, 0.6, stack -> SystemStack.everyService(settings));
        archivectl = new ArchivectlProcess(system);
        try (Connection connection = system.jdbc(); Statement statement = connection.createStatement()) {
            // the table: every row written in the last 30 days, its date in milliseconds, seconds, as a DATE and a DATETIME
            statement.execute("CREATE TABLE events (id BIGINT PRIMARY KEY, msg_sent_date BIGINT NOT NULL, sent_s BIGINT NOT NULL,"
                    + " sent_on DATE NOT NULL, sent_at DATETIME(3) NOT NULL, unindexed_ms BIGINT NOT NULL, note VARCHAR(64) NULL,"
                    + " KEY idx_events_ms (msg_sent_date), KEY idx_events_s (sent_s), KEY idx_events_on (sent_on), KEY idx_events_at (sent_at))");
            insert(connection, "events", 5_000, n -> NOW - DAY_MS - n * (29 * DAY_MS / 5_000));
            for (String table : List.of("old_events", "mixed_events", "first_events")) {
                statement.execute("CREATE TABLE " + table + " LIKE events");
            }
            insert(connection, "old_events", 3_000, n -> NOW - 100 * DAY_MS - n * 60_000);
            insert(connection, "mixed_events", 3_000, n -> n < 2_850 ? NOW - 100 * DAY_MS - n * 60_000 : NOW - DAY_MS - n * 1_000);
            insert(connection, "first_events", 2_000, n -> n < 1_000 ? NOW - 100 * DAY_MS - n * 60_000 : NOW - DAY_MS - n * 1_000);
        }
    }

    @AfterAll
    static void stop() {
        if (system != null) {
            system.close();
        }
    }

    /** Rows {@code 1..rows}, row {@code n}'s date {@code date(n)} in milliseconds, and the same instant in every other column. */
    private static void insert(Connection connection, String table, int rows, java.util.function.LongUnaryOperator date) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO " + table + " (id, msg_sent_date, sent_s, sent_on, sent_at,"
                + " unindexed_ms, note) VALUES (?, ?, ?, DATE(FROM_UNIXTIME(?)), FROM_UNIXTIME(?), ?, ?)")) {
            for (int n = 0; n < rows; n++) {
                long ms = date.applyAsLong(n);
                insert.setLong(1, n + 1);
                insert.setLong(2, ms);
                insert.setLong(3, ms / 1_000);
                insert.setLong(4, ms / 1_000);
                insert.setDouble(5, ms / 1_000.0);
                insert.setLong(6, ms);
                insert.setString(7, "row " + n + " ✓");
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    private static TableSnapshot snapshot(String table) throws SQLException {
        try (Connection connection = system.jdbc()) {
            return TableSnapshot.of(connection, table);
        }
    }

    /** No batch published, no object written, for the run. */
    private static void assertNothingExported(String runId) {
        assertThat(RunEvents.batches(system.driver, runId)).as("ArchiveBatchReady of " + runId).isEmpty();
        assertThat(system.bucket.list("")).as("objects of " + runId).noneMatch(o -> o.key().contains(runId));
    }

    /** Triggers a run that a rail must hold: exit 3, how to confirm it said, nothing exported, the table as it was. */
    private static ArchivectlProcess.Result held(String policy, String table, TableSnapshot before) throws SQLException {
        ArchivectlProcess.Result trigger = archivectl.run("trigger", "--policy", policy, "--table", table, "--wait", "PT3M");
        assertThat(trigger.exitCode()).as("%s", trigger).isEqualTo(3);
        assertThat(trigger.err()).contains("archivectl trigger --confirm " + trigger.runId());
        assertNothingExported(trigger.runId());
        assertThat(snapshot(table).digests()).as(table + " while the run is held").isEqualTo(before.digests());
        return trigger;
    }

    private static void assertRefused(String policy, String... expected) throws SQLException {
        TableSnapshot before = snapshot("events");
        ArchivectlProcess.Result trigger = archivectl.run("trigger", "--policy", policy, "--table", "events", "--wait", "PT3M");
        assertThat(trigger.exitCode()).as("%s", trigger).isEqualTo(1);
        String runId = trigger.runId();
        assertThat(trigger.out()).contains("run " + runId + " completed: REFUSED").contains(expected);
        assertThat(trigger.err()).contains("ended REFUSED (");
        assertThat(snapshot("events").digests()).as("events after the refused run").isEqualTo(before.digests());
        assertNothingExported(runId);
        ArchivectlProcess.Result status = archivectl.run("status", runId);
        assertThat(status.out()).contains("state      COMPLETED REFUSED").contains("rails      ");
    }

    @Test
    void anEpochSecondsColumnDeclaredAsMillisecondsIsRefusedWithTheUnitNamedAndNoRowTouched() throws SQLException {
        assertRefused("secs", "DATE_VALUES_IMPLAUSIBLE: policy 'secs': column events.sent_s holds",
                "values look like epoch seconds, policy says milliseconds");
    }

    @Test
    void aDateAndADatetimeColumnDeclaredAsEpochMillisecondsAreRefusedTheSameWay() throws SQLException {
        assertRefused("dates", "DATE_TYPE_MISMATCH: policy 'dates': column events.sent_on is DATE (values ",
                "values look like dates, policy says milliseconds");
        assertRefused("datetimes", "DATE_TYPE_MISMATCH: policy 'datetimes': column events.sent_at is DATETIME(3) (values ",
                "values look like date-times, policy says milliseconds");
    }

    @Test
    void aDateColumnWithoutAnIndexIsRefused() throws SQLException {
        assertRefused("unindexed", "DATE_COLUMN_NOT_INDEXED: policy 'unindexed': column events.unindexed_ms is not the first column of any index");
    }

    @Test
    void aRunWithNoEligibleRowPrintsTheTablesOldestDateNextToTheCutoff() throws SQLException {
        long oldest;
        try (Connection connection = system.jdbc(); Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("SELECT MIN(msg_sent_date) FROM events")) {
            rs.next();
            oldest = rs.getLong(1);
        }
        ArchivectlProcess.Result trigger = archivectl.run("trigger", "--policy", "young", "--table", "events", "--wait", "PT3M");
        assertThat(trigger.exitCode()).as("%s", trigger).isZero();
        assertThat(trigger.out()).contains("completed: SUCCEEDED").contains("rows found 0,")
                .contains("NOTHING_ELIGIBLE: 0 of 5,000 rows of events are older than the cutoff ")
                .contains("; the oldest row is from " + Instant.ofEpochMilli(oldest) + ", 30 days after the cutoff");
    }

    @Test
    void aRunThatWouldTakeTheWholeTableStopsBeforeExportingAndArchivesAfterConfirm() throws Exception {
        TableSnapshot before = snapshot("old_events");
        ArchivectlProcess.Result trigger = held("whole", "old_events", before);
        String runId = trigger.runId();
        assertThat(trigger.out()).contains("run " + runId + " awaits confirmation: WHOLE_TABLE")
                .contains("plan: 3,000 rows in 3 batches").contains("100.0% of the table's 3,000 rows")
                .contains("the run would archive every row of old_events: 3,000 of 3,000 (allow-whole-table is false)");
        assertThat(archivectl.run("status", runId).out()).contains("state      AWAITING_CONFIRMATION")
                .contains("rails      WHOLE_TABLE").contains("plan       3,000 of the table's 3,000 rows (100.0%)")
                .contains("confirm    archivectl trigger --confirm " + runId);

        ArchivectlProcess.Result confirmed = archivectl.run("trigger", "--confirm", runId, "--requested-by", "rails-test", "--wait", "PT5M");
        assertThat(confirmed.exitCode()).as("%s", confirmed).isZero();
        assertThat(confirmed.out()).contains("run " + runId + " completed: SUCCEEDED").contains("removed 3,000, failed 0")
                .contains("WHOLE_TABLE: confirmed by rails-test after it was held: the run would archive every row of old_events");
        assertThat(snapshot("old_events").digests()).as("old_events after the confirmed run").isEmpty();
        assertThat(ArchivedObjects.of(system.bucket, "old_events-archive/", runId).digests()).isEqualTo(before.digests());
        assertThat(archivectl.run("status", runId).out()).contains("state      COMPLETED SUCCEEDED").contains("by rails-test");

        aReplayedConfirmationChangesNothing(runId);
    }

    private static void aReplayedConfirmationChangesNothing(String runId) throws Exception {
        int batches = RunEvents.batches(system.driver, runId).size();
        int objects = ArchivedObjects.of(system.bucket, "old_events-archive/", runId).objects().size();
        system.driver.confirm(runId, "replay");
        await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(500)).until(() -> Files.readAllLines(
                system.fleet.get(ArchiverService.SCANNER).log()).stream().anyMatch(l -> l.contains("event=ArchiveRunConfirmed runId=" + runId + " ")
                        && l.contains("outcome=NOT_AWAITING")));
        assertThat(RunEvents.batches(system.driver, runId)).hasSize(batches);
        assertThat(ArchivedObjects.of(system.bucket, "old_events-archive/", runId).objects()).hasSize(objects);
        assertThat(system.driver.events(Topics.RUNS).stream().filter(ArchiveRunCompleted.class::isInstance).filter(e -> e.runId().equals(runId)))
                .as("completions of " + runId).hasSize(1);
    }

    @Test
    void aConfirmationOfARunTheLedgerDoesNotKnowIsRefusedAndSaysSo() {
        ArchivectlProcess.Result unknown = archivectl.run("trigger", "--confirm", "run-nobody-requested", "--wait", "PT2M");
        assertThat(unknown.exitCode()).as("%s", unknown).isEqualTo(1);
        assertThat(unknown.err()).contains("the scanner refused the request").contains("no run run-nobody-requested in the ledger to confirm");
    }

    @Test
    void aRunOverItsShareStopsBeforeExportingAndArchivesAfterConfirm() throws Exception {
        TableSnapshot before = snapshot("mixed_events");
        ArchivectlProcess.Result trigger = held("share", "mixed_events", before);
        String runId = trigger.runId();
        assertThat(trigger.out()).contains("awaits confirmation: OVER_MAX_SHARE")
                .contains("the run would archive 95.0% of mixed_events (2,850 of 3,000 rows), more than max-share-per-run 90.0%");

        ArchivectlProcess.Result confirmed = archivectl.run("trigger", "--confirm", runId, "--wait", "PT5M");
        assertThat(confirmed.exitCode()).as("%s", confirmed).isZero();
        assertThat(confirmed.out()).contains("removed 2,850, failed 0");
        Map<Long, String> young = new HashMap<>(before.digests());
        young.keySet().removeIf(id -> id <= 2_850);
        assertThat(young).hasSize(150);
        assertThat(snapshot("mixed_events").digests()).as("the young rows stay as they were").isEqualTo(young);
    }

    @Test
    void theFirstRunOfANewPolicyShowsItsPlanFirstAndTheNextRunsGoOn() throws Exception {
        ArchivectlProcess.Result first = archivectl.run("trigger", "--policy", "first", "--table", "first_events", "--wait", "PT3M");
        assertThat(first.exitCode()).as("%s", first).isEqualTo(3);
        assertThat(first.out()).contains("awaits confirmation: FIRST_RUN_OF_POLICY").contains("plan: 1,000 rows in 1 batch (ids 1..1000), 50.0% of the table's 2,000 rows");
        String held = first.runId();

        // a new request replaces the held run: it ends REJECTED, nothing exported, and is held itself
        ArchivectlProcess.Result again = archivectl.run("trigger", "--policy", "first", "--table", "first_events", "--wait", "PT3M");
        assertThat(again.exitCode()).as("%s", again).isEqualTo(3);
        String replacing = again.runId();
        ArchivectlProcess.Result stale = archivectl.run("trigger", "--confirm", held, "--wait", "PT2M");
        assertThat(stale.exitCode()).as("%s", stale).isEqualTo(1);
        assertThat(stale.out()).contains("run " + held + " completed: REJECTED").contains("NOT_CONFIRMED: not confirmed: run " + replacing)
                .contains("nothing was exported (it was held for FIRST_RUN_OF_POLICY)");
        assertNothingExported(held);

        ArchivectlProcess.Result confirmed = archivectl.run("trigger", "--confirm", replacing, "--wait", "PT5M");
        assertThat(confirmed.exitCode()).as("%s", confirmed).isZero();
        assertThat(confirmed.out()).contains("removed 1,000, failed 0");

        // 1,000 more rows older than the cutoff (copies of the young ones, 100 days older): half the table
        try (Connection connection = system.jdbc(); Statement statement = connection.createStatement()) {
            statement.executeUpdate("INSERT INTO first_events SELECT id + 10000, msg_sent_date - 100 * " + DAY_MS + ", sent_s, sent_on, sent_at,"
                    + " unindexed_ms, note FROM first_events WHERE id <= 2000");
        }
        ArchivectlProcess.Result next = archivectl.run("trigger", "--policy", "first", "--table", "first_events", "--wait", "PT5M");
        assertThat(next.exitCode()).as("the policy's second run goes without confirmation: %s", next).isZero();
        assertThat(next.out()).contains("completed: SUCCEEDED").contains("removed 1,000, failed 0");
        assertThat(system.driver.events(Topics.RUNS).stream().filter(ArchiveRunAwaitingConfirmation.class::isInstance)
                .filter(e -> e.runId().equals(next.runId()))).isEmpty();
    }
}
