package io.archiver.scanner.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;

import jakarta.inject.Inject;

import org.eclipse.microprofile.reactive.messaging.spi.Connector;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.archiver.events.ArchiveBatchDeleted;
import io.archiver.events.ArchiveBatchReady;
import io.archiver.events.ArchiveEvent;
import io.archiver.events.ArchiveMode;
import io.archiver.events.ArchiveRequested;
import io.archiver.events.ArchiveRunAwaitingConfirmation;
import io.archiver.events.ArchiveRunCompleted;
import io.archiver.events.ArchiveRunConfirmed;
import io.archiver.events.EventCodec;
import io.archiver.events.EventDecodingException;
import io.archiver.events.RunOutcome;
import io.archiver.ledger.BatchState;
import io.archiver.scanner.ScannerLedger;
import io.archiver.scanner.ScannerTestProfile;
import io.archiver.support.policy.PolicyViolation;
import io.archiver.support.policy.RailReason;
import io.archiver.support.testing.ChannelRecords;
import io.archiver.support.testing.ChannelRecords.Delivery;
import io.archiver.support.testing.RunTable;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.reactive.messaging.memory.InMemoryConnector;
import io.smallrye.reactive.messaging.memory.InMemorySink;
import io.smallrye.reactive.messaging.memory.InMemorySource;

/**
 * The scanner's request edge on in-memory channels: a request is planned into the ledger and its batches published, or
 * held, rejected or refused with its reason; a redelivered request or confirmation publishes nothing new. Every policy of
 * {@link ScannerTestProfile} archives the same {@code run} table, so a run plans the old rows of every test so far: the
 * tests check that their own rows are planned, and what the ledger and the events say about the run.
 */
@QuarkusTest
@TestProfile(ScannerTestProfile.class)
class RunRequestHandlerTest {

    @Inject
    @Connector("smallrye-in-memory")
    InMemoryConnector connector;

    @Inject
    ScannerLedger ledger;

    private InMemorySource<Object> requests;
    private InMemorySource<Object> completions;
    private InMemorySink<ArchiveEvent> batches;
    private InMemorySink<ArchiveEvent> runs;

    @Inject
    io.archiver.support.policy.PolicyCatalog catalog;

