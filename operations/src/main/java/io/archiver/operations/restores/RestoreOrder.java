package io.archiver.operations.restores;

import java.time.Instant;

/**
 * What an operator asks to restore, as archivectl's options and the API's body give it: the policy, one scope ({@code run},
 * {@code objectKey}, {@code keyFrom..keyTo} or {@code from..to}), the target ({@code into}, or the policy's own table with
 * {@code intoSource}), a dry run, who asks, and optionally the restore id (default: a new one).
 */
public record RestoreOrder(String policy, String run, String objectKey, String keyFrom, String keyTo, Instant from, Instant to, String into,
        boolean intoSource, boolean dryRun, String requestedBy, String restoreId) {
}
