package io.archiver.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;

import org.junit.jupiter.api.Test;

/** A policy's schedule: Quartz cron in UTC, its fire times, and why a bad one is refused. */
class CronScheduleTest {

    @Test
    void firesAtItsSlotsInUtc() {
        CronSchedule daily = CronSchedule.parse("0 0 2 * * ?");
        assertThat(daily.lastFireAtOrBefore(Instant.parse("2026-12-06T01:59:59Z"))).contains(Instant.parse("2026-12-05T02:00:00Z"));
        assertThat(daily.lastFireAtOrBefore(Instant.parse("2026-12-06T02:00:00Z"))).as("a fire time is at or before itself")
                .contains(Instant.parse("2026-12-06T02:00:00Z"));
        assertThat(daily.lastFireAtOrBefore(Instant.parse("2026-12-06T02:00:00.750Z"))).contains(Instant.parse("2026-12-06T02:00:00Z"));
        assertThat(daily.nextFireAfter(Instant.parse("2026-12-06T02:00:00Z"))).contains(Instant.parse("2026-12-07T02:00:00Z"));
        assertThat(CronSchedule.parse("0/5 * * * * ?").lastFireAtOrBefore(Instant.parse("2026-12-06T10:00:07Z")))
                .contains(Instant.parse("2026-12-06T10:00:05Z"));
        assertThat(CronSchedule.parse("0 30 1 ? * SUN").lastFireAtOrBefore(Instant.parse("2026-12-06T12:00:00Z")))
                .as("2026-12-06 is a Sunday").contains(Instant.parse("2026-12-06T01:30:00Z"));
    }

    @Test
    void saysWhyAnExpressionIsNoSchedule() {
        assertThat(CronSchedule.problem("0 0 2 * *")).hasValueSatisfying(why -> assertThat(why).contains("5 parts"));
        assertThat(CronSchedule.problem("0 0 2 * * *")).hasValueSatisfying(why -> assertThat(why).contains("day-of-week AND a day-of-month"));
        assertThat(CronSchedule.problem("0 0 25 * * ?")).hasValueSatisfying(why -> assertThat(why).contains("25"));
        assertThat(CronSchedule.problem("0 0 2 * * ?")).isEmpty();
        assertThatThrownBy(() -> CronSchedule.parse(" ")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aPolicyFileReadsItsScheduleAndOffAndRefusesABadOneNamingTheFix() {
        var specs = PolicyFile.parse("p.yaml", """
                policies:
                  nightly:
                    table: orders
                    schedule: 0 0 2 * * ?
                  quoted:
                    table: orders
                    schedule: '*/30 * * * * ?'
                  bare_off:
                    table: orders
                    schedule: off
                  text_off:
                    table: orders
                    schedule: "off"
                  none:
                    table: orders
                """);
        assertThat(specs).extracting(PolicySpec::schedule).containsExactly("0 0 2 * * ?", "*/30 * * * * ?", null, null, null);
        assertThat(specs.get(0).settings()).containsEntry("schedule", "0 0 2 * * ?");
        assertThat(specs.get(4).settings()).as("no schedule: the settings (and history) read as before schedules")
                .doesNotContainKey("schedule").isEqualTo(PolicySpec.defaults("none", "orders").settings());
        assertThatThrownBy(() -> PolicyFile.parse("p.yaml", """
                policies:
                  crontab:
                    table: orders
                    schedule: 0 2 * * *
                """)).isInstanceOfSatisfying(PolicyFileException.class, e -> assertThat(e.problems()).singleElement().asString()
                .startsWith("policies.crontab.schedule: '0 2 * * *' is not a schedule (").contains("write a Quartz cron expression in UTC")
                .contains("'0 0 2 * * ?'"));
    }

    @Test
    void aChangedScheduleIsAnUpdateInTheDiff() {
        PolicySpec before = PolicySpec.defaults("orders", "orders");
        PolicySpec after = PolicyFile.withSettings(before, java.util.Map.of("schedule", "0 0 3 * * ?"));
        assertThat(after.schedule()).isEqualTo("0 0 3 * * ?");
        PolicyChange change = PolicyChange.between("policy", "orders", before.settings(), 1, after.settings()).orElseThrow();
        assertThat(change.kind()).isEqualTo(PolicyChange.Kind.UPDATE);
        assertThat(change.diff()).containsExactly("~ schedule: (default) -> 0 0 3 * * ?");
        assertThat(PolicyFile.withSettings(after, java.util.Map.of("schedule", "off")).settings()).isEqualTo(before.settings());
    }
}
