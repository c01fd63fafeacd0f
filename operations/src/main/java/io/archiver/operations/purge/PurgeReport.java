package io.archiver.operations.purge;

import java.time.Instant;
import java.util.List;

/**
 * What a purge did (or, in a dry run, would do), per policy: the archive table's rows and the bucket's objects that are past
 * their retention, how many of those were purged, and which were kept and why (a hold, an Object Lock retention, a setting).
 */
public record PurgeReport(Instant at, boolean dryRun, List<PolicyPurge> policies) {

    /** One policy's purge. */
    public record PolicyPurge(String policy, Rows rows, Objects objects) {
    }

    /**
     * The MOVE table's rows: {@code due} past the archive-table retention, {@code purged} removed (in a dry run: would be),
     * {@code held} kept by a hold. {@code note} says why nothing was looked at (no retention, not a MOVE policy), else null.
     */
    public record Rows(String table, Instant cutoff, long due, long purged, long held, int batches, String note) {
        static Rows skipped(String table, String note) {
            return new Rows(table, null, 0, 0, 0, 0, note);
        }
    }

    /**
     * The bucket's objects: {@code notYetDue} within their object-retention; of those past it, {@code purged} (keys, removed
     * or would be), {@code held} (keys a hold covers) and {@code locked} (still under S3 Object Lock: never deleted).
     * {@code note} says why none was looked at, else null.
     */
    public record Objects(long notYetDue, List<String> purged, List<String> held, List<Locked> locked, String note) {
        static Objects skipped(String note) {
            return new Objects(0, List.of(), List.of(), List.of(), note);
        }
    }

    /** An object past its policy's retention but still locked in the bucket: until when, and how. */
    public record Locked(String key, Instant retainUntil, boolean legalHold) {
    }
}
