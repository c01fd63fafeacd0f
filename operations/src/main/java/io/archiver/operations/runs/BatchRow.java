package io.archiver.operations.runs;

import io.archiver.events.RowCounts;
import io.archiver.ledger.BatchState;

/** One row of {@code archive_batch}; counts are {@code null} where the step has not reported yet. */
public record BatchRow(String batchId, String runId, int seq, long firstId, long lastId, long expectedRows, String state, Long rowsExported,
        Long fileBytes, String objectKey, Long objectBytes, Long rowsUploaded, Long rowsRemoved, String failedStage, String failureReason,
        String failureDetail, long updatedAtMs, Long rowsKeptChanged, Long rowsKeptNotInObject, Long rowsMissing, String exceptionsKey) {

    public boolean ended() {
        return BatchState.DELETED.name().equals(state) || BatchState.FAILED.name().equals(state);
    }

    /** The batch's rows by what became of them, counted as the scanner counts them ({@link RowCounts#ofBatch}). */
    public RowCounts counts() {
        return RowCounts.ofBatch(BatchState.FAILED.name().equals(state), expectedRows, rowsExported, rowsRemoved, rowsKeptChanged, rowsKeptNotInObject,
                rowsMissing);
    }

    /** Rows of a batch in flight not handled yet ({@link RowCounts#pendingOfBatch}). */
    public long pending() {
        return RowCounts.pendingOfBatch(ended(), expectedRows, rowsExported, rowsRemoved, rowsKeptChanged, rowsMissing);
    }


    /** {@code b000003} for {@code run-…-b000003}: the batch's name within its run. */
    public String shortId() {
        return BatchRow.shortId(runId, batchId);
    }

    public static String shortId(String runId, String batchId) {
        if (batchId == null) {
            return "-";
        }
        return runId != null && batchId.startsWith(runId + "-") ? batchId.substring(runId.length() + 1) : batchId;
    }
}
