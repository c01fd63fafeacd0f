package io.archiver.localstack.services;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LivenessWatchdogStreaksTest {

    @Test
    void restartsOnlyAfterThresholdDownAnswersInARow() {
        LivenessWatchdog.DownStreaks streaks = new LivenessWatchdog.DownStreaks(3);
        assertThat(streaks.observe("a", true)).isFalse();
        assertThat(streaks.observe("a", true)).isFalse();
        assertThat(streaks.observe("a", false)).as("an UP answer (or none) breaks the streak").isFalse();
        assertThat(streaks.observe("a", true)).isFalse();
        assertThat(streaks.observe("b", true)).as("streaks are per instance").isFalse();
        assertThat(streaks.observe("a", true)).isFalse();
        assertThat(streaks.observe("a", true)).as("the third DOWN in a row").isTrue();
        assertThat(streaks.observe("a", true)).as("after a restart the count starts again").isFalse();
    }

    @Test
    void refusesAThresholdBelowOne() {
        assertThatThrownBy(() -> new LivenessWatchdog.DownStreaks(0)).hasMessageContaining("failureThreshold");
    }
}
