package io.archiver.scanner.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.archiver.scanner.schedule.ScheduleClock.Firing;
import io.archiver.support.policy.ArchivePolicies.Schedule;

/** Which policy schedules are due at a tick: each slot once, none before the scanner started or the schedule was applied. */
class ScheduleClockTest {

    private static final Instant STARTED = Instant.parse("2026-12-06T01:00:00.400Z");
    private static final long APPLIED_LONG_AGO = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();

    @Test
    void aSlotIsDueOnceFromItsFireTimeAndTheNextSlotAfterIt() {
        ScheduleClock clock = new ScheduleClock(STARTED);
        Map<String, Schedule> schedules = Map.of("orders", new Schedule("0 0 2 * * ?", APPLIED_LONG_AGO));
        assertThat(clock.due(Instant.parse("2026-12-06T01:59:59Z"), schedules)).as("the slot before the start is not fired").isEmpty();
        Firing slot = new Firing("orders", Instant.parse("2026-12-06T02:00:00Z"));
        assertThat(clock.due(Instant.parse("2026-12-06T02:00:00.300Z"), schedules)).containsExactly(slot);
        assertThat(clock.due(Instant.parse("2026-12-06T02:00:01Z"), schedules)).as("due until it was sent").containsExactly(slot);
        clock.fired(slot);
        assertThat(clock.due(Instant.parse("2026-12-06T02:00:02Z"), schedules)).as("once per slot").isEmpty();
        assertThat(clock.due(Instant.parse("2026-12-06T23:00:00Z"), schedules)).isEmpty();
        assertThat(clock.due(Instant.parse("2026-12-07T02:00:00Z"), schedules)).containsExactly(new Firing("orders", Instant.parse("2026-12-07T02:00:00Z")));
    }

    @Test
    void aScheduleAppliedWhileRunningFiresFromItsNextSlotAndALateReadStillFiresIt() {
        ScheduleClock clock = new ScheduleClock(STARTED);
        long applied = Instant.parse("2026-12-06T10:00:03.500Z").toEpochMilli();
        Map<String, Schedule> schedules = Map.of("orders", new Schedule("0/5 * * * * ?", applied));
        assertThat(clock.due(Instant.parse("2026-12-06T10:00:04Z"), schedules)).as("10:00:00 is before it was applied").isEmpty();
        // the policies are read every few seconds: a slot seen late fires late, once
        assertThat(clock.due(Instant.parse("2026-12-06T10:00:07Z"), schedules)).containsExactly(new Firing("orders", Instant.parse("2026-12-06T10:00:05Z")));
    }

    @Test
    void eachPolicyHasItsOwnSlotsAndABadExpressionFiresNothing() {
        ScheduleClock clock = new ScheduleClock(STARTED);
        Map<String, Schedule> schedules = Map.of("a", new Schedule("0 0 * * * ?", APPLIED_LONG_AGO), "b", new Schedule("0 30 * * * ?", APPLIED_LONG_AGO),
                "bad", new Schedule("0 2 * * *", APPLIED_LONG_AGO));
        assertThat(clock.due(Instant.parse("2026-12-06T03:10:00Z"), schedules)).containsExactlyInAnyOrder(
                new Firing("a", Instant.parse("2026-12-06T03:00:00Z")), new Firing("b", Instant.parse("2026-12-06T02:30:00Z")));
        clock.fired(new Firing("a", Instant.parse("2026-12-06T03:00:00Z")));
        assertThat(clock.due(Instant.parse("2026-12-06T03:10:00Z"), schedules)).containsExactly(new Firing("b", Instant.parse("2026-12-06T02:30:00Z")));
    }
}
