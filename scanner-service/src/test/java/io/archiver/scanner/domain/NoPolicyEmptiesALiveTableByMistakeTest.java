package io.archiver.scanner.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;

import org.junit.jupiter.api.Test;

import io.archiver.scanner.domain.RunSafety.Go;
import io.archiver.scanner.domain.RunSafety.Hold;
import io.archiver.scanner.domain.RunSafety.PlannedRun;
import io.archiver.scanner.domain.RunSafety.Verdict;
import io.archiver.support.policy.DateKind;
import io.archiver.support.policy.PolicySettings;
import io.archiver.support.policy.RailReason;
import io.archiver.support.policy.Refusal;
import io.archiver.support.policy.TableFacts;

/**
 * The safety rails' promise: a policy never empties a live table by mistake. A run on dates that are not what the policy
 * says is refused before planning; a run that would take the whole table, more than its share or rows, or that is the
 * first of a new or changed policy, is held with its plan until confirmed; a run that finds nothing says why.
 */
class NoPolicyEmptiesALiveTableByMistakeTest {

    private static final Instant CUTOFF = Instant.parse("2026-10-07T12:00:00Z");
    private static final PolicySettings EVENTS = PolicySettings.defaults("events").withDateColumn("sent_at", DateKind.EPOCH_MILLIS);
    private static final Optional<Instant> OLDEST = Optional.of(Instant.parse("2025-10-01T00:00:00Z"));
    private static final Optional<Instant> NEWEST = Optional.of(Instant.parse("2026-10-07T11:59:59Z"));

    private static PlannedRun plan(long eligible, long table) {
        return new PlannedRun(eligible, (eligible + 9_999) / 10_000, table, OLDEST, NEWEST);
    }

    private static Verdict after(PolicySettings policy, PlannedRun plan, boolean seenBefore) {
        return RunSafety.afterPlanning("events", policy, plan, CUTOFF.toEpochMilli(), false, seenBefore);
    }

    private static Refusal held(Verdict verdict) {
        assertThat(verdict).isInstanceOf(Hold.class);
        return ((Hold) verdict).why();
    }

    @Test
    void aRunOnEpochSecondsDeclaredAsMillisecondsIsRefusedBeforePlanning() {
        TableFacts seconds = new TableFacts("events", true, "sent_at", "bigint", "bigint(20)", "idx_sent_at", "id", true, "1788000000",
                "1790600000");
        Refusal refusal = RunSafety.beforePlanning("events", EVENTS, seconds, Instant.parse("2026-09-30T00:00:00Z")).orElseThrow();
        assertThat(refusal.reason()).isEqualTo(RailReason.DATE_VALUES_IMPLAUSIBLE);
        assertThat(refusal.detail()).contains("values look like epoch seconds, policy says milliseconds");
    }

    @Test
    void aRunThatWouldTakeEveryRowWaitsForConfirmationWithItsPlan() {
        Refusal why = held(after(EVENTS, plan(20_000, 20_000), true));
        assertThat(why.reason()).isEqualTo(RailReason.WHOLE_TABLE);
        assertThat(why.detail()).contains("the run would archive every row of events: 20,000 of 20,000 (allow-whole-table is false)")
                .contains("100.0% of events (20,000 of 20,000 rows), more than max-share-per-run 90.0%")
                .contains("Plan: 20,000 rows in 2 batches, 100.0% of the table's 20,000 rows, dated 2025-10-01T00:00:00Z .. 2026-10-07T11:59:59Z.");
    }

    @Test
    void theWholeTableGoesWithoutConfirmationOnlyWhenThePolicyAllowsItAndItsShare() {
        assertThat(after(EVENTS.withLimits(1, OptionalLong.empty(), true), plan(20_000, 20_000), true)).isEqualTo(new Go(Optional.empty()));
        Refusal share = held(after(EVENTS.withLimits(0.9, OptionalLong.empty(), true), plan(20_000, 20_000), true));
        assertThat(share.reason()).isEqualTo(RailReason.OVER_MAX_SHARE);
        Refusal whole = held(after(EVENTS.withLimits(1, OptionalLong.empty(), false), plan(20_000, 20_000), true));
        assertThat(whole.reason()).isEqualTo(RailReason.WHOLE_TABLE);
        assertThat(whole.detail()).doesNotContain("max-share-per-run");
    }

    @Test
    void aRunOverItsShareWaitsAndOneAtItsShareGoes() {
        Refusal why = held(after(EVENTS, plan(19_000, 20_000), true));
        assertThat(why.reason()).isEqualTo(RailReason.OVER_MAX_SHARE);
        assertThat(why.detail()).contains("the run would archive 95.0% of events (19,000 of 20,000 rows), more than max-share-per-run 90.0%");
        assertThat(after(EVENTS, plan(18_000, 20_000), true)).isEqualTo(new Go(Optional.empty()));
    }

