package io.archiver.support.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Optional;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

/**
 * Plausible dates: a policy whose date column does not hold what its date kind says is refused before a run reads
 * anything, with a message that names the column, the values seen (as numbers and as the dates they would be) and the
 * unit they look like. The facts are given as the database would report them; no database is needed.
 */
class PolicyTableCheckTest {

    /** 2026-12-06T12:00:00Z: "tomorrow" ends at 2026-12-08T00:00:00Z. */
    private static final Instant NOW = Instant.parse("2026-12-06T12:00:00Z");
    private static final PolicySettings EVENTS = PolicySettings.defaults("events").withDateColumn("sent_at", DateKind.EPOCH_MILLIS);

    private static TableFacts facts(String type, String min, String max) {
        return new TableFacts("events", true, "sent_at", type, type.equals("bigint") ? "bigint(20)" : type, "idx_events_sent_at", "id", true,
                min, max);
    }

    private static Optional<Refusal> check(TableFacts facts) {
        return PolicyTableCheck.check("events", EVENTS, facts, NOW);
    }

    @Test
    void epochMillisecondValuesWithinTheWindowAreAccepted() {
        assertThat(check(facts("bigint", "1764547200000", "1765022400000"))).isEmpty();
    }

    @Test
    void epochSecondsDeclaredAsMillisecondsAreRefusedNamingTheUnitTheyLookLike() {
        Refusal refusal = check(facts("bigint", "1764547200", "1767139200")).orElseThrow();
        assertThat(refusal.reason()).isEqualTo(RailReason.DATE_VALUES_IMPLAUSIBLE);
        assertThat(refusal.detail()).contains("policy 'events'").contains("events.sent_at").contains("1,764,547,200 .. 1,767,139,200")
                .contains("as epoch milliseconds that is 1970-01-21T10:09:07.200Z .. 1970-01-21T10:52:19.200Z")
                .contains("outside the plausible 1990-01-01 .. 2026-12-07 (tomorrow, UTC)")
                .contains("as epoch seconds it is 2025-12-01T00:00:00Z .. 2025-12-31T00:00:00Z")
                .contains("values look like epoch seconds, policy says milliseconds");
    }

    @Test
    void epochMicrosecondsDeclaredAsMillisecondsAreRefusedNamingTheUnit() {
        Refusal refusal = check(facts("bigint", "1764547200000000", "1765022400000000")).orElseThrow();
        assertThat(refusal.reason()).isEqualTo(RailReason.DATE_VALUES_IMPLAUSIBLE);
        assertThat(refusal.detail()).contains("1,764,547,200,000,000").contains("values look like epoch microseconds, policy says milliseconds")
                .contains("as epoch microseconds it is 2025-12-01T00:00:00Z");
    }

    @Test
    void epochNanosecondsAreNamedToo() {
        assertThat(check(facts("bigint", "1764547200000000000", "1765022400000000000")).orElseThrow().detail())
                .contains("values look like epoch nanoseconds, policy says milliseconds");
    }

    @Test
    void aPlaceholderBesidePlausibleValuesIsRefusedSayingWhichEndLooksLikeNothing() {
        Refusal refusal = check(facts("bigint", "0", "1765022400000")).orElseThrow();
        assertThat(refusal.reason()).isEqualTo(RailReason.DATE_VALUES_IMPLAUSIBLE);
        assertThat(refusal.detail()).contains("holds 0 .. 1,765,022,400,000").contains("1970-01-01T00:00:00Z")
                .contains("the smallest value looks like no plausible date, the largest like epoch milliseconds; policy says milliseconds");
    }

    @Test
    void theWindowRunsFrom1990ToTheEndOfTomorrow() {
        long earliest = Instant.parse("1990-01-01T00:00:00Z").toEpochMilli();
        long endOfTomorrow = Instant.parse("2026-12-08T00:00:00Z").toEpochMilli();
        assertThat(check(facts("bigint", String.valueOf(earliest), String.valueOf(endOfTomorrow - 1)))).isEmpty();
        assertThat(check(facts("bigint", String.valueOf(earliest - 1), String.valueOf(endOfTomorrow - 1)))).isPresent();
        Refusal future = check(facts("bigint", String.valueOf(earliest), String.valueOf(endOfTomorrow))).orElseThrow();
        assertThat(future.detail()).contains("2026-12-08T00:00:00Z").contains("the largest like no plausible date");
    }

    @Test
    void aNumberBeyondAnyLongIsNoDate() {
        Refusal refusal = check(facts("bigint", "1764547200000", "18446744073709551615")).orElseThrow();
        assertThat(refusal.detail()).contains("18446744073709551615").contains("no date").contains("the largest like no plausible date");
    }

    @Test
    void aTableWithoutDatedRowsIsAccepted() {
        assertThat(check(facts("bigint", null, null))).isEmpty();
    }

    @Test
    void aDateColumnDeclaredAsEpochMillisecondsIsRefusedAsATypeMismatch() {
        Refusal refusal = check(facts("date", "2020-01-03", "2026-11-30")).orElseThrow();
        assertThat(refusal.reason()).isEqualTo(RailReason.DATE_TYPE_MISMATCH);
        assertThat(refusal.detail()).contains("column events.sent_at is DATE (values 2020-01-03 .. 2026-11-30)")
                .contains("values look like dates, policy says milliseconds").contains("Point date-column at a BIGINT column of epoch milliseconds");
    }

