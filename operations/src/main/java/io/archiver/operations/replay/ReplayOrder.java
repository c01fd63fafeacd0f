package io.archiver.operations.replay;

import java.time.Instant;

/**
 * A replay of one topic partition for one consumer group from an offset, or from the first record at or after a time (one of the
 * two); {@code republish} publishes the records again instead of resetting the group's offset; {@code dryRun} changes nothing;
 * {@code requestedBy} is who asks (on every record republished).
 */
public record ReplayOrder(String topic, int partition, String group, Long fromOffset, Instant fromTimestamp, boolean republish,
        boolean dryRun, String requestedBy) {
}
