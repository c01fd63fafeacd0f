package io.archiver.objectstore.lifecycle;

import java.time.Duration;

/**
 * A policy's objects as the bucket's lifecycle rules must spare them: the policy's name, the prefix its object keys begin with
 * ({@code run-archive/}) and its {@code object-retention}, the time an object stays at least.
 */
public record RetainedPrefix(String policy, String keyPrefix, Duration retention) {

    /** The retention in whole days, rounded up: a rule of fewer days expires an object before it. */
    public long retentionDays() {
        long days = retention.toDays();
        return retention.equals(Duration.ofDays(days)) ? days : days + 1;
    }

    /** The retention as a policy file writes it: {@code P730D} for whole days. */
    public String retentionText() {
        return retention.equals(Duration.ofDays(retention.toDays())) ? "P" + retention.toDays() + "D" : retention.toString();
    }
}
