package io.archiver.support.policy;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * A run's cutoff (an instant, computed once when the run is triggered and carried in every event as epoch milliseconds) as a
 * value of the date column's own type, bound in {@code date < ?} so that the server compares like with like and range-scans
 * the column's index. A row is eligible when its date is before the cutoff; a row at the cutoff, to the column's unit, stays:
 * <ul>
 * <li>EPOCH_MILLIS: the milliseconds themselves;</li>
 * <li>EPOCH_SECONDS: the cutoff rounded up to a whole second ({@code s < ceil(cutoff)} is {@code s * 1000 < cutoff} for whole
 * seconds);</li>
 * <li>DATE: the cutoff's day in the policy's zone, rounded down: a day goes only when all of it is before the cutoff;</li>
 * <li>DATETIME: the cutoff's wall-clock time in the policy's zone ({@code date-zone}, default UTC), to the millisecond;</li>
 * <li>TIMESTAMP: the cutoff's UTC time, to the millisecond, compared in a session whose {@code time_zone} is {@code +00:00}
 * ({@link #needsUtcSession}): a TIMESTAMP compared in a zone with daylight saving could fall into a fold.</li>
 * </ul>
 * MariaDB and MySQL compare a DATETIME or TIMESTAMP of any precision with a millisecond literal exactly (a DATETIME(0) row at
 * 00:00:00 is before 00:00:00.500, one at 00:00:01 is not).
 */
public final class DateCutoff {

    private static final DateTimeFormatter DATE_TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss.SSS");

    private DateCutoff() {
    }

    /** The value bound for {@code date < ?}: a Long for the epoch kinds, the server's text of a DATE or DATETIME for the others. */
    public static Object bound(DateKind kind, ZoneId zone, long cutoffEpochMs) {
        Instant cutoff = Instant.ofEpochMilli(cutoffEpochMs);
        return switch (kind) {
            case EPOCH_MILLIS -> cutoffEpochMs;
            case EPOCH_SECONDS -> Math.floorDiv(cutoffEpochMs + 999, 1000);
            case DATE -> LocalDate.ofInstant(cutoff, zone).toString();
            case DATETIME -> DATE_TIME.format(LocalDateTime.ofInstant(cutoff, zone));
            case TIMESTAMP -> DATE_TIME.format(LocalDateTime.ofInstant(cutoff, ZoneOffset.UTC));
        };
    }

    /** Whether statements comparing the column with the cutoff must run with the session's {@code time_zone} at {@code +00:00}. */
    public static boolean needsUtcSession(DateKind kind) {
        return kind == DateKind.TIMESTAMP;
    }
}
