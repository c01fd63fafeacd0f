package io.archiver.events;

import static io.archiver.events.Require.instant;
import static io.archiver.events.Require.invalid;
import static io.archiver.events.Require.notNegative;

import java.time.Instant;

/**
 * What a planned run would archive: its eligible rows in {@code batches} id ranges from {@code firstId} to
 * {@code lastId}, out of the table's {@code tableRows}, dated from {@code oldestEligible} to {@code newestEligible}.
 */
public record RunPlan(
        long eligibleRows,
        long batches,
        long firstId,
        long lastId,
        long tableRows,
        Instant oldestEligible,
        Instant newestEligible) {

    public RunPlan {
        notNegative(eligibleRows, "plan.eligibleRows");
        notNegative(batches, "plan.batches");
        notNegative(tableRows, "plan.tableRows");
        if (eligibleRows > tableRows) {
            throw invalid("plan.eligibleRows", "must not exceed plan.tableRows (" + eligibleRows + " > " + tableRows + ")");
        }
        if (lastId < firstId) {
            throw invalid("plan.lastId", "must not be below plan.firstId (" + lastId + " < " + firstId + ")");
        }
        instant(oldestEligible, "plan.oldestEligible");
        instant(newestEligible, "plan.newestEligible");
    }

    /** The share of the table's rows the run would archive, 0 to 1. */
    public double share() {
        return tableRows == 0 ? 0 : (double) eligibleRows / tableRows;
    }
}
