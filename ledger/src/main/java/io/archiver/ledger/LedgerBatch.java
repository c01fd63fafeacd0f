package io.archiver.ledger;

/**
 * A batch as the exporter and the deleter check it against an event ({@link LedgerSql#BATCH_IN_RUN}): its run, id range and
 * its run's cutoff, its state, and how far the deleter got with it ({@code removedThroughId} is null before the first chunk
 * and once the batch is DELETED): the rows it removed, kept (changed, or not in the object) and found missing so far, and
 * the key of the object's exceptions sidecar once it ended with any (docs/live-tables.md). A batch of a whole key that is not
 * one integer column has its range as {@code firstKey..lastKey}, the keys' texts ({@code io.archiver.events.KeyValue#text}),
 * and {@code firstId} and {@code lastId} 0; a batch of a one-integer key has them null (docs/keys.md).
 */
public record LedgerBatch(String runId, long firstId, long lastId, long cutoffEpochMs, BatchState state, long rowsRemoved,
        Long removedThroughId, long rowsKeptChanged, long rowsKeptNotInObject, long rowsMissing, String exceptionsKey, String firstKey,
        String lastKey, String removedThroughKey) {

    /**
     * Whether the batch's range is {@code firstId..lastId} or, for a whole key, {@code firstKey..lastKey} (texts, null for a
     * one-integer key): what an event's scope must say to be about this batch.
     */
    public boolean hasRange(long firstId, long lastId, String firstKey, String lastKey) {
        return this.firstId == firstId && this.lastId == lastId && java.util.Objects.equals(this.firstKey, firstKey)
                && java.util.Objects.equals(this.lastKey, lastKey);
    }

    /** The range as a reader reads it: {@code firstId..lastId}, or the two keys' texts. */
    public String rangeText() {
        return firstKey == null ? firstId + ".." + lastId : firstKey + ".." + lastKey;
    }

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
        return removedThroughId != null || removedThroughKey != null;
    }
}
