package io.archiver.events;

import static io.archiver.events.Require.notNegative;

/**
 * What one run did. {@code rowsRemoved} counts rows deleted, or moved in
 * {@link ArchiveMode#MOVE}; {@code rowsFailed} the rows of failed batches, which stay in the table.
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
        long durationMs) {

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
    }
}
