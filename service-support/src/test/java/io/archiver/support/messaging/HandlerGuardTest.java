package io.archiver.support.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import org.jboss.logging.Logger;
import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.smallrye.mutiny.Uni;

class HandlerGuardTest {

    private static final Logger LOG = Logger.getLogger(HandlerGuardTest.class);

    private static RetryConfig config(int attempts, Duration attemptTimeout) {
        return new TestRetryConfig(attempts, Duration.ofMillis(10), Duration.ofMillis(20), attemptTimeout);
    }

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    private HandlerGuard guard(RetryConfig config) {
        return new HandlerGuard(config, registry);
    }

    @Test
    void anAttemptThatNeverAnswersIsAbandonedAndRetried() {
        HandlerGuard guard = guard(config(3, Duration.ofMillis(200)));
        AtomicInteger attempts = new AtomicInteger();
        String result = guard.reactiveWithTimeout(LOG, "test", () -> attempts.incrementAndGet() == 1
                ? Uni.createFrom().<String> nothing() // a database call that never answers
                : Uni.createFrom().item("done")).await().atMost(Duration.ofSeconds(10));
        assertThat(result).isEqualTo("done");
        assertThat(attempts).hasValue(2);
    }

    @Test
    void attemptsThatAlwaysHangFailWithATimeoutOnceTheRetriesAreSpent() {
        HandlerGuard guard = guard(config(2, Duration.ofMillis(100)));
        AtomicInteger attempts = new AtomicInteger();
        assertThatThrownBy(() -> guard.reactiveWithTimeout(LOG, "test", () -> {
            attempts.incrementAndGet();
            return Uni.createFrom().<String> nothing();
        }).await().atMost(Duration.ofSeconds(10))).hasRootCauseInstanceOf(java.util.concurrent.TimeoutException.class)
                .hasMessageContaining("had no answer within");
        assertThat(attempts).hasValue(2);
    }

    @Test
    void aPermanentFailureIsNotRetried() {
        HandlerGuard guard = guard(config(5, Duration.ofSeconds(5)));
        AtomicInteger attempts = new AtomicInteger();
        assertThatThrownBy(() -> guard.reactiveWithTimeout(LOG, "test", () -> {
            attempts.incrementAndGet();
            return Uni.createFrom().<String> failure(new IllegalArgumentException("bad input"));
        }).await().atMost(Duration.ofSeconds(10))).isInstanceOf(IllegalArgumentException.class);
        assertThat(attempts).hasValue(1);
    }

    @Test
    void aBlockingHandlerRetriesATransientFailureThenSucceeds() throws Exception {
        HandlerGuard guard = guard(config(3, Duration.ofSeconds(5)));
        AtomicInteger attempts = new AtomicInteger();
        guard.blocking(LOG, "test", () -> {
            if (attempts.incrementAndGet() < 3) {
                throw new java.net.ConnectException("Connection refused");
            }
        });
        assertThat(attempts).hasValue(3);
    }
}
