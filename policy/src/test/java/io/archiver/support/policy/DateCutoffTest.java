package io.archiver.support.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;

/** The cutoff as a value of each date column's own type: rows before it go, rows at it (to the column's unit) stay. */
class DateCutoffTest {

    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    private static final long WHOLE = Instant.parse("2025-06-15T10:20:30Z").toEpochMilli();
    private static final long FRACTION = WHOLE + 500;

    @Test
    void epochMillisAreTheCutoffItself() {
        assertThat(DateCutoff.bound(DateKind.EPOCH_MILLIS, ZoneOffset.UTC, FRACTION)).isEqualTo(FRACTION);
    }

    @Test
    void epochSecondsRoundUp_soThatASecondAtTheCutoffStays() {
        assertThat(DateCutoff.bound(DateKind.EPOCH_SECONDS, ZoneOffset.UTC, WHOLE)).isEqualTo(WHOLE / 1000);
        assertThat(DateCutoff.bound(DateKind.EPOCH_SECONDS, ZoneOffset.UTC, FRACTION)).isEqualTo(WHOLE / 1000 + 1);
        assertThat(DateCutoff.bound(DateKind.EPOCH_SECONDS, ZoneOffset.UTC, WHOLE + 1)).isEqualTo(WHOLE / 1000 + 1);
        assertThat(DateCutoff.bound(DateKind.EPOCH_SECONDS, ZoneOffset.UTC, -1500)).as("before 1970").isEqualTo(-1L);
    }

    @Test
    void aDateGoesOnlyWhenAllOfItsDayIsBeforeTheCutoff_inThePolicysZone() {
        assertThat(DateCutoff.bound(DateKind.DATE, ZoneOffset.UTC, FRACTION)).isEqualTo("2025-06-15");
        assertThat(DateCutoff.bound(DateKind.DATE, ZoneOffset.UTC, Instant.parse("2025-06-15T23:59:59.999Z").toEpochMilli()))
                .isEqualTo("2025-06-15");
        // 22:30 UTC is already the 16th in Berlin (UTC+2 in summer)
        assertThat(DateCutoff.bound(DateKind.DATE, BERLIN, Instant.parse("2025-06-15T22:30:00Z").toEpochMilli())).isEqualTo("2025-06-16");
    }

    @Test
    void aDatetimeIsTheWallClockOfThePolicysZone_toTheMillisecond() {
        assertThat(DateCutoff.bound(DateKind.DATETIME, ZoneOffset.UTC, FRACTION)).isEqualTo("2025-06-15 10:20:30.500");
        assertThat(DateCutoff.bound(DateKind.DATETIME, BERLIN, WHOLE)).isEqualTo("2025-06-15 12:20:30.000");
        assertThat(DateCutoff.bound(DateKind.DATETIME, BERLIN, Instant.parse("2025-01-15T10:20:30.007Z").toEpochMilli()))
                .as("winter time").isEqualTo("2025-01-15 11:20:30.007");
    }

    @Test
    void aTimestampIsUtcText_whateverThePolicysZone_andIsComparedInAUtcSession() {
        assertThat(DateCutoff.bound(DateKind.TIMESTAMP, BERLIN, FRACTION)).isEqualTo("2025-06-15 10:20:30.500");
        assertThat(DateCutoff.needsUtcSession(DateKind.TIMESTAMP)).isTrue();
        for (DateKind kind : new DateKind[] { DateKind.EPOCH_MILLIS, DateKind.EPOCH_SECONDS, DateKind.DATE, DateKind.DATETIME }) {
            assertThat(DateCutoff.needsUtcSession(kind)).as(kind.name()).isFalse();
        }
    }
}
