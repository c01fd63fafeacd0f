package io.archiver.exporter.domain;

/**
 * Why the exporter refuses an ArchiveBatchReady: stable codes (the reason in a dead-lettered record's headers; tests and
 * dashboards use them). Each rejects the event itself: it goes to the dead-letter topic and nothing is read or written.
 * (A policy's own refusals, such as TABLE_NOT_IN_POLICY or CUTOFF_TOO_RECENT, are the policy guard's.)
 */
public enum ExportReason {

    /** The ledger has no such batch: the scanner never planned it. */
    UNKNOWN_BATCH,
    /** The ledger has the batch with another run, range or cutoff than the event says. */
    BATCH_MISMATCH
}
