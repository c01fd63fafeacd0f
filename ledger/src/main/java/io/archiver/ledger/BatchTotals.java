package io.archiver.ledger;

import java.util.Collection;

/**
 * How a run's batches add up, from what the ledger records of each: the one count behind the scanner's run statistics
 * and {@code archivectl status}, so the two never differ. A batch counts as uploaded once it has an object and the rows
 * the upload reported. What became of the rows (removed, kept, missing, failed) is {@link io.archiver.events.RowCounts}'s
 * to count, not this.
 */
public record BatchTotals(long rowsExported, long rowsUploaded, long batches, long batchesFailed, long bytesUploaded, long objects) {

    /** A batch's figures as the ledger has them; null where its step has not reported. */
    public record Figures(BatchState state, Long rowsExported, Long rowsUploaded, String objectKey, Long objectBytes) {
    }

    public static BatchTotals of(Collection<Figures> batches) {
        long exported = 0, uploaded = 0, failed = 0, bytes = 0, objects = 0;
        for (Figures batch : batches) {
            exported += value(batch.rowsExported());
            if (batch.objectKey() != null && batch.rowsUploaded() != null) {
                uploaded += batch.rowsUploaded();
                bytes += value(batch.objectBytes());
                objects++;
            }
            if (batch.state() == BatchState.FAILED) {
                failed++;
            }
        }
        return new BatchTotals(exported, uploaded, batches.size(), failed, bytes, objects);
    }

    private static long value(Long value) {
        return value == null ? 0 : value;
    }
}
