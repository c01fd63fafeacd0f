package io.archiver.ctl.ledger;

/** One row of {@code archive_run}. Times are epoch milliseconds; {@code null} where not reached yet. */
public record RunRow(String runId, String policy, String table, long cutoffEpochMs, String mode, String runDate, boolean dryRun,
        String scheduleSlot, String requestedBy, String state, String outcome, int batchesPlanned, long rowsFound, long requestedAtMs,
        Long plannedAtMs, Long completedAtMs) {

    public boolean completed() {
        return "COMPLETED".equals(state);
    }
}
