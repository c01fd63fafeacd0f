package io.archiver.deleter.domain;

import java.time.Duration;

/**
 * The rows the next deleting transaction takes: starts at the smallest size, grows by half while transactions commit within
 * the target time, halves when one does not, always between min and max. Short transactions keep row locks brief and let
 * replicas keep up; larger ones where the server is fast cost fewer round trips. Shared by the batches of one instance, so
 * what one batch learnt the next one starts from; safe for concurrent batches.
 */
public final class AdaptiveChunkSize {

    private final int minRows;
    private final int maxRows;
    private final long targetNanos;
    private int rows;

    public AdaptiveChunkSize(int minRows, int maxRows, Duration target) {
        if (minRows < 1 || maxRows < 1) {
            throw new IllegalArgumentException("chunk sizes must be at least 1, were min " + minRows + " and max " + maxRows);
        }
        if (target.isNegative() || target.isZero()) {
            throw new IllegalArgumentException("archiver.delete.chunks.target-time must be positive, was " + target);
        }
        this.maxRows = maxRows;
        this.minRows = Math.min(minRows, maxRows); // a max below the default min means fixed chunks of max rows
        this.targetNanos = target.toNanos();
        this.rows = this.minRows;
    }

    /** The size of the next chunk. */
    public synchronized int rows() {
        return rows;
    }

    /** A chunk of {@code chunkRows} rows committed in {@code took}: the size for the next one follows from it. */
    public synchronized void observed(int chunkRows, Duration took) {
        if (took.toNanos() > targetNanos) {
            rows = Math.max(minRows, Math.min(rows, chunkRows) / 2);
        } else if (chunkRows >= rows) {
            // only a full-size chunk says the size is fine; a batch's short last chunk says nothing about it
            rows = (int) Math.min(maxRows, rows + Math.max(1L, rows / 2L));
        }
    }

    public int minRows() {
        return minRows;
    }

    public int maxRows() {
        return maxRows;
    }
}