    @Test
    void aDatetimeColumnDeclaredAsEpochMillisecondsIsRefusedAsATypeMismatch() {
        Refusal refusal = check(facts("datetime", "2020-01-03T10:00", "2026-11-30T23:59:59")).orElseThrow();
        assertThat(refusal.reason()).isEqualTo(RailReason.DATE_TYPE_MISMATCH);
        assertThat(refusal.detail()).contains("is DATETIME (values 2020-01-03T10:00 .. 2026-11-30T23:59:59)")
                .contains("values look like date-times, policy says milliseconds");
    }

    @Test
    void aTimestampOrTextColumnIsATypeMismatchToo() {
        assertThat(check(facts("timestamp", "2020-01-03T10:00", "2026-11-30T10:00")).orElseThrow().detail())
                .contains("values look like timestamps, policy says milliseconds");
        Refusal text = check(new TableFacts("events", true, "sent_at", "varchar", "varchar(20)", "idx", "id", true, null, null)).orElseThrow();
        assertThat(text.reason()).isEqualTo(RailReason.DATE_TYPE_MISMATCH);
        assertThat(text.detail()).contains("is VARCHAR(20),").contains("values look like VARCHAR values, policy says milliseconds");
    }

    @Test
    void anyIntegerColumnIsJudgedByItsValues() {
        // an INT holds epoch seconds at most: its values, not its type, say what is wrong
        assertThat(check(facts("int", "1764547200", "1767139200")).orElseThrow().detail()).contains("look like epoch seconds");
    }

    @Test
    void aDateColumnWithoutAnIndexIsRefusedBeforeItsValuesAreRead() {
        Refusal refusal = check(new TableFacts("events", true, "sent_at", "bigint", "bigint(20)", null, "id", true, null, null)).orElseThrow();
        assertThat(refusal.reason()).isEqualTo(RailReason.DATE_COLUMN_NOT_INDEXED);
        assertThat(refusal.detail()).contains("column events.sent_at is not the first column of any index")
                .contains("would scan the whole table").contains("CREATE INDEX idx_events_sent_at ON events (sent_at)");
    }

    @Test
    void anIdColumnThatDoesNotLeadThePrimaryKeyIsRefusedAsPlanningWouldScan() {
        Refusal refusal = check(new TableFacts("events", true, "sent_at", "bigint", "bigint(20)", "idx", "id", false, null, null)).orElseThrow();
        assertThat(refusal.reason()).isEqualTo(RailReason.PLANNING_WOULD_SCAN);
        assertThat(refusal.detail()).contains("id-column id is not the first column of events's primary key").contains("scan the whole table");
    }

    @Test
    void aMissingTableOrColumnIsRefused() {
        Refusal table = check(new TableFacts("events", false, "sent_at", null, null, null, "id", false, null, null)).orElseThrow();
        assertThat(table.reason()).isEqualTo(RailReason.TABLE_OR_COLUMN_MISSING);
        assertThat(table.detail()).contains("table events does not exist");
        Refusal column = check(new TableFacts("events", true, "sent_at", null, null, null, "id", true, null, null)).orElseThrow();
        assertThat(column.reason()).isEqualTo(RailReason.TABLE_OR_COLUMN_MISSING);
        assertThat(column.detail()).contains("table events has no column sent_at (date-column)");
    }

    @Test
    void everyDateKindRunsOnAColumnOfItsType() {
        assertThat(PolicyTableCheck.check("events", EVENTS.withDateColumn("sent_at", DateKind.EPOCH_SECONDS),
                facts("int", "1764547200", "1764547300"), NOW)).isEmpty();
        assertThat(PolicyTableCheck.check("events", EVENTS.withDateColumn("sent_at", DateKind.DATE), facts("date", "2025-12-01",
                "2025-12-02"), NOW)).isEmpty();
        assertThat(PolicyTableCheck.check("events", EVENTS.withDateColumn("sent_at", DateKind.DATETIME), facts("datetime",
                "2025-12-01 00:00:00", "2025-12-02 10:00:00.5"), NOW)).isEmpty();
        assertThat(PolicyTableCheck.check("events", EVENTS.withDateColumn("sent_at", DateKind.TIMESTAMP), facts("timestamp",
                "2025-12-01 00:00:00", "2025-12-02 10:00:00"), NOW)).isEmpty();
    }

    @Test
    void valuesOfEveryKindReadAsTheInstantTheyMean() {
        assertThat(PolicyTableCheck.instant(DateKind.EPOCH_MILLIS, "1764547200123")).contains(Instant.parse("2025-12-01T00:00:00.123Z"));
        assertThat(PolicyTableCheck.instant(DateKind.EPOCH_SECONDS, "1764547200")).contains(Instant.parse("2025-12-01T00:00:00Z"));
        assertThat(PolicyTableCheck.instant(DateKind.DATE, "2025-12-01")).contains(Instant.parse("2025-12-01T00:00:00Z"));
        assertThat(PolicyTableCheck.instant(DateKind.DATETIME, "2025-12-01 10:11:12")).contains(Instant.parse("2025-12-01T10:11:12Z"));
        assertThat(PolicyTableCheck.instant(DateKind.TIMESTAMP, "2025-12-01T10:11")).contains(Instant.parse("2025-12-01T10:11:00Z"));
        assertThat(PolicyTableCheck.instant(DateKind.DATE, "yesterday")).isEmpty();
        assertThat(PolicyTableCheck.instant(DateKind.EPOCH_MILLIS, null)).isEmpty();
    }
}
