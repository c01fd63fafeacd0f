package io.archiver.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import io.archiver.events.ArchiveRequested;
import io.archiver.events.Topics;
import io.archiver.localstack.services.ArchiverService;
import io.archiver.policy.TestPolicies;

/**
 * Issue 21 item 4 on the real stack. Fairness: a large policy ({@code run}, 40 batches) and a small one ({@code small}, 2
 * batches) triggered together by {@code archivectl trigger --policy all}, the large one first: the scanner lets at most
 * {@value #WINDOW} batches of a run be in flight, so the small run completes before the large one is half done (the ledger's
 * timestamps say so). Schedule: a policy applied with {@code schedule} while the services run fires a run per slot, once,
 * with no restart.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PolicyScheduleAndFairnessTest {

    private static final int WINDOW = 4;
    private static final long ROWS = 4_000;
    private static final DateTimeFormatter SLOT_ID = DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private static SystemStack system;
    private static ArchivectlProcess archivectl;

    @BeforeAll
    static void start() throws Exception {
        Map<String, String> runBatches = Map.of("ARCHIVER_POLICIES_RUN_BATCH_SIZE", "60");
        system = SystemStack.start("fairness", ROWS, 0.6, stack -> {
            Map<ArchiverService, Map<String, String>> env = SystemStack.everyService(runBatches);
            Map<String, String> scanner = new java.util.HashMap<>(runBatches);
            scanner.put("ARCHIVER_SCAN_BATCHES_IN_FLIGHT", String.valueOf(WINDOW));
            env.put(ArchiverService.SCANNER, scanner);
            return env;
        });
        archivectl = new ArchivectlProcess(system);
        try (Connection connection = system.jdbc(); Statement statement = connection.createStatement()) {
            long old = Instant.now().minus(Duration.ofDays(90)).toEpochMilli();
            for (String table : List.of("small", "ticker")) {
                statement.execute("CREATE TABLE " + table + " LIKE run");
                statement.execute("INSERT INTO " + table + " SELECT * FROM run WHERE msg_sent_date < " + old + " ORDER BY id LIMIT "
                        + (table.equals("small") ? 150 : 20));
            }
        }
    }

    @Test
    @Order(1)
    void aSmallRunTriggeredWithALargeOneCompletesBeforeTheLargeOneIsHalfDone() throws Exception {
        apply("small.yaml", """
                policies:
                  small:
                    table: small
                    batch-size: 100
                    confirm-first-run: false
                    allow-whole-table: true
                    max-share-per-run: 1
                """, "small");
        // no --wait: what is measured is known once the small run completed and half the large one's batches ended
        ArchivectlProcess.Result triggered = archivectl.run("trigger", "--policy", "all");
        assertThat(triggered.exitCode()).as(triggered.toString()).isZero();
        Map<String, String> runIds = new java.util.HashMap<>();
        long[] smallCompleted = { 0 };
        List<long[]> large = new ArrayList<>();
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(500)).until(() -> {
            try (Connection connection = system.jdbc(); PreparedStatement runs = connection.prepareStatement(
                    "SELECT policy, run_id, completed_at_ms, outcome, state FROM archive_run WHERE policy IN ('run', 'small')");
                    ResultSet rs = runs.executeQuery()) {
                while (rs.next()) {
                    runIds.put(rs.getString(1), rs.getString(2));
                    if (rs.getString(1).equals("small") && "COMPLETED".equals(rs.getString(5))) {
                        assertThat(rs.getString(4)).as("outcome of the small run").isEqualTo("SUCCEEDED");
                        smallCompleted[0] = rs.getLong(3);
                    }
                }
            }
            if (smallCompleted[0] == 0 || !runIds.containsKey("run")) {
                return false;
            }
            large.clear();
            large.addAll(batches(runIds.get("run")));
            // a batch ends only after its run's planning ended: from the first end on, the run's batches are all known
            return large.stream().filter(b -> b[1] != Long.MAX_VALUE).count() >= Math.max(1, large.size() / 2);
        });
        List<long[]> small = batches(runIds.get("small"));
        assertThat(large).as("the large run's batches (about 2,400 eligible rows, 60 a batch)").hasSizeBetween(36, 44);
        assertThat(small).as("the small run's batches").hasSize(2).allSatisfy(b -> assertThat(b[1]).isLessThan(Long.MAX_VALUE));
        long smallDone = smallCompleted[0];
        long largeEndedBefore = large.stream().filter(b -> b[1] <= smallDone).count();
        long largeStart = large.stream().filter(b -> b[0] > 0).mapToLong(b -> b[0]).min().orElseThrow();
        long largeHalf = large.stream().mapToLong(b -> b[1]).sorted().skip(large.size() / 2 - 1).findFirst().orElseThrow();
        int mostInFlight = mostInFlight(large);
        System.out.printf("fairness: large run %s: %d batches, first published at +0 ms, half of them ended at +%d ms;"
                + " small run %s: 2 batches, completed at +%d ms, when %d of the large run's batches had ended; at most %d large"
                + " batches in flight (window %d)%n", runIds.get("run"), large.size(), largeHalf - largeStart,
                runIds.get("small"), smallDone - largeStart, largeEndedBefore, mostInFlight, WINDOW);
        assertThat(smallDone).as("the small run completed before half the large one's batches ended").isLessThan(largeHalf);
        assertThat(largeEndedBefore).as("large batches ended before the small run completed").isLessThan(large.size() / 2);
        assertThat(mostInFlight).as("the large run's batches published and not ended at once").isBetween(1, WINDOW);
    }

    @Test
    @Order(2)
    void aScheduleAppliedWhileTheServicesRunFiresARunPerSlotOnce() throws Exception {
        Instant applied = Instant.now();
        apply("ticker.yaml", """
                policies:
                  ticker:
                    table: ticker
                    schedule: '0/5 * * * * ?'
                    confirm-first-run: false
                    allow-whole-table: true
                    max-share-per-run: 1
                """, "ticker");
        assertThat(archivectl.run("policy", "show", "ticker").out()).contains("    schedule: 0/5 * * * * ?");
        assertThat(archivectl.run("policy", "list").out()).contains("0/5 * * * * ?");

        List<String[]> runs = new ArrayList<>();
        await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(500)).until(() -> {
            runs.clear();
            runs.addAll(tickerRuns());
            return runs.size() >= 3 && runs.stream().anyMatch(r -> "COMPLETED".equals(r[2]));
        });
        for (String[] run : runs) {
            Instant slot = Instant.parse(run[1]);
            assertThat(slot).as("slot of " + run[0]).isAfter(applied.minusSeconds(1));
            assertThat(slot.getEpochSecond() % 5).as("a slot of 0/5 * * * * ?").isZero();
            assertThat(run[0]).isEqualTo("sched-ticker-" + SLOT_ID.format(slot));
        }
        Map<String, Long> requestsBySlot = system.driver.events(Topics.REQUESTS).stream().filter(ArchiveRequested.class::isInstance)
                .map(ArchiveRequested.class::cast).filter(r -> r.policy().equals("ticker"))
                .collect(Collectors.groupingBy(ArchiveRequested::scheduleSlot, Collectors.counting()));
        System.out.printf("schedule: runs of ticker %s; requests by slot %s%n",
                runs.stream().map(r -> r[0] + " " + r[2] + " " + r[3]).toList(), requestsBySlot);
        for (String[] run : runs) {
            assertThat(requestsBySlot.get(run[1])).as("requests of slot " + run[1]).isEqualTo(1L);
        }
        // the first slot's run archived the table's rows; a later slot found the run of the one before it in flight or nothing left
        // its batch shares the flow with the rest of the large run, still going on from the test before
        await().atMost(Duration.ofMinutes(3)).untilAsserted(() -> assertThat(count("ticker")).as("ticker rows left").isZero());
    }

    private static void apply(String name, String yaml, String policy) throws Exception {
        Path file = Files.writeString(system.stack.workDir().resolve(name), yaml);
        ArchivectlProcess.Result applied = archivectl.run("policy", "apply", "-f", file.toString(), "--actor", "system-test");
        assertThat(applied.exitCode()).as(applied.toString()).isZero();
        TestPolicies.awaitSeen(system.fleet.all(), Map.of(policy, 1), Duration.ofMinutes(1));
    }

    /**
     * Each batch's [published_at_ms or 0 before, ended at or Long.MAX_VALUE before]: the end is its audit row, written by the
     * deleter in the transaction that deleted it (the batch's updated_at_ms moves on when the scanner records a late upload
     * report, so it is no end time).
     */
    private static List<long[]> batches(String runId) throws Exception {
        List<long[]> batches = new ArrayList<>();
        try (Connection connection = system.jdbc(); PreparedStatement select = connection.prepareStatement(
                "SELECT b.published_at_ms, (SELECT MIN(a.at_ms) FROM archive_audit a WHERE a.batch_id = b.batch_id AND a.action ="
                        + " 'BATCH_DELETED'), b.state FROM archive_batch b WHERE b.run_id = ? ORDER BY b.seq")) {
            select.setString(1, runId);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    assertThat(rs.getString(3)).as("a batch's state").isNotEqualTo("FAILED");
                    if (rs.getObject(2) != null) {
                        assertThat(rs.getObject(1)).as("published_at_ms of an ended batch").isNotNull();
                    }
                    batches.add(new long[] { rs.getLong(1), rs.getObject(2) == null ? Long.MAX_VALUE : rs.getLong(2) });
                }
            }
        }
        return batches;
    }

    /** The most batches published and not yet ended at any moment one was published. */
    private static int mostInFlight(List<long[]> batches) {
        List<long[]> published = batches.stream().filter(b -> b[0] > 0).toList();
        int most = 0;
        for (long[] b : published) {
            long at = b[0];
            most = Math.max(most, (int) published.stream().filter(o -> o[0] <= at && o[1] > at).count());
        }
        return most;
    }

    private static List<String[]> tickerRuns() throws Exception {
        List<String[]> runs = new ArrayList<>();
        try (Connection connection = system.jdbc(); PreparedStatement select = connection.prepareStatement(
                "SELECT run_id, schedule_slot, state, outcome FROM archive_run WHERE policy = 'ticker' ORDER BY schedule_slot")) {
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    runs.add(new String[] { rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4) });
                }
            }
        }
        return runs;
    }

    private static long count(String table) throws Exception {
        try (Connection connection = system.jdbc(); Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("SELECT COUNT(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @AfterAll
    static void stop() {
        if (system != null) {
            system.close();
        }
    }
}
