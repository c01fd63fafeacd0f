package io.archiver.ledger;

/** How a pause of the deleter's health throttle ended, as {@code archive_throttle_pause.outcome} holds it (V13). */
public enum ThrottlePauseOutcome {
    /** The database was healthy again: the batch went on. */
    RESUMED,
    /** Still above a limit after {@code max-pause}: the batch failed {@code DATABASE_UNHEALTHY}, its rows stay. */
    GAVE_UP,
    /** The service stopped during the pause: nothing more of the batch was removed. */
    INTERRUPTED
}
