package io.archiver.scanner.domain;

/**
 * How many eligible rows the batch of each place in a run's plan holds: the first {@code first-batch-rows}, each next one
 * twice the one before, up to the policy's {@code batch-size}, which every batch after holds. Large batches cost less per row
 * (fewer events, ledger updates and S3 requests per row: docs/performance.md), but a run's first delete waits for its whole
 * first batch to be exported and verified; the ramp keeps that wait as short as for a small batch. A policy whose batch-size
 * is at most {@code first-batch-rows} has no ramp. The size depends on the batch's place only, so a plan resumed after its
 * last recorded batch (a redelivered request) cuts the very ranges a plan in one go would.
 */
public record BatchRamp(int batchSize, int firstBatchRows) {

    public BatchRamp {
        if (batchSize < 1 || firstBatchRows < 1) {
            throw new IllegalArgumentException("batch-size and first-batch-rows must be at least 1, were " + batchSize + " and " + firstBatchRows);
        }
    }

    /** The rows of the batch at place {@code seq} (1 for a run's first). */
    public int rows(int seq) {
        if (seq < 1) {
            throw new IllegalArgumentException("a batch's place starts at 1, was " + seq);
        }
        long rows = firstBatchRows;
        for (int place = 1; place < seq && rows < batchSize; place++) {
            rows *= 2;
        }
        return (int) Math.min(rows, batchSize);
    }

    /** Whether the batch at place {@code seq} is smaller than the policy's batch-size. */
    public boolean ramping(int seq) {
        return rows(seq) < batchSize;
    }

    /** No ramp: every batch holds the policy's batch-size. */
    public static BatchRamp none(int batchSize) {
        return new BatchRamp(batchSize, batchSize);
    }

    /**
     * The largest number of rows that divides every batch's rows from place {@code seq} on: every cumulative end of a range
     * from there is a multiple of it, so a count that keeps the buckets where a multiple of it falls keeps every range's ends.
     */
    public long granularity(int seq) {
        long gcd = batchSize;
        for (int place = seq; ramping(place); place++) {
            gcd = java.math.BigInteger.valueOf(gcd).gcd(java.math.BigInteger.valueOf(rows(place))).longValue();
        }
        return gcd;
    }
}
