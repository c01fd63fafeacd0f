package io.archiver.support.policy;

/**
 * Every reason a safety rail stops, holds or annotates a run (docs/safety-rails.md). The scanner's
 * {@code RunSafety} decides each; {@link PolicyTableCheck} the ones about the live table.
 */
public enum RailReason {

    // ---- refused: the run ends REFUSED before planning; nothing is read for export, written or removed

    /** No longer given: every {@code date-kind} is archived now (kept so that runs refused with it before still read). */
    DATE_KIND_NOT_SUPPORTED,
    /** The policy's table or its date column does not exist in the source database. */
    TABLE_OR_COLUMN_MISSING,
    /** The date column's SQL type does not hold the declared kind (a DATE column declared as epoch milliseconds). */
    DATE_TYPE_MISMATCH,
    /** The date column is not the first column of any index: reading its ends and counting the table would scan it. */
    DATE_COLUMN_NOT_INDEXED,
    /** The id column is not the first column of the primary key: planning (a keyset walk on it) would scan the table. */
    PLANNING_WOULD_SCAN,
    /** The date column's smallest or largest value, read in the declared kind, is before 1990 or after tomorrow. */
    DATE_VALUES_IMPLAUSIBLE,
    /**
     * The table no longer fits the policy as {@code policy apply} checked it ({@code io.archiver.policy.LiveTableCheck}): the key is
     * not the whole primary key, a MOVE table's columns differ, or the scanner's account lacks SELECT on the table.
     */
    TABLE_DOES_NOT_FIT_POLICY,

    // ---- held: the run is planned, then waits in AWAITING_CONFIRMATION before anything is exported

    /** The run would archive every row of the table (allowed only by {@code allow-whole-table}). */
    WHOLE_TABLE,
    /** The run would archive more than {@code max-share-per-run} of the table's rows. */
    OVER_MAX_SHARE,
    /** The run would archive more than {@code max-rows-per-run} rows. */
    OVER_MAX_ROWS,
    /** No run of the policy with these settings has been let through yet ({@code confirm-first-run}). */
    FIRST_RUN_OF_POLICY,

    // ---- said: the run completes, and says why it did what it did

    /** The run found no eligible row; the completion names the table's oldest date next to the cutoff. */
    NOTHING_ELIGIBLE,
    /** The run was not started: another run of its policy was in flight. */
    RUN_IN_FLIGHT,
    /** The run awaited confirmation and a newer run of its policy replaced it. */
    NOT_CONFIRMED
}
