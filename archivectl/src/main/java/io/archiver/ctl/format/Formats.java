package io.archiver.ctl.format;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

import io.archiver.operations.Texts;

/** How numbers, times and durations are written for a person (counts, times and ETAs as {@link Texts} writes them for the API too). */
public final class Formats {

    private Formats() {
    }

    /** {@code 120,045}. */
    public static String count(long value) {
        return Texts.count(value);
    }

    /** {@code 2026-11-23T10:58:01.2Z}: ISO-8601 in UTC, milliseconds at most, no trailing zeros. */
    public static String time(Instant instant) {
        return Texts.time(instant);
    }

    public static String time(Long epochMs) {
        return Texts.time(epochMs);
    }

    /** {@code 9.1 s}, {@code 3 min 12 s}, {@code 1 h 02 min}. */
    public static String elapsed(Duration duration) {
        long ms = Math.max(0, duration.toMillis());
        if (ms < 60_000) {
            return String.format(Locale.US, "%.1f s", ms / 1000.0);
        }
        long s = ms / 1000;
        if (s < 3600) {
            return String.format(Locale.US, "%d min %02d s", s / 60, s % 60);
        }
        return String.format(Locale.US, "%d h %02d min", s / 3600, (s % 3600) / 60);
    }

    /** {@code 7s}, {@code 2m05s}, {@code 1h02m}: short, for an ETA. */
    public static String eta(Duration duration) {
        return Texts.eta(duration);
    }

    /** {@code 1.0 MiB (1,095,415 bytes)}. */
    public static String bytes(long bytes) {
        if (bytes < 1024) {
            return count(bytes) + " bytes";
        }
        String[] units = { "KiB", "MiB", "GiB", "TiB" };
        double value = bytes;
        int unit = -1;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.US, "%.1f %s (%s bytes)", value, units[unit], count(bytes));
    }

    /** {@code text} cut to {@code max} characters, on one line. */
    public static String oneLine(String text, int max) {
        return Texts.oneLine(text, max);
    }
}
