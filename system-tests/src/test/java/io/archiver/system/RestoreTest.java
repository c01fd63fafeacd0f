package io.archiver.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
import io.archiver.events.RestoreRequested;
import io.archiver.events.RestoreRequested.RestoreScope;
import io.archiver.events.RunOutcome;
import io.archiver.events.Topics;
import io.archiver.ledger.RestoreState;
import io.archiver.localstack.pipeline.PipelineDriver;
import io.archiver.localstack.services.ArchiverService;
import io.archiver.manifest.ArchiveManifest;
import io.archiver.objectstore.ArchiveReader;
import io.archiver.objectstore.ObjectStore;
import io.archiver.policy.PolicyStore;

/**
 * Issue 23 item 3 on the real stack (Kafka, the S3 server, MariaDB, the four services): `run` is archived, then restored by
 * RestoreRequested through the deleter: into another table (value for value, no duplicate), past a row with other values
 * in the way (reported, untouched), replayed (nothing changes), and into the source table itself, which needs the policy
 * disabled; the next run of a disabled policy archives nothing (no row archived twice without a decision), and once the
 * policy is enabled again (the decision) the restored rows are archived again.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RestoreTest {

    private static final Duration WAIT = Duration.ofMinutes(3);

    private SystemStack system;
    private long cutoff;
    private TableSnapshot before;
    private Set<Long> eligible;
    private ArchiveRequested archival;
    private RestoreRequested intoOther;

    @BeforeAll
    void archive() throws Exception {
        // restores in chunks of 10 rows: a restore of the run takes many transactions, so that a kill can land between them
        system = SystemStack.start("restore", 3_000, 0.6, stack -> {
            Map<ArchiverService, Map<String, String>> env = SystemStack.everyService(Map.of("ARCHIVER_POLICIES_RUN_BATCH_SIZE", "700"));
            env.put(ArchiverService.DELETER, Map.of("ARCHIVER_POLICIES_RUN_BATCH_SIZE", "700", "ARCHIVER_RESTORE_CHUNK_ROWS", "10"));
            return env;
        });
        cutoff = Instant.now().minus(PipelineDriver.SIXTY_DAYS).toEpochMilli();
        try (Connection connection = system.jdbc()) {
            before = TableSnapshot.of(connection, "run");
        }
        eligible = before.dates().entrySet().stream().filter(e -> e.getValue() < cutoff).map(Map.Entry::getKey).collect(Collectors.toSet());
        archival = ArchiveRequested.of(PipelineDriver.newRunId(), "run", "run", cutoff, ArchiveMode.DELETE, "restore-test", false, null);
        system.driver.trigger(archival);
        ArchiveRunCompleted completed = system.driver.awaitCompletion(archival.runId(), Duration.ofMinutes(5));
        assertThat(completed.outcome()).isEqualTo(RunOutcome.SUCCEEDED);
        assertThat(completed.stats().objects()).isGreaterThan(1);
        assertThat(count("run", eligible)).as("archived rows left the table").isZero();
    }

    @AfterAll
    void stop() {
        if (system != null) {
            system.close();
        }
    }

    @Test
    @Order(1)
    void promise7_aRunRestoredIntoAnotherTableComesBackValueForValueOnceAndAudited() throws Exception {
        intoOther = RestoreRequested.of("restore-into-other", "run", RestoreScope.ofRun(archival.runId()), "run_restored", false, false,
                "restore-test");
        Map<String, Object> record = restore(intoOther);

        assertThat(record).containsEntry("state", "COMPLETED").containsEntry("rows_restored", (long) eligible.size())
                .containsEntry("rows_skipped", 0L).containsEntry("rows_conflicting", 0L);
        assertThat(record.get("objects_done")).isEqualTo(record.get("objects_total"));
        TableSnapshot restored;
        try (Connection connection = system.jdbc()) {
            restored = TableSnapshot.of(connection, "run_restored");
        }
        assertThat(restored.digests().keySet()).as("exactly the archived rows, once each (the key is the primary key)").isEqualTo(eligible);
        assertThat(eligible.stream().filter(id -> !before.digests().get(id).equals(restored.digests().get(id))).toList())
                .as("rows whose values differ from the table's before the run").isEmpty();
        assertThat(audit("restore-into-other")).singleElement().satisfies(a -> assertThat(a).startsWith("RESTORED run_restored " + eligible.size()));
    }

    @Test
    @Order(2)
    void promise3_aReplayedRestoreChangesNothing() throws Exception {
        Map<String, Object> first = record(intoOther.runId());
        system.driver.send(Topics.RESTORES, intoOther.key(), intoOther);
        await().atMost(WAIT).pollInterval(Duration.ofMillis(500)).until(() -> Files.readAllLines(system.fleet.get(ArchiverService.DELETER).log())
                .stream().anyMatch(l -> l.contains("event=RestoreRequested runId=" + intoOther.runId() + " ") && l.contains("ALREADY_COMPLETED")));
        assertThat(record(intoOther.runId())).isEqualTo(first);
        assertThat(countAll("run_restored")).isEqualTo(eligible.size());
        assertThat(audit(intoOther.runId())).hasSize(1);
    }

    @Test
    @Order(3)
    void promise8_aRowWithOtherValuesInTheWayIsReportedAndUntouched() throws Exception {
        ArchiveManifest.ObjectEntry object = objectsOfTheRun().get(0);
        long inTheWay = Long.parseLong(object.firstKey());
        while (!eligible.contains(inTheWay)) {
            inTheWay++;
        }
        try (Connection connection = system.jdbc(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE run_restored_conflict LIKE run");
            statement.execute("INSERT INTO run_restored_conflict SELECT * FROM run_restored WHERE id = " + inTheWay);
            statement.execute("UPDATE run_restored_conflict SET subject = 'edited after the restore' WHERE id = " + inTheWay);
        }
        Map<String, Object> record = restore(RestoreRequested.of("restore-conflict", "run", RestoreScope.ofObject(object.key()),
                "run_restored_conflict", false, false, "restore-test"));

        assertThat(record).containsEntry("state", "COMPLETED").containsEntry("rows_conflicting", 1L)
                .containsEntry("rows_restored", object.rows() - 1).containsEntry("rows_skipped", 0L);
        assertThat(strings("SELECT key_value FROM archive_restore_conflict WHERE restore_id = 'restore-conflict'")).containsExactly(Long.toString(inTheWay));
        assertThat(strings("SELECT subject FROM run_restored_conflict WHERE id = " + inTheWay)).containsExactly("edited after the restore");
    }

    @Test
    @Order(4)
    void restoringIntoTheSourceNeedsThePolicyDisabledThenBringsEveryRowBack() throws Exception {
        Map<String, Object> refused = restore(RestoreRequested.of("restore-source-enabled", "run", RestoreScope.ofRun(archival.runId()), "run", true,
                false, "restore-test"));
        assertThat(refused).containsEntry("state", "FAILED").containsEntry("rows_restored", 0L);
        assertThat((String) refused.get("error")).startsWith("POLICY_ENABLED");
        assertThat(count("run", eligible)).isZero();

        setPolicyEnabled(false);
        Map<String, Object> record = restore(RestoreRequested.of("restore-source", "run", RestoreScope.ofRun(archival.runId()), "run", true, false,
                "restore-test"));

        assertThat(record).containsEntry("state", "COMPLETED").containsEntry("rows_restored", (long) eligible.size());
        try (Connection connection = system.jdbc()) {
            assertThat(TableSnapshot.of(connection, "run").digests()).as("the table as it was before the run").isEqualTo(before.digests());
        }
    }

    @Test
    @Order(5)
    void theNextRunOfTheDisabledPolicyArchivesNothingUntilSomeoneEnablesIt() throws Exception {
        ArchiveRequested next = ArchiveRequested.of(PipelineDriver.newRunId(), "run", "run", cutoff, ArchiveMode.DELETE, "restore-test", false, null);
        system.driver.trigger(next);
        await().atMost(WAIT).pollInterval(Duration.ofMillis(500)).until(() -> system.driver.events(Topics.dlq(Topics.REQUESTS)).stream()
                .anyMatch(e -> e.runId().equals(next.runId())));
        assertThat(count("run", eligible)).as("restored rows still in the table").isEqualTo(eligible.size());

        setPolicyEnabled(true); // the decision: the restored rows may be archived again
        ArchiveRequested decided = ArchiveRequested.of(PipelineDriver.newRunId(), "run", "run", cutoff, ArchiveMode.DELETE, "restore-test", false, null);
        system.driver.trigger(decided);
        ArchiveRunCompleted completed = system.driver.awaitCompletion(decided.runId(), Duration.ofMinutes(5));
        assertThat(completed.outcome()).isEqualTo(RunOutcome.SUCCEEDED);
        assertThat(completed.stats().rowsRemoved()).isEqualTo(eligible.size());
        assertThat(count("run", eligible)).isZero();
    }

    @Test
    @Order(6)
    void promise4_aRestoreKilledMidwayResumesAfterTheRestartWithNoRowLostOrDuplicated() throws Exception {
        RestoreRequested request = RestoreRequested.of("restore-killed", "run", RestoreScope.ofRun(archival.runId()), "run_restored_killed", false,
                false, "restore-test");
        system.driver.send(Topics.RESTORES, request.key(), request);
        await().atMost(WAIT).pollInterval(Duration.ofMillis(20)).until(() -> {
            Map<String, Object> record = record(request.runId());
            return record != null && (long) record.get("rows_restored") >= 100;
        });
        system.fleet.get(ArchiverService.DELETER).kill();
        Map<String, Object> halfway = record(request.runId());
        system.fleet.get(ArchiverService.DELETER).start(List.of()).awaitReady(Duration.ofMinutes(3));
        Map<String, Object> record = await().atMost(WAIT).pollInterval(Duration.ofMillis(500)).until(() -> record(request.runId()),
                r -> !RestoreState.RUNNING.name().equals(r.get("state")));

        assertThat(halfway).as("killed mid-way").containsEntry("state", "RUNNING");
        assertThat((long) halfway.get("rows_restored")).isLessThan(eligible.size());
        assertThat(record).containsEntry("state", "COMPLETED").containsEntry("rows_restored", (long) eligible.size())
                .containsEntry("rows_skipped", 0L).containsEntry("rows_conflicting", 0L);
        TableSnapshot restored;
        try (Connection connection = system.jdbc()) {
            restored = TableSnapshot.of(connection, "run_restored_killed");
        }
        assertThat(countAll("run_restored_killed")).as("no row twice").isEqualTo(eligible.size());
        assertThat(restored.digests().keySet()).as("no row lost").isEqualTo(eligible);
        assertThat(eligible.stream().filter(id -> !before.digests().get(id).equals(restored.digests().get(id))).toList()).isEmpty();
    }

    // ------------------------------------------------------------------ helpers

    /** Publishes the request as archivectl restore does and waits for the restore's record to end. */
    private Map<String, Object> restore(RestoreRequested request) throws SQLException {
        system.driver.send(Topics.RESTORES, request.key(), request);
        await().atMost(WAIT).pollInterval(Duration.ofMillis(500)).until(() -> {
            Map<String, Object> record = record(request.runId());
            return record != null && !RestoreState.RUNNING.name().equals(record.get("state"));
        });
        return record(request.runId());
    }

    private Map<String, Object> record(String restoreId) throws SQLException {
        try (Connection connection = system.jdbc()) {
            return RestoreRecords.of(connection, restoreId);
        }
    }

    private List<String> audit(String restoreId) throws SQLException {
        return strings("SELECT CONCAT(action, ' ', table_name, ' ', row_count) FROM archive_audit WHERE run_id = '" + restoreId + "'");
    }

    private List<String> strings(String sql) throws SQLException {
        List<String> found = new ArrayList<>();
        try (Connection connection = system.jdbc(); Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery(sql)) {
            while (rs.next()) {
                found.add(rs.getString(1));
            }
        }
        return found;
    }

    private long count(String table, Set<Long> ids) throws SQLException {
        return Long.parseLong(strings("SELECT COUNT(*) FROM `" + table + "` WHERE id IN ("
                + ids.stream().map(String::valueOf).collect(Collectors.joining(",")) + ")").get(0));
    }

    private long countAll(String table) throws SQLException {
        return Long.parseLong(strings("SELECT COUNT(*) FROM `" + table + "`").get(0));
    }

    private List<ArchiveManifest.ObjectEntry> objectsOfTheRun() throws Exception {
        ObjectStore store = ArchiveReadBackTest.bucketAlone(system.bucket.client(), system.bucket.name());
        return new ArchiveReader(store).objectManifests("run-archive/").stream().filter(m -> m.runId().equals(archival.runId()))
                .map(m -> m.objects().get(0)).sorted(java.util.Comparator.comparing(ArchiveManifest.ObjectEntry::key)).toList();
    }

    /** Disables or enables `run` as archivectl policy disable/enable does, and waits until every service has seen it. */
    private void setPolicyEnabled(boolean enabled) throws SQLException {
        try (Connection connection = system.jdbc()) {
            new PolicyStore(connection).setEnabled("run", enabled, "restore-test").ifPresent(change -> io.archiver.policy.TestPolicies
                    .awaitSeen(system.fleet.all(), Map.of("run", change.version()), Duration.ofMinutes(1)));
        }
    }
}
