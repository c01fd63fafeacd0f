package io.archiver.operations.requests;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/**
 * Schedule slots: a trigger that fires twice within one slot names the same slot, so the scanner
 * opens one run for it. A slot starts at a multiple of its length since 1970-01-01T00:00Z (UTC)
 * and is named by its start: {@code 2026-11-23} when the length is whole days, else
 * {@code 2026-11-23T06:00Z}.
 */
public final class Slots {

    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("uuuu-MM-dd").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter MINUTE = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm'Z'").withZone(ZoneOffset.UTC);

    private Slots() {
    }

    public static Instant start(Instant now, Duration length) {
        long lengthMs = length.toMillis();
        long nowMs = now.toEpochMilli();
        return Instant.ofEpochMilli(Math.floorDiv(nowMs, lengthMs) * lengthMs);
    }

    public static String name(Instant now, Duration length) {
        if (length.compareTo(Duration.ofMinutes(1)) < 0 || length.toMillis() % 60_000 != 0) {
            throw new IllegalArgumentException("a slot length must be whole minutes, at least one");
        }
        Instant start = start(now, length);
        boolean days = length.toMillis() % ChronoUnit.DAYS.getDuration().toMillis() == 0;
        return days ? DAY.format(start) : MINUTE.format(start);
    }
}
