package io.archiver.scanner.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.inject.Inject;

import org.eclipse.microprofile.reactive.messaging.spi.Connector;
import org.junit.jupiter.api.Test;

import io.archiver.events.ArchiveMode;
import io.archiver.events.ArchiveRequested;
import io.archiver.events.EventCodec;
import io.archiver.events.KeyColumns;
import io.archiver.events.KeyValue;
import io.archiver.ledger.SourceHolds.HeldRange;
import io.archiver.scanner.ScannerLedger;
import io.archiver.scanner.ScannerTestProfile;
import io.archiver.scanner.domain.RangePlanner.PlannedRange;
import io.archiver.scanner.persistence.RunLedger;
import io.archiver.support.policy.ArchivePolicies;
import io.archiver.support.policy.PolicyCatalog;
import io.archiver.support.testing.ChannelRecords;
import io.archiver.support.testing.RunTable;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.reactive.messaging.memory.InMemoryConnector;

/**
 * The planner on the real MariaDB: its plan ({@link RangePlanner#walk}, what a run plans with: by rank in the date index for a
 * one-integer key, else one query per range; only each range's ends cross the wire), the reference scan cut as it streams
 * ({@link RangeCuts#stream}) and the walk step by step ({@link RangePlanner#next}) give the very same ranges for every key shape of docs/keys.md, never a
 * row at or after the cutoff, in flat memory; its ledger inserts ({@link RunLedger#addBatches}) record a batch once, and a
 * request redelivered after a plan cut short resumes after its last batch.
 */
