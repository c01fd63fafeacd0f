package io.archiver.events;

import static io.archiver.events.Require.notNegative;

/**
 * What one run did. Its rows add up (docs/live-tables.md): {@code rowsFound} = {@code rowsRemoved} (deleted, or moved in
 * {@link ArchiveMode#MOVE}) + {@code rowsKeptChanged} + {@code rowsKeptNotInObject} (rows its batches handled alone and
 * left in the table) + {@code rowsMissing} (archived rows no longer in the table) + {@code rowsFailed} (rows of failed
 * batches not handled before they failed; they stay in the table). The kept and missing counts are optional in JSON: a
 * record written before they existed decodes with 0.
 */
public record RunStatistics(
        long rowsFound,
        long rowsExported,
        long rowsUploaded,
        long rowsRemoved,
        long rowsFailed,
        long batches,
        long batchesFailed,
        long bytesUploaded,
        long objects,
        long durationMs,
        @AddedLater("live tables, issue 20") long rowsKeptChanged,
        @AddedLater("live tables, issue 20") long rowsKeptNotInObject,
        @AddedLater("live tables, issue 20") long rowsMissing) {

    public RunStatistics {
        notNegative(rowsFound, "stats.rowsFound");
        notNegative(rowsExported, "stats.rowsExported");
        notNegative(rowsUploaded, "stats.rowsUploaded");
        notNegative(rowsRemoved, "stats.rowsRemoved");
        notNegative(rowsFailed, "stats.rowsFailed");
        notNegative(batches, "stats.batches");
        notNegative(batchesFailed, "stats.batchesFailed");
        notNegative(bytesUploaded, "stats.bytesUploaded");
        notNegative(objects, "stats.objects");
        notNegative(durationMs, "stats.durationMs");
        notNegative(rowsKeptChanged, "stats.rowsKeptChanged");
        notNegative(rowsKeptNotInObject, "stats.rowsKeptNotInObject");
        notNegative(rowsMissing, "stats.rowsMissing");
    }

    /** A run none of whose rows were kept or missing. */
    public RunStatistics(long rowsFound, long rowsExported, long rowsUploaded, long rowsRemoved, long rowsFailed, long batches,
            long batchesFailed, long bytesUploaded, long objects, long durationMs) {
        this(rowsFound, rowsExported, rowsUploaded, rowsRemoved, rowsFailed, batches, batchesFailed, bytesUploaded, objects, durationMs, 0,
                0, 0);
    }

    /** The run's rows by what became of them; their {@link RowCounts#found()} is {@code rowsFound} for a run with batches. */
    public RowCounts counts() {
        return new RowCounts(rowsRemoved, rowsKeptChanged, rowsKeptNotInObject, rowsMissing, rowsFailed);
    }

    public long rowsKept() {
        return rowsKeptChanged + rowsKeptNotInObject;
    }
}
