package io.archiver.support.messaging;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * {@code archiver.retry.*}: how long a handler retries a transient failure (a server down or slow)
 * before its record goes to the dead-letter topic. Backoff doubles from {@code initial-backoff} up
 * to {@code max-backoff}; the defaults ride out about three minutes of outage.
 */
@ConfigMapping(prefix = "archiver.retry")
public interface RetryConfig {

    /** Attempts in all, the first included. */
    @WithDefault("10")
    int maxAttempts();

    @WithDefault("PT0.5S")
    Duration initialBackoff();

    @WithDefault("PT30S")
    Duration maxBackoff();

    /**
     * Longest wait for one attempt of a short reactive handler (the scanner's ledger updates) before it is
     * abandoned and retried: a database call that never answers must not hold its record, and with it the
     * partition's committed offset, for ever.
     */
    @WithDefault("PT1M")
    Duration attemptTimeout();
}