@QuarkusTest
@TestProfile(ScannerTestProfile.class)
class StreamedPlanningTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @Inject
    RangePlanner planner;

    @Inject
    io.archiver.support.source.SourcePools pools;

    @Inject
    RunLedger runLedger;

    @Inject
    ScannerLedger ledger;

    @Inject
    PolicyCatalog catalog;

    @Inject
    @Connector("smallrye-in-memory")
    InMemoryConnector connector;

    private ArchivePolicies.Policy policy(String name, Map<String, String> settings) {
        Map<String, String> all = new java.util.HashMap<>(settings);
        String at = "ARCHIVER_POLICIES_" + name.toUpperCase(java.util.Locale.ROOT) + "_";
        all.put(at + "ALLOW_WHOLE_TABLE", "true");
        all.put(at + "MAX_SHARE_PER_RUN", "1");
        all.put(at + "CONFIRM_FIRST_RUN", "false");
        org.eclipse.microprofile.config.Config config = org.eclipse.microprofile.config.ConfigProvider.getConfig();
        io.archiver.policy.TestPolicies.apply(config.getValue("quarkus.datasource.jdbc.url", String.class),
                config.getValue("quarkus.datasource.username", String.class), config.getValue("quarkus.datasource.password", String.class), all);
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> catalog.all().containsKey(name));
        return catalog.all().get(name);
    }

    /** A fresh table of an id and a nullable epoch-millis date, with or without an index on the date. */
    private void idAndDate(String table, boolean dateIndex) {
        ledger.execute("DROP TABLE IF EXISTS " + table);
        ledger.execute("CREATE TABLE " + table + " (id BIGINT NOT NULL PRIMARY KEY, msg_sent_date BIGINT NULL"
                + (dateIndex ? ", INDEX (msg_sent_date))" : ")"));
    }

    /** The old planner: one query per range, each after the last range's last key. */
    private List<PlannedRange> walked(ArchivePolicies.Policy policy, long cutoff, List<HeldRange> held) {
        KeyColumns key = planner.key(policy).await().atMost(WAIT);
        List<PlannedRange> ranges = new ArrayList<>();
        KeyValue after = null;
        for (Optional<PlannedRange> next; (next = planner.next(policy, key, cutoff, after, held).await().atMost(WAIT)).isPresent();) {
            PlannedRange range = next.get();
            ranges.add(range);
            after = range.lastKey() != null ? range.lastKey() : KeyValue.of(range.lastId());
        }
        return ranges;
    }

    private List<PlannedRange> streamed(ArchivePolicies.Policy policy, long cutoff, List<HeldRange> held) {
        KeyColumns key = planner.key(policy).await().atMost(WAIT);
        List<PlannedRange> ranges = Collections.synchronizedList(new ArrayList<>());
        RangePlanner.Planned cut = RangeCuts.stream(pools, policy, key, cutoff, null, held, ranges::add).await().atMost(WAIT);
        assertThat(cut.ranges()).isEqualTo(ranges.size());
        assertThat(cut.rows()).isEqualTo(ranges.stream().mapToLong(PlannedRange::rows).sum());
        // what a run plans with: by rank in the date index (one-integer keys), else one query per range; the very same ranges
        List<PlannedRange> walked = new ArrayList<>();
        long walkedAfterCount = planner.walkedAfterCount();
        RangePlanner.Planned walkedCut = planner.walk(policy, key, cutoff, null, held, walked::add).await().atMost(WAIT);
        assertThat(walked).as("the planner's walk against the streamed cut of every key").isEqualTo(ranges);
        assertThat(planner.walkedAfterCount()).as("plans by rank finished by the walk").isEqualTo(walkedAfterCount);
        assertThat(walkedCut).isEqualTo(cut);
        return List.copyOf(ranges);
    }

    @Test
    void aOneIntegerKeyIsCutIntoTheSameRangesAsTheWalkOfOneQueryPerRangeWithAndWithoutHeldRanges() {
        ledger.execute("DROP TABLE IF EXISTS plan_ints");
        ledger.execute("CREATE TABLE plan_ints (id BIGINT NOT NULL PRIMARY KEY, msg_sent_date BIGINT NULL, INDEX (msg_sent_date))");
        // every third row young, every seventh without a date; ids with gaps
        ledger.execute("INSERT INTO plan_ints SELECT seq * 2, CASE WHEN seq % 7 = 0 THEN NULL WHEN seq % 3 = 0 THEN " + System.currentTimeMillis()
                + " ELSE " + RunTable.OLD + " END FROM seq_1_to_1000");
        ArchivePolicies.Policy policy = policy("planints", Map.of("ARCHIVER_POLICIES_PLANINTS_TABLE", "plan_ints",
                "ARCHIVER_POLICIES_PLANINTS_BATCH_SIZE", "7"));

        List<PlannedRange> plain = streamed(policy, RunTable.CUTOFF, List.of());
        assertThat(plain).isEqualTo(walked(policy, RunTable.CUTOFF, List.of())).hasSizeGreaterThan(50);
        assertThat(plain.stream().mapToLong(PlannedRange::rows).sum()).isEqualTo(1000 - 1000 / 3 - 1000 / 7 + 1000 / 21);

        // held: a range inside the plan, one of a single id, one beside it, one over the end
        List<HeldRange> held = List.of(new HeldRange(1, 101, 150), new HeldRange(2, 152, 152), new HeldRange(3, 153, 160),
                new HeldRange(4, 1990, 5000));
        List<PlannedRange> around = streamed(policy, RunTable.CUTOFF, held);
        assertThat(around).isEqualTo(walked(policy, RunTable.CUTOFF, held));
        assertThat(around).allSatisfy(range -> assertThat(held).noneMatch(h -> h.overlaps(range.firstId(), range.lastId())));
    }

    @Test
    void idsOverTheWholeBigintRangeAndATableWithoutADateIndexAreCutIntoTheSameRangesAsTheWalk() {
        for (String table : List.of("plan_sparse", "plan_unindexed")) {
            idAndDate(table, table.equals("plan_sparse"));
            // 300 dense ids, then 100 a trillion apart up to the largest BIGINT; every fifth row young
            ledger.execute("INSERT INTO " + table + " SELECT IF(seq <= 300, seq, 9223372036854775807 - (400 - seq) * 1000000000000),"
                    + " IF(seq % 5 = 0, " + System.currentTimeMillis() + ", " + RunTable.OLD + ") FROM seq_1_to_400");
            String name = table.replace("_", "");
            String at = "ARCHIVER_POLICIES_" + name.toUpperCase(java.util.Locale.ROOT) + "_";
            ArchivePolicies.Policy policy = policy(name, Map.of(at + "TABLE", table, at + "BATCH_SIZE", "6"));
            List<PlannedRange> plain = streamed(policy, RunTable.CUTOFF, List.of());
            assertThat(plain).isEqualTo(walked(policy, RunTable.CUTOFF, List.of())).hasSize(54);
            assertThat(plain.get(plain.size() - 1).lastId()).isEqualTo(Long.MAX_VALUE - 1_000_000_000_000L);
            List<HeldRange> held = List.of(new HeldRange(1, 50, 60), new HeldRange(2, Long.MAX_VALUE - 50_000_000_000_000L,
                    Long.MAX_VALUE - 40_000_000_000_000L));
            assertThat(streamed(policy, RunTable.CUTOFF, held)).isEqualTo(walked(policy, RunTable.CUTOFF, held));
        }
    }

    @Test
    void aCompositeAStringAndADateTimeKeyAreCutIntoTheSameWholeKeyRangesAsTheWalk() {
        ledger.execute("DROP TABLE IF EXISTS plan_composite");
        ledger.execute("CREATE TABLE plan_composite (basketId BIGINT NOT NULL, positionId INT NOT NULL, businessDate DATE NOT NULL,"
                + " msg_sent_date BIGINT NOT NULL, PRIMARY KEY (basketId, positionId, businessDate), INDEX (msg_sent_date))");
        ledger.execute("INSERT INTO plan_composite SELECT seq DIV 10 + 9000000000 * (seq % 2), CAST(seq AS SIGNED) % 10 - 5, '2025-01-01' + INTERVAL seq % 7 DAY,"
                + " IF(seq % 4 = 0, " + System.currentTimeMillis() + ", " + RunTable.OLD + ") FROM seq_1_to_700");
        ArchivePolicies.Policy composite = policy("plancomposite", Map.of("ARCHIVER_POLICIES_PLANCOMPOSITE_TABLE", "plan_composite",
                "ARCHIVER_POLICIES_PLANCOMPOSITE_KEY", "basketId,positionId,businessDate", "ARCHIVER_POLICIES_PLANCOMPOSITE_BATCH_SIZE", "9"));
        List<PlannedRange> keyed = streamed(composite, RunTable.CUTOFF, List.of());
        assertThat(keyed).isEqualTo(walked(composite, RunTable.CUTOFF, List.of())).hasSizeGreaterThan(50);
        assertThat(keyed.stream().mapToLong(PlannedRange::rows).sum()).isEqualTo(700 - 700 / 4);

        ledger.execute("DROP TABLE IF EXISTS plan_codes");
        ledger.execute("CREATE TABLE plan_codes (code VARCHAR(40) CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci NOT NULL PRIMARY KEY,"
                + " msg_sent_date BIGINT NOT NULL, INDEX (msg_sent_date))");
        // mixed case and accents: the server's collation orders them, both planners alike
        ledger.execute("INSERT INTO plan_codes SELECT CONCAT(ELT(seq % 4 + 1, 'a', 'B', 'é', 'Z'), seq), IF(seq % 5 = 0, "
                + System.currentTimeMillis() + ", " + RunTable.OLD + ") FROM seq_1_to_500");
        ArchivePolicies.Policy codes = policy("plancodes", Map.of("ARCHIVER_POLICIES_PLANCODES_TABLE", "plan_codes",
                "ARCHIVER_POLICIES_PLANCODES_KEY", "code", "ARCHIVER_POLICIES_PLANCODES_BATCH_SIZE", "11"));
        assertThat(streamed(codes, RunTable.CUTOFF, List.of())).isEqualTo(walked(codes, RunTable.CUTOFF, List.of())).hasSizeGreaterThan(30);

        // a DATETIME key and a TIMESTAMP date column: the scan runs in a UTC session
        ledger.execute("DROP TABLE IF EXISTS plan_stamps");
        ledger.execute("CREATE TABLE plan_stamps (at DATETIME(3) NOT NULL PRIMARY KEY, booked TIMESTAMP(3) NULL, INDEX (booked))");
        ledger.execute("INSERT INTO plan_stamps SELECT TIMESTAMP('2025-01-01 00:00:00') + INTERVAL (seq * 1500) MICROSECOND,"
                + " IF(seq % 6 = 0, UTC_TIMESTAMP(3), UTC_TIMESTAMP(3) - INTERVAL 100 DAY) FROM seq_1_to_400");
        ArchivePolicies.Policy stamps = policy("planstamps", Map.of("ARCHIVER_POLICIES_PLANSTAMPS_TABLE", "plan_stamps",
                "ARCHIVER_POLICIES_PLANSTAMPS_KEY", "at", "ARCHIVER_POLICIES_PLANSTAMPS_DATE_COLUMN", "booked",
                "ARCHIVER_POLICIES_PLANSTAMPS_DATE_KIND", "TIMESTAMP", "ARCHIVER_POLICIES_PLANSTAMPS_BATCH_SIZE", "13"));
        List<PlannedRange> dated = streamed(stamps, RunTable.CUTOFF, List.of());
        assertThat(dated).isEqualTo(walked(stamps, RunTable.CUTOFF, List.of())).hasSizeGreaterThan(20);
        assertThat(dated.stream().mapToLong(PlannedRange::rows).sum()).isEqualTo(400 - 400 / 6);
    }

    @Test
    void aRunsFirstRangesGrowFromFirstBatchRowsToTheBatchSizeAndAResumedPlanCutsTheSameRanges() {
        // by rank (a date index) and by the walk of one query per range (none)
        for (String table : List.of("plan_ramp", "plan_ramp_unindexed")) {
            idAndDate(table, table.equals("plan_ramp"));
            // every third row young: the eligible ids are those not divisible by 3
            ledger.execute("INSERT INTO " + table + " SELECT seq, IF(seq % 3 = 0, " + System.currentTimeMillis() + ", " + RunTable.OLD + ")"
                    + " FROM seq_1_to_1000");
            String name = table.replace("_", "");
            String at = "ARCHIVER_POLICIES_" + name.toUpperCase(java.util.Locale.ROOT) + "_";
            ramps(policy(name, Map.of(at + "TABLE", table, at + "BATCH_SIZE", "40")));
        }
    }

    private void ramps(ArchivePolicies.Policy policy) {
        KeyColumns key = planner.key(policy).await().atMost(WAIT);
        BatchRamp ramp = new BatchRamp(40, 10);
        // the expected cut, from the eligible ids themselves: 10, 20, then 40 each, the last what is left
        List<Long> eligible = java.util.stream.LongStream.rangeClosed(1, 1000).filter(id -> id % 3 != 0).boxed().toList();
        List<PlannedRange> expected = new ArrayList<>();
        for (int from = 0, seq = 1; from < eligible.size(); seq++) {
            int to = Math.min(eligible.size(), from + ramp.rows(seq));
            expected.add(new PlannedRange(eligible.get(from), eligible.get(to - 1), to - from));
            from = to;
        }
        assertThat(expected).extracting(PlannedRange::rows).startsWith(10L, 20L, 40L, 40L);

        List<PlannedRange> planned = new ArrayList<>();
        long walkedAfterCount = planner.walkedAfterCount();
        RangePlanner.Planned cut = planner.plan(policy, key, RunTable.CUTOFF, null, 1, ramp, List.of(), planned::add).await().atMost(WAIT);
        assertThat(planned).isEqualTo(expected);
        assertThat(planner.walkedAfterCount()).as("plans by rank finished by the walk").isEqualTo(walkedAfterCount);
        assertThat(cut).isEqualTo(new RangePlanner.Planned(expected.size(), eligible.size()));

        // resumed after its second range (a redelivered request): the same ranges from the third on
        List<PlannedRange> resumed = new ArrayList<>();
        planner.plan(policy, key, RunTable.CUTOFF, KeyValue.of(expected.get(1).lastId()), 3, ramp, List.of(), resumed::add).await().atMost(WAIT);
        assertThat(resumed).isEqualTo(expected.subList(2, expected.size()));
        // resumed inside the ramp: its second range is still 20 rows
        List<PlannedRange> fromSecond = new ArrayList<>();
        planner.plan(policy, key, RunTable.CUTOFF, KeyValue.of(expected.get(0).lastId()), 2, ramp, List.of(), fromSecond::add).await().atMost(WAIT);
        assertThat(fromSecond).isEqualTo(expected.subList(1, expected.size()));

        // a held range inside the ramp: no range over it, every other eligible row planned once
        List<HeldRange> held = List.of(new HeldRange(1, 5, 20));
        List<PlannedRange> around = new ArrayList<>();
        RangePlanner.Planned aroundCut = planner.plan(policy, key, RunTable.CUTOFF, null, 1, ramp, held, around::add).await().atMost(WAIT);
        assertThat(around).allSatisfy(range -> assertThat(held).noneMatch(h -> h.overlaps(range.firstId(), range.lastId())));
        assertThat(around.get(0).rows()).isLessThanOrEqualTo(10);
        assertThat(aroundCut.rows()).isEqualTo(eligible.stream().filter(id -> id < 5 || id > 20).count());

        // a table smaller than the ramp: its plan ends inside it
        List<PlannedRange> small = new ArrayList<>();
        planner.plan(policy, key, RunTable.CUTOFF, null, 1, new BatchRamp(4_000, 1_000), List.of(), small::add).await().atMost(WAIT);
        assertThat(small).containsExactly(new PlannedRange(1, 1000, eligible.size()));
    }

    @Test
    void noRowAtOrAfterTheCutoffNorWithoutADateIsPlanned() {
        ledger.execute("DROP TABLE IF EXISTS plan_edge");
        ledger.execute("CREATE TABLE plan_edge (id BIGINT NOT NULL PRIMARY KEY, msg_sent_date BIGINT NULL, INDEX (msg_sent_date))");
        long cutoff = RunTable.CUTOFF;
        ledger.execute("INSERT INTO plan_edge VALUES (1, " + (cutoff - 1) + "), (2, " + cutoff + "), (3, " + (cutoff + 1) + "), (4, NULL),"
                + " (5, " + (cutoff - 86_400_000L) + "), (6, " + cutoff + ")");
        ArchivePolicies.Policy policy = policy("planedge", Map.of("ARCHIVER_POLICIES_PLANEDGE_TABLE", "plan_edge",
                "ARCHIVER_POLICIES_PLANEDGE_BATCH_SIZE", "1"));

        assertThat(streamed(policy, cutoff, List.of())).containsExactly(new PlannedRange(1, 1, 1), new PlannedRange(5, 5, 1));
        assertThat(streamed(policy, cutoff - 1, List.of())).containsExactly(new PlannedRange(5, 5, 1));
    }

    @Test
    void aLargeTableIsPlannedInFlatMemoryItsRangesHandedOnWhileTheScanGoesOn() {
        int rows = 600_000;
        ledger.execute("DROP TABLE IF EXISTS plan_big");
        ledger.execute("CREATE TABLE plan_big (id BIGINT NOT NULL PRIMARY KEY, msg_sent_date BIGINT NOT NULL, INDEX (msg_sent_date))");
        ledger.execute("INSERT INTO plan_big SELECT seq, " + RunTable.OLD + " FROM seq_1_to_" + rows);
        ArchivePolicies.Policy policy = policy("planbig", Map.of("ARCHIVER_POLICIES_PLANBIG_TABLE", "plan_big",
                "ARCHIVER_POLICIES_PLANBIG_BATCH_SIZE", "10000"));
        KeyColumns key = planner.key(policy).await().atMost(WAIT);
        var heap = ManagementFactory.getMemoryMXBean();
        System.gc();
        long before = heap.getHeapMemoryUsage().getUsed();
        long[] midway = new long[1];
        List<PlannedRange> ranges = Collections.synchronizedList(new ArrayList<>());

        RangePlanner.Planned cut = RangeCuts.stream(pools, policy, key, RunTable.CUTOFF, null, List.of(), range -> {
            ranges.add(range);
            if (ranges.size() == 30) {
                // half the scan read: what is still reachable now is what the planner keeps
                System.gc();
                midway[0] = heap.getHeapMemoryUsage().getUsed();
            }
        }).await().atMost(WAIT);

        assertThat(cut).isEqualTo(new RangePlanner.Planned(60, rows));
        assertThat(ranges.get(29)).isEqualTo(new PlannedRange(290_001, 300_000, 10_000));
        List<PlannedRange> walked = new ArrayList<>();
        assertThat(planner.walk(policy, key, RunTable.CUTOFF, null, List.of(), walked::add).await().atMost(WAIT)).isEqualTo(cut);
        assertThat(walked).isEqualTo(ranges);
        // 300,000 rows kept as the client's rows would be ~30 MB and more; the planner keeps one range's ends
        assertThat(midway[0] - before).as("heap growth half-way through the scan").isLessThan(12L << 20);
    }

    @Test
    void aBatchIsRecordedOnceAndARequestRedeliveredAfterAPlanCutShortResumesAfterItsLastBatch() {
        long first = RunTable.freshRange();
        ledger.table.insertRange(first, first + 19, RunTable.OLD);
        ledger.execute("DROP TABLE IF EXISTS resume_rows");
        ledger.execute("CREATE TABLE resume_rows LIKE run");
        ledger.execute("INSERT INTO resume_rows SELECT * FROM run WHERE id BETWEEN " + first + " AND " + (first + 19));
        ledger.execute("DELETE FROM run WHERE id BETWEEN " + first + " AND " + (first + 19));
        ArchivePolicies.Policy policy = policy("resume", Map.of("ARCHIVER_POLICIES_RESUME_TABLE", "resume_rows",
                "ARCHIVER_POLICIES_RESUME_BATCH_SIZE", "4"));
        List<PlannedRange> plan = streamed(policy, RunTable.CUTOFF, List.of());
        assertThat(plan).hasSize(5);
        ArchiveRequested request = ArchiveRequested.of(ScannerLedger.newRunId("resume"), "resume", "resume_rows", RunTable.CUTOFF,
                ArchiveMode.DELETE, "test", false, null);
        // the run as a first handling left it: PLANNING, its first two batches recorded, then the scanner stopped
        ledger.execute("INSERT INTO archive_run (run_id, policy, table_name, cutoff_epoch_ms, mode, run_date, dry_run, requested_by, state,"
                + " requested_at_ms, policy_fingerprint) VALUES ('" + request.runId() + "', 'resume', 'resume_rows', " + RunTable.CUTOFF
                + ", 'DELETE', UTC_DATE(), false, 'test', 'PLANNING', " + request.occurredAt().toEpochMilli() + ", '"
                + io.archiver.support.policy.PolicyFingerprint.of(policy) + "')");
        runLedger.addBatches(request.runId(), 1, plan.subList(0, 2)).await().atMost(WAIT);

        // the same batches again, or a batch out of turn: refused whole, nothing recorded twice
        assertThatThrownBy(() -> runLedger.addBatches(request.runId(), 1, plan.subList(0, 2)).await().atMost(WAIT))
                .isInstanceOf(RunLedger.PlannedElsewhere.class);
        assertThatThrownBy(() -> runLedger.addBatches(request.runId(), 5, plan.subList(4, 5)).await().atMost(WAIT))
                .isInstanceOf(RunLedger.PlannedElsewhere.class);
        assertThat(ledger.run(request.runId()).batchesPlanned()).isEqualTo(2);
        assertThat(ledger.run(request.runId()).rowsFound()).isEqualTo(8);

        assertThat(ChannelRecords.send(connector.source("requests"), EventCodec.encode(request)).acks).hasValue(1);

        ScannerLedger.Run run = ledger.run(request.runId());
        assertThat(run.state()).isEqualTo("RUNNING");
        assertThat(run.batchesPlanned()).isEqualTo(5);
        assertThat(run.rowsFound()).isEqualTo(20);
        assertThat(ledger.batches(request.runId())).extracting(b -> new PlannedRange(b.firstId(), b.lastId(), b.expectedRows()))
                .containsExactlyElementsOf(plan);
    }
}
