package io.archiver.ledger;

/**
 * A batch as the exporter and the deleter check it against an event ({@link LedgerSql#BATCH_IN_RUN}): its run, id range and
 * its run's cutoff, its state, and how far the deleter got with it ({@code removedThroughId} is null before the first chunk
 * and once the batch is DELETED).
 */
public record LedgerBatch(String runId, long firstId, long lastId, long cutoffEpochMs, BatchState state, long rowsRemoved,
        Long removedThroughId) {

    public boolean ended() {
        return state.ended();
    }

    public boolean deleted() {
        return state == BatchState.DELETED;
    }

    public boolean failed() {
        return state == BatchState.FAILED;
    }

    /** The deleter has committed at least one chunk of the batch (and not its last). */
    public boolean deletionStarted() {
        return removedThroughId != null;
    }
}
