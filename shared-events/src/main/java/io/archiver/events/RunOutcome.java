package io.archiver.events;

/** How a run ended. */
public enum RunOutcome {
    /** Every batch removed its rows (or there was nothing to archive). */
    SUCCEEDED,
    /** Some batches failed; their rows stay in the table for the next run. */
    PARTIAL,
    /** No batch removed its rows. */
    FAILED,
    /**
     * Not started: another run of the same policy was still in flight, and ranges are never planned twice; or the run awaited
     * confirmation and a newer run of its policy replaced it.
     */
    REJECTED,
    /** Refused by a safety rail before planning (the completion's reason and detail say which): nothing was read for export or removed. */
    REFUSED
}
