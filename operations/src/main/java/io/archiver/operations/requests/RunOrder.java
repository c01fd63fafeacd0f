package io.archiver.operations.requests;

import java.time.Duration;

import io.archiver.events.ArchiveMode;

/**
 * What a caller asks of one run, as archivectl's {@code trigger} options and the API's trigger body give it. Null means the
 * default: table = the policy's name, a new run id, no schedule slot. {@code scheduleSlot} "auto" names the slot of now.
 */
public record RunOrder(String policy, String table, Duration minAge, ArchiveMode mode, boolean dryRun, String scheduleSlot,
        Duration slotLength, String runId, String requestedBy) {
}
