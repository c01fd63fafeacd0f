package io.archiver.events;

import static io.archiver.events.Require.identifier;
import static io.archiver.events.Require.instant;
import static io.archiver.events.Require.optionalText;
import static io.archiver.events.Require.present;
import static io.archiver.events.Require.text;

import java.time.Instant;
import java.util.UUID;

/**
 * Asks for the archived rows of {@code policy} in {@code scope} to be written back into {@code targetTable}
 * ({@code archivectl restore}, docs/archive.md#restore). {@code runId} is the restore's own id (restore-...): the key of
 * its record in the ledger and of this event on {@code archive.restores}. The target is another table unless
 * {@code intoSource} says, explicitly, that it is the policy's own table. A dry run reads and verifies the objects and
 * counts what would be restored, skipped and in conflict, and writes no row.
 */
public record RestoreRequested(
        String eventId,
        String runId,
        Instant occurredAt,
        int schemaVersion,
        String policy,
        RestoreScope scope,
        String targetTable,
        boolean intoSource,
        boolean dryRun,
        String requestedBy) implements ArchiveEvent {

    public RestoreRequested {
        text(eventId, "eventId");
        text(runId, "runId");
        instant(occurredAt, "occurredAt");
        SchemaVersion.require(schemaVersion);
        identifier(policy, "policy");
        present(scope, "scope");
        identifier(targetTable, "targetTable");
        text(requestedBy, "requestedBy");
    }

    public static RestoreRequested of(String restoreId, String policy, RestoreScope scope, String targetTable, boolean intoSource,
            boolean dryRun, String requestedBy) {
        return new RestoreRequested(UUID.randomUUID().toString(), restoreId, Instant.now(), SchemaVersion.CURRENT, policy, scope, targetTable,
                intoSource, dryRun, requestedBy);
    }

    /**
     * Which archived rows: those of one archival run ({@code run}), of one object ({@code objectKey}), with a key in
     * {@code keyFrom..keyTo} (inclusive), or with a date in {@code [dateFrom, dateTo)}. Exactly one of the four.
     */
    public record RestoreScope(String run, String objectKey, String keyFrom, String keyTo, Instant dateFrom, Instant dateTo) {

        public RestoreScope {
            optionalText(run, "scope.run");
            optionalText(objectKey, "scope.objectKey");
            optionalText(keyFrom, "scope.keyFrom");
            optionalText(keyTo, "scope.keyTo");
            int kinds = (run != null ? 1 : 0) + (objectKey != null ? 1 : 0) + (keyFrom != null || keyTo != null ? 1 : 0)
                    + (dateFrom != null || dateTo != null ? 1 : 0);
            if (kinds != 1) {
                throw Require.invalid("scope", "must name exactly one of run, objectKey, keyFrom..keyTo, dateFrom..dateTo, not " + kinds);
            }
            if ((keyFrom == null) != (keyTo == null)) {
                throw Require.invalid("scope.keyFrom", "and scope.keyTo go together: a key range has both ends");
            }
            if ((dateFrom == null) != (dateTo == null)) {
                throw Require.invalid("scope.dateFrom", "and scope.dateTo go together: a date range has both ends");
            }
            if (dateFrom != null && !dateFrom.isBefore(dateTo)) {
                throw Require.invalid("scope.dateFrom", "must be before scope.dateTo");
            }
        }

        public static RestoreScope ofRun(String run) {
            return new RestoreScope(run, null, null, null, null, null);
        }

        public static RestoreScope ofObject(String key) {
            return new RestoreScope(null, key, null, null, null, null);
        }

        public static RestoreScope ofKeys(String from, String to) {
            return new RestoreScope(null, null, from, to, null, null);
        }

        public static RestoreScope ofDates(Instant from, Instant to) {
            return new RestoreScope(null, null, null, null, from, to);
        }

        /** The scope as the CLI spells it: {@code --run R}, {@code --object KEY}, {@code --key-range A..B}, {@code --from T --to T}. */
        public String describe() {
            if (run != null) {
                return "--run " + run;
            }
            if (objectKey != null) {
                return "--object " + objectKey;
            }
            if (keyFrom != null) {
                return "--key-range " + keyFrom + ".." + keyTo;
            }
            return "--from " + dateFrom + " --to " + dateTo;
        }
    }
}
