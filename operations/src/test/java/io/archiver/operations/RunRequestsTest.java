package io.archiver.operations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import io.archiver.events.ArchiveMode;
import io.archiver.events.ArchiveRequested;
import io.archiver.operations.requests.RunOrder;
import io.archiver.operations.requests.RunRequests;

/** A run's order becomes its request with the cutoff computed once, or is refused naming the field at fault. */
class RunRequestsTest {

    private static final Instant NOW = Instant.parse("2026-12-06T13:00:00Z");

    private static RunOrder order(Duration minAge, String slot, String runId) {
        return new RunOrder("run", null, minAge, ArchiveMode.DELETE, true, slot, Duration.ofHours(6), runId, "api:alice");
    }

    @Test
    void anOrderBecomesTheRequestWithItsCutoffAndWhoAsked() {
        ArchiveRequested request = RunRequests.request(order(Duration.ofDays(60), "auto", "run-a"), NOW);
        assertThat(request.runId()).isEqualTo("run-a");
        assertThat(request.table()).isEqualTo("run");
        assertThat(request.cutoffEpochMs()).isEqualTo(NOW.minus(Duration.ofDays(60)).toEpochMilli());
        assertThat(request.scheduleSlot()).isEqualTo("2026-12-06T12:00Z");
        assertThat(request.requestedBy()).isEqualTo("api:alice");
        assertThat(request.dryRun()).isTrue();
        assertThat(RunRequests.request(order(Duration.ofDays(60), null, null), NOW).runId()).matches("run-20261206T130000Z-[0-9a-f]{8}");
    }

    @Test
    void aBadOrderIsRefusedNamingTheField() {
        assertThatThrownBy(() -> RunRequests.request(order(Duration.ZERO, null, null), NOW)).isInstanceOfSatisfying(OperationRefused.class,
                e -> assertThat(e.field()).isEqualTo("minAge"));
        assertThatThrownBy(() -> RunRequests.request(order(Duration.ofDays(60), null, "bad id"), NOW))
                .isInstanceOfSatisfying(OperationRefused.class, e -> assertThat(e.field()).isEqualTo("runId"));
        assertThatThrownBy(() -> RunRequests.request(order(Duration.ofDays(60), "x".repeat(129), null), NOW))
                .isInstanceOfSatisfying(OperationRefused.class, e -> assertThat(e.field()).isEqualTo("scheduleSlot"));
        assertThatThrownBy(() -> RunRequests.request(new RunOrder(" ", null, Duration.ofDays(1), ArchiveMode.DELETE, false, null, null, null,
                "api:alice"), NOW)).isInstanceOfSatisfying(OperationRefused.class, e -> assertThat(e.field()).isEqualTo("policy"));
        assertThatThrownBy(() -> RunRequests.request(new RunOrder("run", null, Duration.ofDays(1), ArchiveMode.DELETE, false, "auto",
                Duration.ofSeconds(30), null, "api:alice"), NOW)).isInstanceOfSatisfying(OperationRefused.class,
                        e -> assertThat(e.field()).isEqualTo("slotLength"));
    }

    @Test
    void everyEnabledPolicyGetsItsOwnRunWithItsTableModeAndMinimumAgeAndTheOrdersDryRun() {
        io.archiver.policy.PolicySpec orders = io.archiver.policy.PolicyFile.withSettings(io.archiver.policy.PolicySpec.defaults("orders",
                "orders"), java.util.Map.of("mode", "MOVE", "min-age", "P90D", "source", "shop"));
        java.util.List<io.archiver.policy.StoredPolicy> stored = java.util.List.of(
                new io.archiver.policy.StoredPolicy(io.archiver.policy.PolicySpec.defaults("run", "run"), 1, "a", 0),
                new io.archiver.policy.StoredPolicy(orders, 2, "b", 0),
                new io.archiver.policy.StoredPolicy(io.archiver.policy.PolicySpec.defaults("off", "off").withEnabled(false), 3, "c", 0));
        java.util.List<ArchiveRequested> requests = RunRequests.forEveryPolicy(stored,
                new RunOrder("all", null, Duration.ofDays(70), null, true, null, null, null, "ops"), NOW);
        assertThat(requests).extracting(ArchiveRequested::policy, ArchiveRequested::table, ArchiveRequested::mode,
                ArchiveRequested::cutoffEpochMs, ArchiveRequested::dryRun).containsExactly(
                        org.assertj.core.groups.Tuple.tuple("run", "run", ArchiveMode.DELETE, NOW.minus(Duration.ofDays(70)).toEpochMilli(), true),
                        org.assertj.core.groups.Tuple.tuple("orders", "orders", ArchiveMode.MOVE, NOW.minus(Duration.ofDays(90)).toEpochMilli(),
                                true));
        assertThat(requests).extracting(ArchiveRequested::runId).doesNotHaveDuplicates();
        assertThat(requests).extracting(ArchiveRequested::requestedBy).containsOnly("ops");
        assertThatThrownBy(() -> RunRequests.forEveryPolicy(stored, new RunOrder("all", "orders", null, null, false, null, null, null, "ops"),
                NOW)).isInstanceOfSatisfying(OperationRefused.class, e -> assertThat(e.field()).isEqualTo("table"));
    }

