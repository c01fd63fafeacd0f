package io.archiver.scanner.persistence;

/** Where a run is: planning its batches, running them, or ended. */
public enum RunState {
    PLANNING,
    RUNNING,
    COMPLETED
}
