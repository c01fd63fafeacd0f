package io.archiver.ctl;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.archiver.events.ArchiveMode;
import io.archiver.events.ArchiveRequested;
import io.archiver.policy.PolicySpec;
import io.archiver.policy.StoredPolicy;

/** {@code trigger --policy all}: one request per enabled policy, each with its own table, mode and minimum age. */
class TriggerAllTest {

    @Test
    void everyEnabledPolicyWithItsOwnTableModeAndMinimumAge() {
        Instant now = Instant.parse("2026-12-06T10:00:00Z");
        PolicySpec orders = PolicySpec.defaults("orders", "orders");
        orders = io.archiver.policy.PolicyFile.withSettings(orders, java.util.Map.of("mode", "MOVE", "min-age", "P90D"));
        List<StoredPolicy> stored = List.of(new StoredPolicy(PolicySpec.defaults("run", "run"), 1, "a", 0),
                new StoredPolicy(orders, 2, "b", 0), new StoredPolicy(PolicySpec.defaults("off", "off").withEnabled(false), 3, "c", 0));
        TriggerCommand trigger = new TriggerCommand();
        trigger.minAge = Duration.ofDays(60);
        trigger.slotLength = Duration.ofHours(24);
        List<ArchiveRequested> requests = trigger.requestsForAll(stored, now);
        assertThat(requests).extracting(ArchiveRequested::policy, ArchiveRequested::table, ArchiveRequested::mode, ArchiveRequested::cutoffEpochMs)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("run", "run", ArchiveMode.DELETE, now.minus(Duration.ofDays(60)).toEpochMilli()),
                        org.assertj.core.groups.Tuple.tuple("orders", "orders", ArchiveMode.MOVE, now.minus(Duration.ofDays(90)).toEpochMilli()));
        assertThat(requests).extracting(ArchiveRequested::runId).doesNotHaveDuplicates();
        // a --mode is each policy's own or refused: orders MOVEs
        trigger.mode = ArchiveMode.DELETE;
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> trigger.requestsForAll(stored, now))
                .isInstanceOf(io.archiver.ctl.cli.UsageException.class).hasMessageContaining("--mode DELETE differs from policy orders's mode MOVE");
    }
}