    @Test
    void aRunOverItsMaximumRowsWaitsAndOneAtItGoes() {
        PolicySettings capped = EVENTS.withLimits(0.9, OptionalLong.of(1_000), false);
        Refusal why = held(after(capped, plan(1_001, 100_000), true));
        assertThat(why.reason()).isEqualTo(RailReason.OVER_MAX_ROWS);
        assertThat(why.detail()).contains("the run would archive 1,001 rows, more than max-rows-per-run 1,000");
        assertThat(after(capped, plan(1_000, 100_000), true)).isEqualTo(new Go(Optional.empty()));
    }

    @Test
    void theFirstRunOfANewOrChangedPolicyShowsItsPlanFirstUnlessThePolicySaysOtherwise() {
        Refusal why = held(after(EVENTS, plan(6_000, 20_000), false));
        assertThat(why.reason()).isEqualTo(RailReason.FIRST_RUN_OF_POLICY);
        assertThat(why.detail()).contains("this is the first run of policy 'events' with its current settings").contains("confirm-first-run")
                .contains("Plan: 6,000 rows in 1 batch, 30.0% of the table's 20,000 rows");
        assertThat(after(EVENTS, plan(6_000, 20_000), true)).isEqualTo(new Go(Optional.empty()));
        assertThat(after(EVENTS.withConfirmFirstRun(false), plan(6_000, 20_000), false)).isEqualTo(new Go(Optional.empty()));
    }

    @Test
    void everyRailThatTripsIsNamedTheFirstGivesTheReason() {
        Refusal why = held(after(EVENTS.withLimits(0.5, OptionalLong.of(10), false), plan(20_000, 20_000), false));
        assertThat(why.reason()).isEqualTo(RailReason.WHOLE_TABLE);
        assertThat(why.detail()).contains("every row").contains("max-share-per-run 50.0%").contains("max-rows-per-run 10")
                .contains("first run of policy 'events'");
    }

    @Test
    void aRunThatFindsNothingSaysSoWithTheOldestDateNextToTheCutoff() {
        PlannedRun none = new PlannedRun(0, 0, 20_000, Optional.of(Instant.parse("2026-11-06T12:00:00Z")), Optional.empty());
        Verdict verdict = after(EVENTS, none, false);
        assertThat(verdict).isInstanceOf(Go.class);
        Refusal note = ((Go) verdict).note().orElseThrow();
        assertThat(note.reason()).isEqualTo(RailReason.NOTHING_ELIGIBLE);
        assertThat(note.detail()).isEqualTo("0 of 20,000 rows of events are older than the cutoff 2026-10-07T12:00:00Z;"
                + " the oldest row is from 2026-11-06T12:00:00Z, 30 days after the cutoff");
    }

    @Test
    void theGapToTheOldestRowIsSaidInDaysHoursOrMinutes() {
        for (var gap : java.util.Map.of(Duration.ofDays(1), "1 day", Duration.ofHours(1), "1 hour", Duration.ofHours(5), "5 hours",
                Duration.ofMinutes(1), "1 minute", Duration.ofSeconds(30), "0 minutes").entrySet()) {
            PlannedRun none = new PlannedRun(0, 0, 3, Optional.of(CUTOFF.plus(gap.getKey())), Optional.empty());
            assertThat(((Go) after(EVENTS, none, true)).note().orElseThrow().detail()).endsWith(", " + gap.getValue() + " after the cutoff");
        }
    }

    @Test
    void anEmptyTableOrOneWithoutDatesSaysSoToo() {
        Refusal empty = ((Go) after(EVENTS, new PlannedRun(0, 0, 0, Optional.empty(), Optional.empty()), false)).note().orElseThrow();
        assertThat(empty.detail()).isEqualTo("table events is empty: nothing to archive before the cutoff 2026-10-07T12:00:00Z");
        Refusal undated = ((Go) after(EVENTS, new PlannedRun(0, 0, 7, Optional.empty(), Optional.empty()), false)).note().orElseThrow();
        assertThat(undated.detail()).contains("0 of 7 rows").contains("no row has a value in events.sent_at");
    }

    @Test
    void aDryRunIsNeverHeldButSaysWhatARealRunWouldWaitFor() {
        Verdict verdict = RunSafety.afterPlanning("events", EVENTS, plan(20_000, 20_000), CUTOFF.toEpochMilli(), true, false);
        assertThat(verdict).isInstanceOf(Go.class);
        Refusal note = ((Go) verdict).note().orElseThrow();
        assertThat(note.reason()).isEqualTo(RailReason.WHOLE_TABLE);
        assertThat(note.detail()).startsWith("dry run; a real run would await confirmation: the run would archive every row of events");
    }
}
