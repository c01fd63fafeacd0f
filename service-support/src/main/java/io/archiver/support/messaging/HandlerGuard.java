package io.archiver.support.messaging;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.util.TypeLiteral;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.faulttolerance.api.Guard;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;

/**
 * Runs a handler so that a transient failure ({@link TransientFailures}) is retried with exponential backoff (the handler is
 * idempotent, so running it again is safe) and anything else, or a transient failure that outlasts the retries, is logged
 * in one line and rethrown: the record is nacked and goes to the channel's dead-letter topic, and the partition moves on.
 * The retries are SmallRye Fault Tolerance's ({@code archiver.retry.*}: attempts, first and longest backoff); a reactive
 * handler's every attempt runs on the Vert.x context of its message, where Hibernate Reactive keeps its session, even
 * after a backoff (Fault Tolerance resumes an asynchronous retry on the context it was started on).
 * Counted in Micrometer: {@code archiver_retries_total} and {@code archiver_dead_lettered_total} by channel and cause.
 */
@ApplicationScoped
public class HandlerGuard {

    /** A blocking handler's body. */
    @FunctionalInterface
    public interface Body {
        void run() throws Exception;
    }

    private static final TypeLiteral<Uni<Object>> UNI = new TypeLiteral<>() {
    };

    private final RetryConfig config;
    private final MeterRegistry registry;
    private final Guard blockingRetries;
    private final Guard reactiveRetries;

    @Inject
    public HandlerGuard(RetryConfig config, MeterRegistry registry) {
        if (config.maxAttempts() < 1) {
            throw new IllegalArgumentException("archiver.retry.max-attempts must be at least 1, was " + config.maxAttempts());
        }
        if (config.initialBackoff().isNegative() || config.maxBackoff().compareTo(config.initialBackoff()) < 0) {
            throw new IllegalArgumentException("archiver.retry.max-backoff (" + config.maxBackoff()
                    + ") must be at least archiver.retry.initial-backoff (" + config.initialBackoff() + "), both not negative");
        }
        this.config = config;
        this.registry = registry;
        this.blockingRetries = Guard.create().withDescription("archiver blocking handler").with(this::retries).build();
        // thread offload off: the reactive handler starts on its message's thread and context, and its retries resume there
        this.reactiveRetries = Guard.create().withDescription("archiver reactive handler").with(this::retries).withThreadOffload(false)
                .build();
    }

    private void retries(Guard.Builder builder) {
        builder.withRetry()
                .maxRetries(config.maxAttempts() - 1)
                .delay(config.initialBackoff().toMillis(), ChronoUnit.MILLIS)
                .maxDuration(0, ChronoUnit.MILLIS) // no bound of its own: the attempts and the backoffs bound the retries
                .jitter(0, ChronoUnit.MILLIS)
                .whenException(TransientFailures::isTransient)
                .withExponentialBackoff().factor(2).maxDelay(config.maxBackoff().toMillis(), ChronoUnit.MILLIS).done()
                .done();
    }

    /**
     * A blocking handler (on a worker thread): retried on the same thread after a sleep of the backoff. A body that returns
     * normally with its thread's interrupt set (it was interrupted after its effect, during a throttle) has handled its
     * record: the interrupt is carried past the guard's own wait for the result, which it would fail, and set again after.
     */
    public void blocking(Logger log, String channel, Body body) throws Exception {
        AtomicInteger attempts = new AtomicInteger();
        AtomicBoolean interrupted = new AtomicBoolean();
        try {
            blockingRetries.call(() -> {
                try {
                    body.run();
                } catch (Exception e) {
                    retrying(log, channel, e, attempts.incrementAndGet());
                    throw e;
                }
                interrupted.set(Thread.interrupted());
                return null;
            }, Void.class);
        } catch (Exception e) {
            failed(log, channel, e);
            throw e;
        } finally {
            if (interrupted.get()) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** A reactive handler: the body is built again for each attempt. */
    public <T> Uni<T> reactive(Logger log, String channel, Supplier<Uni<T>> body) {
        return reactive(log, channel, null, body);
    }

    /**
     * A short reactive handler whose every attempt must answer within {@code archiver.retry.attempt-timeout}:
     * an attempt that hangs fails with a (transient) timeout and is retried, so its record is acknowledged in the end.
     */
    public <T> Uni<T> reactiveWithTimeout(Logger log, String channel, Supplier<Uni<T>> body) {
        return reactive(log, channel, config.attemptTimeout(), body);
    }

    @SuppressWarnings("unchecked")
    private <T> Uni<T> reactive(Logger log, String channel, Duration attemptTimeout, Supplier<Uni<T>> body) {
        AtomicInteger attempts = new AtomicInteger();
        Supplier<Uni<Object>> attempt = () -> {
            int number = attempts.incrementAndGet();
            Uni<T> once = Uni.createFrom().deferred(body::get);
            if (attemptTimeout != null) {
                once = once.ifNoItem().after(attemptTimeout).failWith(() -> new java.util.concurrent.TimeoutException(
                        "attempt " + number + " on " + channel + " had no answer within " + attemptTimeout + " (archiver.retry.attempt-timeout)"));
            }
            return once.onFailure().invoke(e -> retrying(log, channel, e, number)).map(item -> (Object) item);
        };
        Uni<T> guarded = Uni.createFrom().deferred(() -> {
            try {
                return (Uni<T>) reactiveRetries.call(attempt::get, UNI);
            } catch (Exception e) { // the guard builds a lazy Uni: only a broken configuration throws here
                return Uni.createFrom().failure(e);
            }
        });
        // the guard starts on the message's Vert.x context (when there is one), so that it remembers it for the retries
        Context context = Vertx.currentContext();
        if (context != null) {
            guarded = guarded.runSubscriptionOn(command -> context.runOnContext(ignored -> command.run()));
        }
        return guarded.onFailure().invoke(e -> failed(log, channel, e));
    }

    /** One line and a count for an attempt that failed with a transient failure and will be retried. */
    private void retrying(Logger log, String channel, Throwable e, int attempt) {
        if (attempt >= config.maxAttempts() || !TransientFailures.isTransient(e)) {
            return; // the last attempt, or a permanent failure: failed() says it
        }
        registry.counter("archiver.retries", "channel", channel, "cause", e.getClass().getSimpleName()).increment();
        log.warnf("channel=%s outcome=RETRYING attempt=%d of=%d reason=\"%s\"", channel, attempt, config.maxAttempts(), reason(e));
    }

    /** One line and a count for a record that could not be handled: it goes to the channel's dead-letter topic. */
    private void failed(Logger log, String channel, Throwable e) {
        registry.counter("archiver.dead.lettered", "channel", channel, "cause", e.getClass().getSimpleName()).increment();
        MDC.put("outcome", "DEAD_LETTERED");
        try {
            log.warnf("channel=%s outcome=DEAD_LETTERED reason=\"%s\"", channel, reason(e));
            log.debug("dead-lettered", e);
        } finally {
            MDC.remove("outcome");
        }
    }

    private static String reason(Throwable e) {
        return (e.getClass().getSimpleName() + ": " + e.getMessage()).replace('"', '\'');
    }
}
