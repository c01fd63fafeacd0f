package io.archiver.events;

import static io.archiver.events.Require.instant;
import static io.archiver.events.Require.notNegative;
import static io.archiver.events.Require.optionalText;
import static io.archiver.events.Require.present;
import static io.archiver.events.Require.text;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A batch ended in the source table, in the same transaction that recorded it as done: {@code rowsRemoved} rows left it (in
 * {@link ArchiveMode#MOVE} they are now in the archive table); each other row was handled alone and counted
 * (docs/live-tables.md): {@code rowsKeptChanged} stay because their values differ from the object's,
 * {@code rowsKeptNotInObject} stay because the object does not hold them, {@code rowsMissing} of the object's rows were no
 * longer in the table. {@link #rowsFound()} is their sum. {@code exceptions} are the first {@link #MAX_EXCEPTIONS} of these
 * keys (the ledger has them all); {@code exceptionsKey} names the object's sidecar that lists the keys whose version in the
 * object was not removed (null when there are none). The counts and keys are optional in JSON: a record written before
 * they existed decodes with none.
 */
public record ArchiveBatchDeleted(
        String eventId,
        String runId,
        String batchId,
        Instant occurredAt,
        int schemaVersion,
        BatchScope scope,
        long rowsRemoved,
        String objectKey,
        @AddedLater("live tables, issue 20") long rowsKeptChanged,
        @AddedLater("live tables, issue 20") long rowsKeptNotInObject,
        @AddedLater("live tables, issue 20") long rowsMissing,
        @AddedLater("live tables, issue 20") List<RowException> exceptions,
        @AddedLater("live tables, issue 20") String exceptionsKey) implements ArchiveEvent {

    /** Most keys one event carries (about 4 KB of JSON); the ledger's exceptions table has the full list. */
    public static final int MAX_EXCEPTIONS = 100;

    public ArchiveBatchDeleted {
        text(eventId, "eventId");
        text(runId, "runId");
        text(batchId, "batchId");
        instant(occurredAt, "occurredAt");
        SchemaVersion.require(schemaVersion);
        present(scope, "scope");
        notNegative(rowsRemoved, "rowsRemoved");
        text(objectKey, "objectKey");
        notNegative(rowsKeptChanged, "rowsKeptChanged");
        notNegative(rowsKeptNotInObject, "rowsKeptNotInObject");
        notNegative(rowsMissing, "rowsMissing");
        exceptions = exceptions == null ? List.of() : List.copyOf(exceptions);
        if (exceptions.size() > MAX_EXCEPTIONS) {
            throw Require.invalid("exceptions", "holds " + exceptions.size() + " keys, at most " + MAX_EXCEPTIONS + " travel in an event");
        }
        if (exceptions.size() > rowsKeptChanged + rowsKeptNotInObject + rowsMissing) {
            throw Require.invalid("exceptions", "holds " + exceptions.size() + " keys, more than the rows kept and missing");
        }
        optionalText(exceptionsKey, "exceptionsKey");
    }

    /** A batch whose every row was removed (no exceptions). */
    public ArchiveBatchDeleted(String eventId, String runId, String batchId, Instant occurredAt, int schemaVersion, BatchScope scope,
            long rowsRemoved, String objectKey) {
        this(eventId, runId, batchId, occurredAt, schemaVersion, scope, rowsRemoved, objectKey, 0, 0, 0, List.of(), null);
    }

    public static ArchiveBatchDeleted of(String runId, String batchId, BatchScope scope, long rowsRemoved, String objectKey) {
        return of(runId, batchId, scope, new RowCounts(rowsRemoved, 0, 0, 0, 0), objectKey, List.of(), null);
    }

    /** {@code counts}' failed rows must be 0: a batch that ended DELETED got through all its rows. */
    public static ArchiveBatchDeleted of(String runId, String batchId, BatchScope scope, RowCounts counts, String objectKey,
            List<RowException> firstExceptions, String exceptionsKey) {
        if (counts.failed() != 0) {
            throw Require.invalid("rowsFailed", "must be 0 for a deleted batch, was " + counts.failed());
        }
        return new ArchiveBatchDeleted(UUID.randomUUID().toString(), runId, batchId, Instant.now(), SchemaVersion.CURRENT, scope,
                counts.removed(), objectKey, counts.keptChanged(), counts.keptNotInObject(), counts.missing(), firstExceptions, exceptionsKey);
    }

    /** The batch's counts: found = removed + kept + missing, none failed. */
    public RowCounts counts() {
        return new RowCounts(rowsRemoved, rowsKeptChanged, rowsKeptNotInObject, rowsMissing, 0);
    }

    /** The rows the batch met: those its object holds and those of its range the object does not. */
    public long rowsFound() {
        return counts().found();
    }
}
