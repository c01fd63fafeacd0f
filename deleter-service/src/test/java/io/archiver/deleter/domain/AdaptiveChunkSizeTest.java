package io.archiver.deleter.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.junit.jupiter.api.Test;

/** The chunk size follows the observed transaction times: grows under the target, halves over it, within its bounds. */
class AdaptiveChunkSizeTest {

    private static final Duration TARGET = Duration.ofMillis(500);
    private static final Duration FAST = Duration.ofMillis(100);
    private static final Duration SLOW = Duration.ofMillis(900);

    @Test
    void startsSmall_growsWhileChunksStayUnderTheTarget_upToTheMax() {
        AdaptiveChunkSize size = new AdaptiveChunkSize(100, 1000, TARGET);
        assertThat(size.rows()).isEqualTo(100);
        size.observed(100, FAST);
        assertThat(size.rows()).isEqualTo(150);
        size.observed(150, FAST);
        assertThat(size.rows()).isEqualTo(225);
        for (int i = 0; i < 20; i++) {
            size.observed(size.rows(), FAST);
        }
        assertThat(size.rows()).isEqualTo(1000);
    }

    @Test
    void shrinksWhenAChunkTakesLongerThanTheTarget_downToTheMin() {
        AdaptiveChunkSize size = new AdaptiveChunkSize(100, 1000, TARGET);
        for (int i = 0; i < 20; i++) {
            size.observed(size.rows(), FAST);
        }
        size.observed(1000, SLOW);
        assertThat(size.rows()).isEqualTo(500);
        size.observed(500, SLOW);
        assertThat(size.rows()).isEqualTo(250);
        for (int i = 0; i < 10; i++) {
            size.observed(size.rows(), SLOW);
        }
        assertThat(size.rows()).isEqualTo(100);
        size.observed(100, FAST);
        assertThat(size.rows()).as("grows again once chunks are fast").isEqualTo(150);
    }

    @Test
    void aShortLastChunkSaysNothingAboutTheSize_unlessItWasSlow() {
        AdaptiveChunkSize size = new AdaptiveChunkSize(100, 1000, TARGET);
        size.observed(7, FAST);
        assertThat(size.rows()).isEqualTo(100);
        size.observed(100, FAST);
        size.observed(40, SLOW);
        assertThat(size.rows()).isEqualTo(100);
    }

    @Test
    void aMaxBelowTheMinGivesFixedChunksOfTheMax_badSettingsAreRefused() {
        AdaptiveChunkSize fixed = new AdaptiveChunkSize(100, 10, TARGET);
        fixed.observed(10, FAST);
        assertThat(fixed.rows()).isEqualTo(10);
        fixed.observed(10, SLOW);
        assertThat(fixed.rows()).isEqualTo(10);
        assertThatThrownBy(() -> new AdaptiveChunkSize(0, 10, TARGET)).hasMessageContaining("at least 1");
        assertThatThrownBy(() -> new AdaptiveChunkSize(1, 10, Duration.ZERO)).hasMessageContaining("archiver.delete.chunks.target-time");
    }
}