    @Test
    void aRunTakesItsPolicysModeUnlessGivenAndADifferentModeIsRefused() {
        io.archiver.policy.PolicySpec orders = io.archiver.policy.PolicyFile.withSettings(io.archiver.policy.PolicySpec.defaults("orders",
                "orders"), java.util.Map.of("mode", "MOVE"));
        RunOrder noMode = new RunOrder("orders", null, Duration.ofDays(60), null, false, null, null, null, "ops");
        assertThat(RunRequests.request(noMode, orders, NOW).mode()).isEqualTo(ArchiveMode.MOVE);
        RunOrder move = new RunOrder("orders", null, Duration.ofDays(60), ArchiveMode.MOVE, false, null, null, null, "ops");
        assertThat(RunRequests.request(move, orders, NOW).mode()).isEqualTo(ArchiveMode.MOVE);
        RunOrder delete = new RunOrder("orders", null, Duration.ofDays(60), ArchiveMode.DELETE, false, null, null, null, "ops");
        assertThatThrownBy(() -> RunRequests.request(delete, orders, NOW)).isInstanceOfSatisfying(OperationRefused.class, e -> {
            assertThat(e.field()).isEqualTo("mode");
            assertThat(e.reason()).contains("DELETE differs from policy orders's mode MOVE");
        });
        // without the policy (a caller that cannot read it) the order must give the mode
        assertThatThrownBy(() -> RunRequests.request(noMode, null, NOW)).isInstanceOfSatisfying(OperationRefused.class,
                e -> assertThat(e.field()).isEqualTo("mode"));
        java.util.List<io.archiver.policy.StoredPolicy> stored = java.util.List.of(new io.archiver.policy.StoredPolicy(orders, 1, "a", 0));
        assertThatThrownBy(() -> RunRequests.forEveryPolicy(stored, new RunOrder("all", null, null, ArchiveMode.DELETE, false, null, null,
                null, "ops"), NOW)).isInstanceOfSatisfying(OperationRefused.class, e -> assertThat(e.field()).isEqualTo("mode"));
    }

    @Test
    void aRunTakesItsPolicysTableUnlessGivenAndAnotherTableIsRefused() {
        // a policy named otherwise than its table: a trigger naming only the policy archives the policy's table
        io.archiver.policy.PolicySpec nightly = io.archiver.policy.PolicySpec.defaults("nightly_orders", "orders");
        RunOrder noTable = new RunOrder("nightly_orders", null, Duration.ofDays(60), null, false, null, null, null, "ops");
        assertThat(RunRequests.request(noTable, nightly, NOW).table()).isEqualTo("orders");
        RunOrder same = new RunOrder("nightly_orders", "orders", Duration.ofDays(60), null, false, null, null, null, "ops");
        assertThat(RunRequests.request(same, nightly, NOW).table()).isEqualTo("orders");
        RunOrder other = new RunOrder("nightly_orders", "run", Duration.ofDays(60), null, false, null, null, null, "ops");
        assertThatThrownBy(() -> RunRequests.request(other, nightly, NOW)).isInstanceOfSatisfying(OperationRefused.class, e -> {
            assertThat(e.field()).isEqualTo("table");
            assertThat(e.reason()).contains("run is not policy nightly_orders's table orders");
        });
    }
}
