package io.archiver.scanner.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import io.archiver.support.policy.ArchivePolicies;
import io.archiver.support.policy.PolicyTableCheck;
import io.archiver.support.policy.RailReason;
import io.archiver.support.policy.Refusal;
import io.archiver.support.policy.TableFacts;

/**
 * The safety rails of a run, every decision in one place (docs/safety-rails.md); pure, so that each is unit-tested.
 * <ol>
 * <li>Before planning, {@link #beforePlanning}: the policy must fit its live table ({@link PolicyTableCheck}: the date
 * kind is archived yet, the table and column exist, the column's type holds the kind, the column leads an index, the id
 * leads the primary key, the values are plausible dates). Otherwise the run is REFUSED and nothing is read for export.</li>
 * <li>After planning and before the first batch is published, {@link #afterPlanning}: a run that would archive every
 * row of the table ({@link RailReason#WHOLE_TABLE}), more than {@code max-share-per-run} of them
 * ({@link RailReason#OVER_MAX_SHARE}) or more than {@code max-rows-per-run} ({@link RailReason#OVER_MAX_ROWS}), or the first
 * run of a new or changed policy ({@link RailReason#FIRST_RUN_OF_POLICY}), is held until confirmed.</li>
 * <li>Nothing silent: a run that finds nothing says so with the table's oldest date next to the cutoff
 * ({@link RailReason#NOTHING_ELIGIBLE}); a dry run says what a real run would be held for.</li>
 * </ol>
 */
public final class RunSafety {

    /** What planning found: {@code eligibleRows} in {@code batches} ranges, out of the table's {@code tableRows}. */
    public record PlannedRun(long eligibleRows, long batches, long tableRows, Optional<Instant> oldestRow, Optional<Instant> newestEligible) {

        public double share() {
            return tableRows == 0 ? 0 : (double) eligibleRows / tableRows;
        }
    }

    /** After planning: the run goes on (with a note to say, or none), or is held for confirmation. */
    public sealed interface Verdict permits Go, Hold {
    }

    /** Publish the batches; {@code note} goes into the run's completion. */
    public record Go(Optional<Refusal> note) implements Verdict {
    }

    /** Publish nothing: wait for a confirmation. */
    public record Hold(Refusal why) implements Verdict {
    }

    private RunSafety() {
    }

    /** The rail that refuses the run before planning, if any. */
    public static Optional<Refusal> beforePlanning(String policyName, ArchivePolicies.Policy policy, TableFacts facts, Instant now) {
        return PolicyTableCheck.check(policyName, policy, facts, now);
    }

    /**
     * Whether the planned run may publish its batches.
     *
     * @param policySeenBefore a run of the policy with its current settings has been let through before
     */
    public static Verdict afterPlanning(String policyName, ArchivePolicies.Policy policy, PlannedRun plan, long cutoffEpochMs, boolean dryRun,
            boolean policySeenBefore) {
        if (plan.eligibleRows() == 0) {
            return new Go(Optional.of(new Refusal(RailReason.NOTHING_ELIGIBLE, nothingEligible(policy, plan, cutoffEpochMs))));
        }
        List<Refusal> holds = new ArrayList<>();
        String table = policy.table();
        if (plan.eligibleRows() >= plan.tableRows() && !policy.allowWholeTable()) {
            holds.add(new Refusal(RailReason.WHOLE_TABLE, "the run would archive every row of " + table + ": " + count(plan.eligibleRows())
                    + " of " + count(plan.tableRows()) + " (allow-whole-table is false)"));
        }
        if (plan.share() > policy.maxSharePerRun()) {
            holds.add(new Refusal(RailReason.OVER_MAX_SHARE, "the run would archive " + percent(plan.share()) + " of " + table + " ("
                    + count(plan.eligibleRows()) + " of " + count(plan.tableRows()) + " rows), more than max-share-per-run "
                    + percent(policy.maxSharePerRun())));
        }
        if (policy.maxRowsPerRun().isPresent() && plan.eligibleRows() > policy.maxRowsPerRun().getAsLong()) {
            holds.add(new Refusal(RailReason.OVER_MAX_ROWS, "the run would archive " + count(plan.eligibleRows())
                    + " rows, more than max-rows-per-run " + count(policy.maxRowsPerRun().getAsLong())));
        }
        if (policy.confirmFirstRun() && !policySeenBefore) {
            holds.add(new Refusal(RailReason.FIRST_RUN_OF_POLICY, "this is the first run of policy '" + policyName
                    + "' with its current settings: its plan is shown before anything is exported (confirm-first-run)"));
        }
        if (holds.isEmpty()) {
            return new Go(Optional.empty());
        }
        String why = String.join("; ", holds.stream().map(Refusal::detail).toList()) + ". Plan: " + summary(plan) + ".";
        if (dryRun) {
            return new Go(Optional.of(new Refusal(holds.get(0).reason(), "dry run; a real run would await confirmation: " + why)));
        }
        return new Hold(new Refusal(holds.get(0).reason(), why));
    }

    private static String nothingEligible(ArchivePolicies.Policy policy, PlannedRun plan, long cutoffEpochMs) {
        Instant cutoff = Instant.ofEpochMilli(cutoffEpochMs);
        if (plan.tableRows() == 0) {
            return "table " + policy.table() + " is empty: nothing to archive before the cutoff " + cutoff;
        }
        String found = "0 of " + count(plan.tableRows()) + " rows of " + policy.table() + " are older than the cutoff " + cutoff;
        return plan.oldestRow().map(oldest -> found + "; the oldest row is from " + oldest + ", " + apart(oldest, cutoff))
                .orElse(found + "; no row has a value in " + policy.table() + "." + policy.dateColumn());
    }

    /** "30 days after the cutoff", "1 hour after the cutoff". */
    private static String apart(Instant oldest, Instant cutoff) {
        Duration gap = Duration.between(cutoff, oldest);
        if (gap.isNegative()) {
            return "before the cutoff";
        }
        String span = gap.toDays() >= 1 ? plural(gap.toDays(), "day") : gap.toHours() >= 1 ? plural(gap.toHours(), "hour")
                : plural(gap.toMinutes(), "minute");
        return span + " after the cutoff";
    }

    private static String plural(long n, String unit) {
        return n + " " + unit + (n == 1 ? "" : "s");
    }

    /** "20,000 rows in 2 batches, 100.0% of the table's 20,000 rows, dated 2025-10-01T00:00:00Z .. 2025-11-30T23:59:59Z". */
    static String summary(PlannedRun plan) {
        return count(plan.eligibleRows()) + " rows in " + count(plan.batches()) + (plan.batches() == 1 ? " batch, " : " batches, ")
                + percent(plan.share()) + " of the table's " + count(plan.tableRows()) + " rows, dated "
                + plan.oldestRow().map(Instant::toString).orElse("?") + " .. " + plan.newestEligible().map(Instant::toString).orElse("?");
    }

    private static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    private static String percent(double share) {
        return String.format(Locale.ROOT, "%.1f%%", share * 100);
    }
}