    @BeforeEach
    void policies() {
        // the policies live in the control database (migrated at start): applied there, then awaited in the catalog
        org.eclipse.microprofile.config.Config config = org.eclipse.microprofile.config.ConfigProvider.getConfig();
        io.archiver.policy.TestPolicies.apply(config.getValue("quarkus.datasource.jdbc.url", String.class),
                config.getValue("quarkus.datasource.username", String.class), config.getValue("quarkus.datasource.password", String.class),
                ScannerTestProfile.policies());
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30))
                .until(() -> catalog.all().keySet().containsAll(List.of(ScannerTestProfile.PLANNED, ScannerTestProfile.IN_FLIGHT,
                        ScannerTestProfile.EMPTY, ScannerTestProfile.HELD, ScannerTestProfile.MISFIT)));
    }

    @BeforeEach
    void channels() {
        requests = connector.source("requests");
        completions = connector.source("completions");
        batches = connector.sink("batches-out");
        runs = connector.sink("runs-out");
    }

    /** Old rows in a fresh id range, and as many young ones after them (the table is never all eligible). */
    private long oldRows(int rows) {
        long first = RunTable.freshRange();
        ledger.table.insertRange(first, first + rows - 1, RunTable.OLD);
        ledger.table.insertRange(first + rows, first + 2L * rows - 1, System.currentTimeMillis());
        return first;
    }

    private static boolean covered(List<ScannerLedger.Batch> planned, long id) {
        return planned.stream().anyMatch(b -> b.firstId() <= id && id <= b.lastId());
    }

    @Test
    void aRequestIsPlannedIntoTheLedgerAndItsBatchesPublishedThenClosedOnce() {
        long first = oldRows(9);
        ArchiveRequested request = ScannerLedger.request(ScannerTestProfile.PLANNED);

        Delivery delivery = ChannelRecords.send(requests, EventCodec.encode(request));

        assertThat(delivery.acks).hasValue(1);
        ScannerLedger.Run run = ledger.run(request.runId());
        assertThat(run.state()).isEqualTo("RUNNING");
        List<ScannerLedger.Batch> planned = ledger.batches(request.runId());
        assertThat(planned).hasSize(run.batchesPlanned()).allSatisfy(b -> {
            assertThat(b.state()).isEqualTo(BatchState.PLANNED);
            assertThat(b.expectedRows()).isBetween(1L, 4L); // batch-size 4
        });
        assertThat(planned.stream().mapToLong(ScannerLedger.Batch::expectedRows).sum()).isEqualTo(run.rowsFound());
        for (long id = first; id < first + 9; id++) {
            assertThat(covered(planned, id)).as("old row %d is planned", id).isTrue();
        }
        List<ArchiveBatchReady> ready = ScannerLedger.published(batches, ArchiveBatchReady.class, request.runId());
        assertThat(ready).extracting(ArchiveBatchReady::batchId).containsExactlyElementsOf(planned.stream().map(ScannerLedger.Batch::batchId).toList());
        assertThat(ready).allSatisfy(b -> assertThat(b.scope().cutoffEpochMs()).isEqualTo(request.cutoffEpochMs()));

        // promise 3: the same request again plans nothing new; its open batches are published again, with the same ids
        assertThat(ChannelRecords.send(requests, EventCodec.encode(request)).acks).hasValue(1);
        assertThat(ledger.batches(request.runId())).isEqualTo(planned);
        assertThat(ScannerLedger.published(batches, ArchiveBatchReady.class, request.runId())).hasSize(2 * planned.size());

        // every batch removed: the run closes once, SUCCEEDED, with the ledger's figures
        for (ArchiveBatchReady batch : ready) {
            ChannelRecords.send(completions, EventCodec.encode(ArchiveBatchDeleted.of(request.runId(), batch.batchId(), batch.scope(),
                    batch.expectedRows(), "run-archive/" + batch.batchId())));
        }
        List<ArchiveRunCompleted> completed = ScannerLedger.published(runs, ArchiveRunCompleted.class, request.runId());
        assertThat(completed).singleElement().satisfies(c -> {
            assertThat(c.outcome()).isEqualTo(RunOutcome.SUCCEEDED);
            assertThat(c.stats().rowsFound()).isEqualTo(run.rowsFound());
            assertThat(c.stats().rowsRemoved()).isEqualTo(run.rowsFound());
            assertThat(c.stats().batches()).isEqualTo(planned.size());
        });
        assertThat(ledger.run(request.runId()).statistics()).isEqualTo(completed.get(0).stats());

        // a replayed request of the completed run announces the same figures again, and plans nothing
        ChannelRecords.send(requests, EventCodec.encode(request));
        List<ArchiveRunCompleted> again = ScannerLedger.published(runs, ArchiveRunCompleted.class, request.runId());
        assertThat(again).hasSize(2);
        assertThat(again.get(1).stats()).isEqualTo(again.get(0).stats());
        assertThat(ledger.batches(request.runId())).hasSize(planned.size());
    }

    @Test
    void aCompositeKeyIsPlannedAsRangesOfTheWholeKeyAndItsRunClosesOnTheirDeletions() {
        // issue 22: a (BIGINT, INT, DATE) key; batches are ranges of the whole key in key order, the young rows left out
        ledger.execute("DROP TABLE IF EXISTS basket_position");
        ledger.execute("CREATE TABLE basket_position (basketId BIGINT NOT NULL, positionId INT NOT NULL, businessDate DATE NOT NULL,"
                + " msg_sent_date BIGINT NOT NULL, PRIMARY KEY (basketId, positionId, businessDate), INDEX (msg_sent_date))");
        long old = RunTable.OLD;
        long young = System.currentTimeMillis();
        ledger.execute("INSERT INTO basket_position VALUES (42, 7, '2025-06-15', " + old + "), (42, 7, '2025-06-16', " + young + "),"
                + " (42, 8, '2025-01-01', " + old + "), (43, -1, '2025-06-16', " + old + "), (43, 2, '2024-12-31', " + old + "),"
                + " (9000000000, 1, '2025-01-02', " + old + "), (9000000000, 2, '2025-01-02', " + young + ")");
        org.eclipse.microprofile.config.Config config = org.eclipse.microprofile.config.ConfigProvider.getConfig();
        io.archiver.policy.TestPolicies.apply(config.getValue("quarkus.datasource.jdbc.url", String.class),
                config.getValue("quarkus.datasource.username", String.class), config.getValue("quarkus.datasource.password", String.class),
                java.util.Map.of("ARCHIVER_POLICIES_KEYED_TABLE", "basket_position", "ARCHIVER_POLICIES_KEYED_KEY",
                        "basketId,positionId,businessDate", "ARCHIVER_POLICIES_KEYED_BATCH_SIZE", "3", "ARCHIVER_POLICIES_KEYED_ALLOW_WHOLE_TABLE",
                        "true", "ARCHIVER_POLICIES_KEYED_MAX_SHARE_PER_RUN", "1", "ARCHIVER_POLICIES_KEYED_CONFIRM_FIRST_RUN", "false"));
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).until(() -> catalog.all().containsKey("keyed"));
        ArchiveRequested request = ArchiveRequested.of(ScannerLedger.newRunId("keyed"), "keyed", "basket_position", RunTable.CUTOFF,
                ArchiveMode.DELETE, "test", false, null);

        assertThat(ChannelRecords.send(requests, EventCodec.encode(request)).acks).hasValue(1);

        assertThat(ledger.run(request.runId()).state()).isEqualTo("RUNNING");
        assertThat(ledger.keyRanges(request.runId())).containsExactly(
                List.of("[\"42\",\"7\",\"2025-06-15\"]", "[\"43\",\"-1\",\"2025-06-16\"]", "3", "0..0"),
                List.of("[\"43\",\"2\",\"2024-12-31\"]", "[\"9000000000\",\"1\",\"2025-01-02\"]", "2", "0..0"));
        List<ArchiveBatchReady> ready = ScannerLedger.published(batches, ArchiveBatchReady.class, request.runId());
        assertThat(ready).hasSize(2).allSatisfy(b -> assertThat(b.scope().byKeys()).isTrue());
        assertThat(ready.get(0).scope().first()).isEqualTo(io.archiver.events.KeyValue.of("42", "7", "2025-06-15"));
        assertThat(ready.get(1).scope().last()).isEqualTo(io.archiver.events.KeyValue.of("9000000000", "1", "2025-01-02"));

        // a completion whose range is not the ledger's closes nothing; the ledger's ranges close the run
        io.archiver.events.BatchScope forged = io.archiver.events.BatchScope.ofKeys("keyed", "basket_position", RunTable.CUTOFF,
                io.archiver.events.KeyValue.of("42", "7", "2025-06-15"), io.archiver.events.KeyValue.of("9000000000", "2", "2025-01-02"),
                ArchiveMode.DELETE, ready.get(0).scope().runDate());
        ChannelRecords.send(completions, EventCodec.encode(ArchiveBatchDeleted.of(request.runId(), ready.get(0).batchId(), forged, 3,
                "basket-position-archive/x")));
        assertThat(ScannerLedger.published(runs, ArchiveRunCompleted.class, request.runId())).isEmpty();
        for (ArchiveBatchReady batch : ready) {
            ChannelRecords.send(completions, EventCodec.encode(ArchiveBatchDeleted.of(request.runId(), batch.batchId(), batch.scope(),
                    batch.expectedRows(), "basket-position-archive/" + batch.batchId())));
        }
        assertThat(ScannerLedger.published(runs, ArchiveRunCompleted.class, request.runId())).singleElement().satisfies(c -> {
            assertThat(c.outcome()).isEqualTo(RunOutcome.SUCCEEDED);
            assertThat(c.stats().rowsRemoved()).isEqualTo(5);
        });
    }

    @Test
    void aRunsFirstBatchesGrowFromFirstBatchRowsToThePolicysBatchSize() {
        // a table of its own: 75,000 old rows, then young ones; the policy's batch-size 40,000, archiver.scan.first-batch-rows 10,000
        ledger.execute("DROP TABLE IF EXISTS ramp_rows");
        ledger.execute("CREATE TABLE ramp_rows (id BIGINT NOT NULL PRIMARY KEY, msg_sent_date BIGINT NULL, INDEX (msg_sent_date))");
        ledger.execute("INSERT INTO ramp_rows SELECT seq, IF(seq <= 75000, " + RunTable.OLD + ", " + System.currentTimeMillis() + ")"
                + " FROM seq_1_to_80000");
        org.eclipse.microprofile.config.Config config = org.eclipse.microprofile.config.ConfigProvider.getConfig();
        io.archiver.policy.TestPolicies.apply(config.getValue("quarkus.datasource.jdbc.url", String.class),
                config.getValue("quarkus.datasource.username", String.class), config.getValue("quarkus.datasource.password", String.class),
                java.util.Map.of("ARCHIVER_POLICIES_RAMP_TABLE", "ramp_rows", "ARCHIVER_POLICIES_RAMP_BATCH_SIZE", "40000",
                        "ARCHIVER_POLICIES_RAMP_CONFIRM_FIRST_RUN", "false", "ARCHIVER_POLICIES_RAMP_MAX_SHARE_PER_RUN", "1"));
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).until(() -> catalog.all().containsKey("ramp"));
        ArchiveRequested request = ArchiveRequested.of(ScannerLedger.newRunId("ramp"), "ramp", "ramp_rows", RunTable.CUTOFF,
                ArchiveMode.DELETE, "test", false, null);

        assertThat(ChannelRecords.send(requests, EventCodec.encode(request)).acks).hasValue(1);

        assertThat(ledger.batches(request.runId())).extracting(b -> List.of(b.firstId(), b.lastId(), b.expectedRows()))
                .containsExactly(List.of(1L, 10_000L, 10_000L), List.of(10_001L, 30_000L, 20_000L), List.of(30_001L, 70_000L, 40_000L),
                        List.of(70_001L, 75_000L, 5_000L));
        assertThat(ledger.run(request.runId()).rowsFound()).isEqualTo(75_000);
        assertThat(ScannerLedger.published(batches, ArchiveBatchReady.class, request.runId())).extracting(ArchiveBatchReady::expectedRows)
                .containsExactly(10_000L, 20_000L, 40_000L, 5_000L);
    }

    @Test
    void aRunHasAtMostItsWindowOfBatchesPublishedAndEachEndLetsTheNextOneIn() {
        // a table of its own (60 old rows, 15 batches of 4), so the other tests' runs of run plan what they did before
        long first = oldRows(60);
        ledger.execute("CREATE TABLE window_rows LIKE run");
        ledger.execute("INSERT INTO window_rows SELECT * FROM run WHERE id BETWEEN " + first + " AND " + (first + 119));
        ledger.execute("DELETE FROM run WHERE id BETWEEN " + first + " AND " + (first + 119));
        org.eclipse.microprofile.config.Config config = org.eclipse.microprofile.config.ConfigProvider.getConfig();
        io.archiver.policy.TestPolicies.apply(config.getValue("quarkus.datasource.jdbc.url", String.class),
                config.getValue("quarkus.datasource.username", String.class), config.getValue("quarkus.datasource.password", String.class),
                java.util.Map.of("ARCHIVER_POLICIES_WINDOW_TABLE", "window_rows", "ARCHIVER_POLICIES_WINDOW_BATCH_SIZE", "4",
                        "ARCHIVER_POLICIES_WINDOW_CONFIRM_FIRST_RUN", "false"));
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).until(() -> catalog.all().containsKey("window"));
        ArchiveRequested request = ArchiveRequested.of(ScannerLedger.newRunId("window"), "window", "window_rows", RunTable.CUTOFF,
                ArchiveMode.DELETE, "test", false, null);

        assertThat(ChannelRecords.send(requests, EventCodec.encode(request)).acks).hasValue(1);

        List<String> planned = ledger.batches(request.runId()).stream().map(ScannerLedger.Batch::batchId).toList();
        assertThat(planned).hasSize(15);
        List<ArchiveBatchReady> ready = ScannerLedger.published(batches, ArchiveBatchReady.class, request.runId());
        assertThat(ready).extracting(ArchiveBatchReady::batchId).as("the window: archiver.scan.batches-in-flight, 12 by default")
                .containsExactlyElementsOf(planned.subList(0, 12));

        // the first batch ends: the 13th goes out, once, even when the end is delivered again
        ArchiveBatchDeleted firstEnd = ArchiveBatchDeleted.of(request.runId(), ready.get(0).batchId(), ready.get(0).scope(),
                ready.get(0).expectedRows(), "run-archive/x");
        ChannelRecords.send(completions, EventCodec.encode(firstEnd));
        ChannelRecords.send(completions, EventCodec.encode(firstEnd));
        assertThat(ScannerLedger.published(batches, ArchiveBatchReady.class, request.runId())).extracting(ArchiveBatchReady::batchId)
                .containsExactlyElementsOf(planned.subList(0, 13));

        // a redelivered request publishes the window again (batches 2 to 13), nothing beyond it
        ChannelRecords.send(requests, EventCodec.encode(request));
        assertThat(ScannerLedger.published(batches, ArchiveBatchReady.class, request.runId())).hasSize(13 + 12);

        // every batch ends as it is published: each is let in once, and the run closes once
        java.util.Set<String> ended = new java.util.HashSet<>(List.of(ready.get(0).batchId()));
        for (int round = 0; round < planned.size() && ended.size() < planned.size(); round++) {
            for (ArchiveBatchReady batch : ScannerLedger.published(batches, ArchiveBatchReady.class, request.runId())) {
                if (ended.add(batch.batchId())) {
                    ChannelRecords.send(completions, EventCodec.encode(ArchiveBatchDeleted.of(request.runId(), batch.batchId(), batch.scope(),
                            batch.expectedRows(), "run-archive/" + batch.batchId())));
                }
            }
        }
        assertThat(ScannerLedger.published(batches, ArchiveBatchReady.class, request.runId()).stream().map(ArchiveBatchReady::batchId)
                .distinct()).containsExactlyElementsOf(planned);
        assertThat(ScannerLedger.published(batches, ArchiveBatchReady.class, request.runId())).hasSize(13 + 12 + 2);
        assertThat(ScannerLedger.published(runs, ArchiveRunCompleted.class, request.runId())).singleElement()
                .satisfies(c -> assertThat(c.outcome()).isEqualTo(RunOutcome.SUCCEEDED));
    }

    @Test
    void theFirstRunOfAPolicyWaitsForConfirmationAndPublishesNothingUntilConfirmed() {
        long first = oldRows(3);
        ArchiveRequested request = ScannerLedger.request(ScannerTestProfile.HELD);

        assertThat(ChannelRecords.send(requests, EventCodec.encode(request)).acks).hasValue(1);

        assertThat(ScannerLedger.published(runs, ArchiveRunAwaitingConfirmation.class, request.runId())).singleElement()
                .satisfies(held -> assertThat(held.reason()).isEqualTo(RailReason.FIRST_RUN_OF_POLICY.name()));
        assertThat(ledger.run(request.runId()).state()).isEqualTo("AWAITING_CONFIRMATION");
        List<ScannerLedger.Batch> planned = ledger.batches(request.runId());
        assertThat(covered(planned, first)).as("planned while held").isTrue();
        assertThat(ScannerLedger.published(batches, ArchiveBatchReady.class, request.runId())).as("nothing exported while held").isEmpty();

        assertThat(ChannelRecords.send(requests, EventCodec.encode(ArchiveRunConfirmed.of(request.runId(), "operator"))).acks).hasValue(1);

        ScannerLedger.Run confirmed = ledger.run(request.runId());
        assertThat(confirmed.state()).isEqualTo("RUNNING");
        assertThat(confirmed.confirmedBy()).isEqualTo("operator");
        assertThat(ScannerLedger.published(batches, ArchiveBatchReady.class, request.runId())).hasSize(planned.size());

        // a second confirmation (or a replay) publishes the open batches again and changes nothing in the ledger
        assertThat(ChannelRecords.send(requests, EventCodec.encode(ArchiveRunConfirmed.of(request.runId(), "someone else"))).acks).hasValue(1);
        assertThat(ledger.run(request.runId()).confirmedBy()).isEqualTo("operator");
        assertThat(ledger.batches(request.runId())).isEqualTo(planned);
    }

    @Test
    void aSecondRequestWhileARunOfThePolicyIsInFlightIsRejected() {
        oldRows(2);
        ArchiveRequested running = ScannerLedger.request(ScannerTestProfile.IN_FLIGHT);
        ChannelRecords.send(requests, EventCodec.encode(running));
        assertThat(ledger.run(running.runId()).state()).isEqualTo("RUNNING");

        ArchiveRequested second = ScannerLedger.request(ScannerTestProfile.IN_FLIGHT);
        assertThat(ChannelRecords.send(requests, EventCodec.encode(second)).acks).hasValue(1);

        assertThat(ScannerLedger.published(runs, ArchiveRunCompleted.class, second.runId())).singleElement().satisfies(c -> {
            assertThat(c.outcome()).isEqualTo(RunOutcome.REJECTED);
            assertThat(c.reason()).isEqualTo(RailReason.RUN_IN_FLIGHT.name());
            assertThat(c.detail()).contains(running.runId());
        });
        assertThat(ledger.batches(second.runId())).isEmpty();
        assertThat(ScannerLedger.published(batches, ArchiveBatchReady.class, second.runId())).isEmpty();
    }

    @Test
    void aDryRunPlansAndCountsTheEligibleRowsPublishesNoBatchAndTouchesNothing() {
        long first = oldRows(7);
        long eligible = ledger.eligible(RunTable.CUTOFF);
        ArchiveRequested request = ArchiveRequested.of(ScannerLedger.newRunId("dry"), ScannerTestProfile.EMPTY, "run", RunTable.CUTOFF,
                ArchiveMode.DELETE, "test", true, null);

        assertThat(ChannelRecords.send(requests, EventCodec.encode(request)).acks).hasValue(1);

        assertThat(eligible).isGreaterThanOrEqualTo(7);
        assertThat(ScannerLedger.published(runs, ArchiveRunCompleted.class, request.runId())).singleElement().satisfies(c -> {
            assertThat(c.outcome()).isEqualTo(RunOutcome.SUCCEEDED);
            assertThat(c.stats().rowsFound()).as("the eligible rows, counted").isEqualTo(eligible);
            assertThat(c.stats().rowsRemoved()).isZero();
        });
        ScannerLedger.Run run = ledger.run(request.runId());
        assertThat(run.state()).isEqualTo("COMPLETED");
        assertThat(run.rowsFound()).isEqualTo(eligible);
        assertThat(run.batchesPlanned()).as("batches of 4").isEqualTo((int) ((eligible + 3) / 4));
        assertThat(ledger.batches(request.runId())).as("no batch recorded").isEmpty();
        assertThat(ScannerLedger.published(batches, ArchiveBatchReady.class, request.runId())).as("no batch published").isEmpty();
        assertThat(ledger.table.count("run", first, first + 13)).as("the rows stay").isEqualTo(14);
    }

    @Test
    void aRunThatFindsNothingSaysSoAndCompletes() {
        ArchiveRequested request = ArchiveRequested.of(ScannerLedger.newRunId("empty"), ScannerTestProfile.EMPTY, "run",
                RunTable.OLD - 86_400_000L, ArchiveMode.DELETE, "test", false, null);

        assertThat(ChannelRecords.send(requests, EventCodec.encode(request)).acks).hasValue(1);

        assertThat(ScannerLedger.published(runs, ArchiveRunCompleted.class, request.runId())).singleElement().satisfies(c -> {
            assertThat(c.outcome()).isEqualTo(RunOutcome.SUCCEEDED);
            assertThat(c.reason()).isEqualTo(RailReason.NOTHING_ELIGIBLE.name());
            assertThat(c.stats().rowsFound()).isZero();
        });
        assertThat(ledger.run(request.runId()).state()).isEqualTo("COMPLETED");
    }

    @Test
    void aMoveTableWhoseColumnsNoLongerMatchRefusesTheRunBeforeAnythingIsPlanned() {
        // the policy was applied (and checked) before; the table changed since: the scanner checks again before each run
        ledger.execute("DROP TABLE IF EXISTS " + ScannerTestProfile.MISFIT_TABLE);
        ledger.execute("CREATE TABLE " + ScannerTestProfile.MISFIT_TABLE + " (id BIGINT PRIMARY KEY, msg_sent_date BIGINT)");
        oldRows(3);
        ArchiveRequested request = ScannerLedger.request(ScannerTestProfile.MISFIT);
        request = ArchiveRequested.of(request.runId(), ScannerTestProfile.MISFIT, "run", RunTable.CUTOFF, ArchiveMode.MOVE, "test", false, null);

        assertThat(ChannelRecords.send(requests, EventCodec.encode(request)).acks).hasValue(1);

        assertThat(ScannerLedger.published(runs, ArchiveRunCompleted.class, request.runId())).singleElement().satisfies(c -> {
            assertThat(c.outcome()).isEqualTo(RunOutcome.REFUSED);
            assertThat(c.reason()).isEqualTo(RailReason.TABLE_DOES_NOT_FIT_POLICY.name());
            assertThat(c.stats().rowsFound()).isZero();
            assertThat(c.detail()).contains("policy misfit: archive table " + ScannerTestProfile.MISFIT_TABLE
                + " has columns (id BIGINT(20), msg_sent_date BIGINT(20)) but run has (", "CREATE TABLE " + ScannerTestProfile.MISFIT_TABLE
                + " LIKE run");
        });
        assertThat(ledger.batches(request.runId())).isEmpty();
        assertThat(ScannerLedger.published(batches, ArchiveBatchReady.class, request.runId())).isEmpty();
    }

    @Test
    void aRequestThePoliciesDoNotAllowIsDeadLetteredWithItsReason() {
        ArchiveRequested unknown = ArchiveRequested.of(ScannerLedger.newRunId("x"), "nosuch", "run", RunTable.CUTOFF, ArchiveMode.DELETE,
                "test", false, null);
        ArchiveRequested otherTable = ArchiveRequested.of(ScannerLedger.newRunId("x"), ScannerTestProfile.PLANNED, "users", RunTable.CUTOFF,
                ArchiveMode.DELETE, "test", false, null);
        ArchiveRequested tooRecent = ArchiveRequested.of(ScannerLedger.newRunId("x"), ScannerTestProfile.PLANNED, "run",
                System.currentTimeMillis() - 86_400_000L, ArchiveMode.DELETE, "test", false, null);

        assertThat(reason(ChannelRecords.send(requests, EventCodec.encode(unknown)))).isEqualTo("UNKNOWN_POLICY");
        assertThat(reason(ChannelRecords.send(requests, EventCodec.encode(otherTable)))).isEqualTo("TABLE_NOT_IN_POLICY");
        assertThat(reason(ChannelRecords.send(requests, EventCodec.encode(tooRecent)))).isEqualTo("CUTOFF_TOO_RECENT");
        for (ArchiveRequested refused : List.of(unknown, otherTable, tooRecent)) {
            assertThat(ScannerLedger.published(runs, ArchiveEvent.class, refused.runId())).isEmpty();
        }
    }

    @Test
    void aRecordThatIsNoRequestIsDeadLettered() {
        Delivery malformed = ChannelRecords.send(requests, "not json".getBytes(StandardCharsets.UTF_8));
        Delivery confirmationOfNoRun = ChannelRecords.send(requests, EventCodec.encode(ArchiveRunConfirmed.of("no-such-run", "operator")));

        assertThat(malformed.nacks).singleElement().isInstanceOf(EventDecodingException.class);
        assertThat(confirmationOfNoRun.nacks).hasSize(1);
    }

    private static String reason(Delivery delivery) {
        assertThat(delivery.nacks).hasSize(1);
        assertThat(delivery.nacks.get(0)).isInstanceOf(PolicyViolation.class);
        return ((PolicyViolation) delivery.nacks.get(0)).reason();
    }
}
