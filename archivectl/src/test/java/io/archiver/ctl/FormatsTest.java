package io.archiver.ctl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import io.archiver.ctl.cli.DurationConverter;
import io.archiver.ctl.cli.InstantConverter;
import io.archiver.ctl.format.Formats;
import io.archiver.operations.requests.Slots;
import io.archiver.operations.runs.Progress;
import picocli.CommandLine.TypeConversionException;

/** Progress bar, schedule slots, durations and times. */
class FormatsTest {

    @Test
    void progressBarFromRowsRemovedOverTime() {
        // 62,300 rows removed in 7.4167 s: 8,400 rows/s; 57,745 left: 6.9 s
        Progress progress = new Progress(62_300, 120_045, Duration.ofMillis(7_417));
        assertThat(progress.render()).isEqualTo("[#####.....] 52% 62,300/120,045 rows  8,400 rows/s  ETA 7s");
        assertThat(new Progress(0, 120_045, Duration.ofSeconds(3)).render()).isEqualTo("[..........] 0% 0/120,045 rows  0 rows/s  ETA ?");
        assertThat(new Progress(119_990, 120_000, Duration.ofSeconds(100)).percent()).isEqualTo(99);
        assertThat(new Progress(120_000, 120_000, Duration.ofSeconds(100)).render()).startsWith("[##########] 100% 120,000/120,000 rows");
        assertThat(new Progress(10, 0, Duration.ZERO).bar()).isEqualTo("[..........]");
        assertThat(Formats.eta(Duration.ofSeconds(125))).isEqualTo("2m05s");
        assertThat(Formats.eta(Duration.ofMinutes(62))).isEqualTo("1h02m");
    }

    @Test
    void autoScheduleSlotsNameTheSameSlotWithinOneSlotLength() {
        Instant morning = Instant.parse("2026-11-23T00:00:00Z");
        Instant evening = Instant.parse("2026-11-23T23:59:59.999Z");
        assertThat(Slots.name(morning, Duration.ofHours(24))).isEqualTo("2026-11-23");
        assertThat(Slots.name(evening, Duration.ofHours(24))).isEqualTo("2026-11-23");
        assertThat(Slots.name(Instant.parse("2026-11-24T00:00:00Z"), Duration.ofHours(24))).isEqualTo("2026-11-24");
        assertThat(Slots.name(Instant.parse("2026-11-23T07:59:00Z"), Duration.ofHours(6))).isEqualTo("2026-11-23T06:00Z");
        assertThat(Slots.name(Instant.parse("2026-11-23T12:00:00Z"), Duration.ofHours(6))).isEqualTo("2026-11-23T12:00Z");
        assertThatThrownBy(() -> Slots.name(morning, Duration.ofSeconds(30))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void durationsAndTimes() {
        assertThat(DurationConverter.parse("P60D")).isEqualTo(Duration.ofDays(60));
        assertThat(DurationConverter.parse("pt1h")).isEqualTo(Duration.ofHours(1));
        assertThat(DurationConverter.parse("2s")).isEqualTo(Duration.ofSeconds(2));
        assertThat(DurationConverter.parse("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(DurationConverter.parse("60d")).isEqualTo(Duration.ofDays(60));
        assertThatThrownBy(() -> DurationConverter.parse("60")).isInstanceOf(TypeConversionException.class);
        assertThatThrownBy(() -> DurationConverter.parse("soon")).isInstanceOf(TypeConversionException.class);

        InstantConverter instants = new InstantConverter();
        assertThat(instants.convert("2026-11-23T10:58:01Z")).isEqualTo(Instant.parse("2026-11-23T10:58:01Z"));
        assertThat(instants.convert("2026-11-23T11:58:01+01:00")).isEqualTo(Instant.parse("2026-11-23T10:58:01Z"));
        assertThat(instants.convert("2026-11-23T10:58:01")).isEqualTo(Instant.parse("2026-11-23T10:58:01Z"));
        assertThat(instants.convert("2026-11-23")).isEqualTo(Instant.parse("2026-11-23T00:00:00Z"));

        assertThat(Formats.time(Instant.parse("2026-11-23T10:58:01.200Z"))).isEqualTo("2026-11-23T10:58:01.2Z");
        assertThat(Formats.time(Instant.parse("2026-11-23T10:58:01.000Z"))).isEqualTo("2026-11-23T10:58:01Z");
        assertThat(Formats.time(Instant.parse("2026-11-23T10:58:01.123456Z"))).isEqualTo("2026-11-23T10:58:01.123Z");
        assertThat(Formats.count(120_045)).isEqualTo("120,045");
    }
}
