package io.archiver.operations;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Locale;

/** How counts, times and durations are written, the same for archivectl's output and the API's answers. */
public final class Texts {

    private Texts() {
    }

    /** {@code 120,045}. */
    public static String count(long value) {
        return String.format(Locale.US, "%,d", value);
    }

    /** {@code 2026-11-23T10:58:01.2Z}: ISO-8601 in UTC, milliseconds at most, no trailing zeros. */
    public static String time(Instant instant) {
        if (instant == null) {
            return "-";
        }
        String iso = instant.truncatedTo(ChronoUnit.MILLIS).toString();
        return iso.replaceAll("(\\.\\d*?)0+Z$", "$1Z").replace(".Z", "Z");
    }

    public static String time(Long epochMs) {
        return epochMs == null ? "-" : time(Instant.ofEpochMilli(epochMs));
    }

    /** {@code text} cut to {@code max} characters, on one line. */
    public static String oneLine(String text, int max) {
        if (text == null) {
            return "";
        }
        String line = text.replace("\r", "\\r").replace("\n", "\\n");
        return line.length() <= max ? line : line.substring(0, Math.max(0, max - 1)) + "…";
    }

    /** {@code 7s}, {@code 2m05s}, {@code 1h02m}: short, for an ETA. */
    public static String eta(Duration duration) {
        long s = Math.max(0, Math.round(duration.toMillis() / 1000.0));
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return String.format(Locale.US, "%dm%02ds", s / 60, s % 60);
        }
        return String.format(Locale.US, "%dh%02dm", s / 3600, (s % 3600) / 60);
    }
}
