package io.archiver.operations.runs;

import io.archiver.events.RunStatistics;
import io.archiver.ledger.RunState;

/**
 * One row of {@code archive_run}. Times are epoch milliseconds; {@code null} where not reached yet, as are the statistics
 * the scanner fixed when the run completed.
 */
public record RunRow(String runId, String policy, String table, long cutoffEpochMs, String mode, String runDate, boolean dryRun,
        String scheduleSlot, String requestedBy, String state, String outcome, int batchesPlanned, long rowsFound, long requestedAtMs,
        Long plannedAtMs, Long completedAtMs, Rails rails, RunStatistics statistics) {

    /**
     * What the safety rails recorded (docs/safety-rails.md): the rail that refused, held or annotates the run and what it
     * says, the date column's ends as seen, the plan's table rows and dates, and who confirmed it when.
     */
    public record Rails(String reason, String reasonDetail, String dateMinValue, String dateMaxValue, Long tableRows, Long oldestRowMs,
            Long newestEligibleMs, Long releasedAtMs, String confirmedBy, Long confirmedAtMs) {
    }

    public boolean completed() {
        return RunState.COMPLETED.name().equals(state);
    }

    public boolean awaitingConfirmation() {
        return RunState.AWAITING_CONFIRMATION.name().equals(state);
    }
}
