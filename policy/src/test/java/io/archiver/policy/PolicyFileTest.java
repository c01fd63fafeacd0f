package io.archiver.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.archiver.events.ArchiveMode;
import io.archiver.support.policy.DateKind;

/** The policy file: every setting read, defaults for the rest, and each mistake named with its fix. */
class PolicyFileTest {

    @Test
    void readsEverySettingAndDefaultsTheRest() {
        List<PolicySpec> specs = PolicyFile.parse("policies.yaml", """
                policies:
                  run:
                    table: run
                  events:
                    table: events
                    key: [event_id]
                    date-column: created_at
                    date-kind: datetime
                    date-zone: Europe/Berlin
                    min-age: P90D
                    batch-size: 500
                    mode: move
                    archive-table: events_old
                    prefix: archive/events
                    max-share-per-run: 0.5
                    max-rows-per-run: 100000
                    allow-whole-table: true
                    confirm-first-run: false
                    enabled: false
                """);
        assertThat(specs).containsExactly(PolicySpec.defaults("run", "run"), new PolicySpec("events", "events", List.of("event_id"),
                "created_at", DateKind.DATETIME, java.time.ZoneId.of("Europe/Berlin"), Duration.ofDays(90), 500, ArchiveMode.MOVE, "events_old", "archive/events", 0.5,
                100_000L, true, false, false));
    }

    @Test
    void namesEveryMistakeWithItsSettingAndFix() {
        assertThatThrownBy(() -> PolicyFile.parse("p.yaml", """
                policies:
                  events:
                    table: events
                    min-age: 60 days
                    mode: ARCHIVE
                    batchsize: 10
                    batch-size: 2.5
                    date-zone: Mars/Olympus
                  nameless:
                    date-column: d
                """)).isInstanceOfSatisfying(PolicyFileException.class, e -> assertThat(e.problems()).containsExactlyInAnyOrder(
                "policies.events.batchsize: unknown setting; the settings are " + String.join(", ", PolicySpec.SETTINGS),
                "policies.events.min-age: '60 days' is not an ISO-8601 duration; write e.g. P60D (60 days) or PT36H",
                "policies.events.mode: 'ARCHIVE' is not one of DELETE, MOVE",
                "policies.events.batch-size: expected a whole number, not 2.5",
                "policies.events.date-zone: 'Mars/Olympus' is not a time zone; write a region such as Europe/Berlin, or UTC, or an offset"
                        + " such as +02:00",
                "policies.nameless.table: missing; every policy names its table (table: nameless)"));
    }

    @Test
    void refusesABadPrefixAndReadsACompositeKey() {
        assertThatThrownBy(() -> PolicyFile.parse("p.yaml", """
                policies:
                  events:
                    table: events
                    key: [tenant, id]
                    prefix: /archive/
                """)).hasMessageContaining("policies.events.prefix:").hasMessageNotContaining("policies.events.key");
    }

    @Test
    void refusesAPolicyNameThatNoEventCouldCarry() {
        // events name their policy as an SQL identifier: a name with '-' could be applied but never triggered
        assertThatThrownBy(() -> PolicyFile.parse("p.yaml", """
                policies:
                  nightly-orders:
                    table: orders
                """)).hasMessageContaining("policies.nightly-orders: a policy name is 1 to 64 of a-z, 0-9 and '_'")
                .hasMessageContaining("write e.g. nightly_orders");
        assertThat(PolicyFile.parse("p.yaml", "policies:\n  nightly_orders:\n    table: orders\n"))
                .extracting(PolicySpec::name).containsExactly("nightly_orders");
    }

    @Test
    void refusesAFileWithoutPolicies() {
        assertThatThrownBy(() -> PolicyFile.parse("p.yaml", "run:\n  table: run\n")).hasMessageContaining("'policies'");
        assertThatThrownBy(() -> PolicyFile.parse("p.yaml", "policies: [\n")).hasMessageContaining("not valid YAML");
    }
}
