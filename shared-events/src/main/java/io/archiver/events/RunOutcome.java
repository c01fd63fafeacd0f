package io.archiver.events;

/** How a run ended. */
public enum RunOutcome {
    /** Every batch removed its rows (or there was nothing to archive). */
    SUCCEEDED,
    /** Some batches failed; their rows stay in the table for the next run. */
    PARTIAL,
    /** No batch removed its rows. */
    FAILED,
    /** Not started: another run of the same policy was still in flight, and ranges are never planned twice. */
    REJECTED
}
