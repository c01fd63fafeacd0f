package io.archiver.scanner.persistence;

/**
 * Where a run is: planning its batches (none published yet), held by a safety rail until confirmed (planned,
 * none published), running them, or ended.
 */
public enum RunState {
    PLANNING,
    AWAITING_CONFIRMATION,
    RUNNING,
    COMPLETED
}
