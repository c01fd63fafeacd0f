package io.archiver.support.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ConnectException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.jboss.logging.Logger;
import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;

/** The retries HandlerGuard gets from SmallRye Fault Tolerance: which failures, how often, how far apart, on which context. */
class HandlerGuardRetryTest {

    private static final Logger LOG = Logger.getLogger(HandlerGuardRetryTest.class);

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    private static RetryConfig config(int attempts, Duration initial, Duration max) {
        return new TestRetryConfig(attempts, initial, max, Duration.ofSeconds(5));
    }

    private double count(String name) {
        return registry.find(name).counters().stream().mapToDouble(c -> c.count()).sum();
    }

    @Test
    void aTransientFailureThatOutlastsTheAttemptsIsRethrownOnceEveryAttemptIsSpentAndCountedAsDeadLettered() {
        HandlerGuard guard = new HandlerGuard(config(4, Duration.ofMillis(5), Duration.ofMillis(10)), registry);
        AtomicInteger attempts = new AtomicInteger();
        assertThatThrownBy(() -> guard.blocking(LOG, "test", () -> {
            attempts.incrementAndGet();
            throw new ConnectException("refused");
        })).isInstanceOf(ConnectException.class);
        assertThat(attempts).hasValue(4);
        assertThat(count("archiver.retries")).isEqualTo(3);
        assertThat(count("archiver.dead.lettered")).isEqualTo(1);
    }

    @Test
    void aPermanentFailureOfABlockingHandlerIsDeadLetteredAtOnce() {
        HandlerGuard guard = new HandlerGuard(config(5, Duration.ofMillis(5), Duration.ofMillis(10)), registry);
        AtomicInteger attempts = new AtomicInteger();
        assertThatThrownBy(() -> guard.blocking(LOG, "test", () -> {
            attempts.incrementAndGet();
            throw new IllegalArgumentException("Connection refused, but said by bad input");
        })).isInstanceOf(IllegalArgumentException.class);
        assertThat(attempts).hasValue(1);
        assertThat(count("archiver.retries")).isZero();
        assertThat(registry.get("archiver.dead.lettered").tag("channel", "test").tag("cause", "IllegalArgumentException").counter().count())
                .isEqualTo(1);
    }

    @Test
    void aBlockingHandlerInterruptedAfterItsEffectReturnsNormallyWithItsInterruptKept() throws Exception {
        HandlerGuard guard = new HandlerGuard(config(3, Duration.ofMillis(5), Duration.ofMillis(10)), registry);
        AtomicInteger attempts = new AtomicInteger();
        try {
            guard.blocking(LOG, "test", () -> {
                attempts.incrementAndGet();
                Thread.currentThread().interrupt(); // as a shutdown does during the pause after a handled batch
            });
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
        } finally {
            Thread.interrupted();
        }
        assertThat(attempts).hasValue(1);
        assertThat(count("archiver.dead.lettered")).isZero();
    }

    @Test
    void theBackoffDoublesFromTheInitialOneUpToTheLongest() throws Exception {
        HandlerGuard guard = new HandlerGuard(config(4, Duration.ofMillis(200), Duration.ofMillis(300)), registry);
        List<Long> starts = new CopyOnWriteArrayList<>();
        guard.blocking(LOG, "test", () -> {
            starts.add(System.nanoTime());
            if (starts.size() < 4) {
                throw new ConnectException("refused");
            }
        });
        assertThat(starts).hasSize(4);
        long first = TimeUnit.NANOSECONDS.toMillis(starts.get(1) - starts.get(0));
        long second = TimeUnit.NANOSECONDS.toMillis(starts.get(2) - starts.get(1));
        long third = TimeUnit.NANOSECONDS.toMillis(starts.get(3) - starts.get(2));
        assertThat(first).as("the initial backoff").isGreaterThanOrEqualTo(190);
        assertThat(second).as("doubled, then capped at the longest").isGreaterThanOrEqualTo(290);
        assertThat(third).as("capped at the longest, not doubled again to 800 ms").isGreaterThanOrEqualTo(290).isLessThan(750);
    }

    @Test
    void everyAttemptOfAReactiveHandlerRunsOnTheVertxContextItStartedOnEvenAfterABackoff() throws Exception {
        Vertx vertx = Vertx.vertx();
        try {
            HandlerGuard guard = new HandlerGuard(config(3, Duration.ofMillis(20), Duration.ofMillis(40)), registry);
            Context context = vertx.getOrCreateContext();
            List<Context> seen = new CopyOnWriteArrayList<>();
            Uni<String> handled = Uni.createFrom().emitter(emitter -> context.runOnContext(ignored -> guard.reactive(LOG, "test", () -> {
                seen.add(Vertx.currentContext());
                return seen.size() < 3 ? Uni.createFrom().<String> failure(new ConnectException("refused")) : Uni.createFrom().item("done");
            }).subscribe().with(emitter::complete, emitter::fail)));
            assertThat(handled.await().atMost(Duration.ofSeconds(10))).isEqualTo("done");
            assertThat(seen).hasSize(3).allSatisfy(c -> assertThat(c).isSameAs(context));
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }
}
