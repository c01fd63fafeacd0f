package io.archiver.ledger;

/** Where a restore is ({@code archive_restore.state}): writing rows, ended with every object in scope handled, or refused. */
public enum RestoreState {
    RUNNING,
    COMPLETED,
    FAILED;

    public boolean ended() {
        return this != RUNNING;
    }
}
