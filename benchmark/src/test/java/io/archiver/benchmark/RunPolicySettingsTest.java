package io.archiver.benchmark;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.archiver.policy.PolicySpec;

/** The `run` policy the benchmark applies: the rails off, a new policy's batch-size, and what the environment sets on top. */
class RunPolicySettingsTest {

    @Test
    void theRunPolicyGetsANewPolicysBatchSizeAndTheRailsOff() {
        Map<String, String> settings = ArchiverBench.runPolicySettings(Map.of("PATH", "/bin", "ARCHIVER_SCAN_BATCHES_IN_FLIGHT", "4"));
        assertThat(settings).containsAllEntriesOf(ArchiverBench.RAILS_OFF)
                .containsEntry("ARCHIVER_POLICIES_RUN_BATCH_SIZE", String.valueOf(PolicySpec.DEFAULT_BATCH_SIZE)).hasSize(3);
        assertThat(ArchiverBench.batchSize(Map.of())).isEqualTo(PolicySpec.DEFAULT_BATCH_SIZE);
    }

    @Test
    void theEnvironmentsSettingsOfTheRunPolicyWin() {
        Map<String, String> environment = Map.of("ARCHIVER_POLICIES_RUN_BATCH_SIZE", "10000", "ARCHIVER_POLICIES_RUN_MAX_SHARE_PER_RUN", "0.5",
                "ARCHIVER_POLICIES_OTHER_BATCH_SIZE", "7");
        assertThat(ArchiverBench.runPolicySettings(environment)).containsEntry("ARCHIVER_POLICIES_RUN_BATCH_SIZE", "10000")
                .containsEntry("ARCHIVER_POLICIES_RUN_MAX_SHARE_PER_RUN", "0.5").doesNotContainKey("ARCHIVER_POLICIES_OTHER_BATCH_SIZE");
        assertThat(ArchiverBench.batchSize(environment)).isEqualTo(10_000);
    }
}
