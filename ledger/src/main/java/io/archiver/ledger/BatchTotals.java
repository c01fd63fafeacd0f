package io.archiver.ledger;

import java.util.Collection;

/**
 * How a run's batches add up, from what the ledger records of each: the one count behind the scanner's run statistics
 * and {@code archivectl status}, so the two never differ. A batch counts as uploaded once it has an object and the rows
 * the upload reported; its rows removed as the deleter recorded them chunk by chunk (so a batch that failed half-way
 * counts what it removed, verified, and the rest as failed).
 */
public record BatchTotals(long rowsExported, long rowsUploaded, long rowsRemoved, long rowsFailed, long batches, long batchesFailed,
        long bytesUploaded, long objects) {

    /** A batch's figures as the ledger has them; null where its step has not reported. */
    public record Figures(BatchState state, long expectedRows, Long rowsExported, Long rowsUploaded, String objectKey, Long objectBytes,
            Long rowsRemoved) {
    }

    public static BatchTotals of(Collection<Figures> batches) {
        long exported = 0, uploaded = 0, removed = 0, failedRows = 0, failed = 0, bytes = 0, objects = 0;
        for (Figures batch : batches) {
            exported += value(batch.rowsExported());
            if (batch.objectKey() != null && batch.rowsUploaded() != null) {
                uploaded += batch.rowsUploaded();
                bytes += value(batch.objectBytes());
                objects++;
            }
            removed += value(batch.rowsRemoved());
            if (batch.state() == BatchState.FAILED) {
                failed++;
                failedRows += Math.max(0, (batch.rowsExported() != null ? batch.rowsExported() : batch.expectedRows()) - value(batch.rowsRemoved()));
            }
        }
        return new BatchTotals(exported, uploaded, removed, failedRows, batches.size(), failed, bytes, objects);
    }

    private static long value(Long value) {
        return value == null ? 0 : value;
    }
}
