package io.archiver.support.messaging;

import java.time.Duration;

/** {@code archiver.retry.*} as a test sets it. */
record TestRetryConfig(int maxAttempts, Duration initialBackoff, Duration maxBackoff, Duration attemptTimeout) implements RetryConfig {
}
