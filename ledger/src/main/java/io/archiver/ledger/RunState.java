package io.archiver.ledger;

/**
 * Where a run is ({@code archive_run.state}): planning its batches (none published yet), held by a safety rail until
 * confirmed (planned, none published), running them, or ended.
 */
public enum RunState {
    PLANNING,
    AWAITING_CONFIRMATION,
    RUNNING,
    COMPLETED
}
