package io.archiver.support.messaging;

import java.time.Duration;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.smallrye.mutiny.Uni;

/**
 * Runs a handler so that a transient failure is retried with backoff (the handler is idempotent,
 * so running it again is safe) and anything else, or a transient failure that outlasts the retries,
 * is logged in one line and rethrown: the record is nacked and goes to the channel's dead-letter
 * topic, and the partition moves on.
 */
@ApplicationScoped
public class HandlerGuard {

    private final RetryConfig config;

    public HandlerGuard(RetryConfig config) {
        if (config.maxAttempts() < 1) {
            throw new IllegalArgumentException("archiver.retry.max-attempts must be at least 1");
        }
        this.config = config;
    }

    /** A blocking handler (on a worker thread). */
    public void blocking(Logger log, String channel, EventLog.Body body) throws Exception {
        Duration backoff = config.initialBackoff();
        for (int attempt = 1;; attempt++) {
            try {
                body.run();
                return;
            } catch (Exception e) {
                if (!TransientFailures.isTransient(e) || attempt >= config.maxAttempts()) {
                    EventLog.failed(log, channel, e);
                    throw e;
                }
                EventLog.retrying(log, channel, e, attempt, backoff);
                Thread.sleep(backoff.toMillis());
                backoff = next(backoff);
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

    private <T> Uni<T> reactive(Logger log, String channel, Duration attemptTimeout, Supplier<Uni<T>> body) {
        int[] attempt = { 0 };
        Uni<T> once = Uni.createFrom().deferred(() -> {
            attempt[0]++;
            return body.get();
        });
        if (attemptTimeout != null) {
            once = once.ifNoItem().after(attemptTimeout).failWith(() -> new java.util.concurrent.TimeoutException(
                    "attempt " + attempt[0] + " on " + channel + " had no answer within " + attemptTimeout));
        }
        // every attempt runs on the message's Vert.x context, where Hibernate Reactive keeps its session, even after a backoff
        io.vertx.core.Context context = io.vertx.core.Vertx.currentContext();
        if (context != null) {
            once = once.runSubscriptionOn(command -> context.runOnContext(ignored -> command.run()));
        }
        return once.onFailure(e -> TransientFailures.isTransient(e) && attempt[0] < config.maxAttempts())
                .invoke(e -> EventLog.retrying(log, channel, e, attempt[0], config.initialBackoff()))
                .onFailure(TransientFailures::isTransient).retry().withBackOff(config.initialBackoff(), config.maxBackoff())
                .atMost(config.maxAttempts() - 1L)
                .onFailure().invoke(e -> EventLog.failed(log, channel, e));
    }

    private Duration next(Duration backoff) {
        Duration doubled = backoff.multipliedBy(2);
        return doubled.compareTo(config.maxBackoff()) > 0 ? config.maxBackoff() : doubled;
    }
}
