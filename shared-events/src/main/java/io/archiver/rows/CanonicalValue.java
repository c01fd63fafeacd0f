package io.archiver.rows;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.util.Base64;

import com.fasterxml.jackson.core.io.NumberOutput;

/**
 * The one text form of a column value, shared by the CSV shard and the rows digest, so that the
 * exporter and the deleter agree on what a row is. {@code null} stays {@code null} (it is written
 * as an unquoted empty field, apart from the quoted empty string); binary is standard Base64;
 * decimals keep their scale; doubles (and floats, widened to the double they exactly are) are the
 * shortest text that reads back as the same double; date-times are {@code yyyy-MM-dd HH:mm:ss[.fraction]}
 * and durations (a TIME column read natively) {@code [-]HH:MM:SS[.fraction]}, the fraction without
 * its trailing zeros. The form of every column type is in {@code docs/csv-format.md}; a value of a
 * type not listed there is refused rather than written in some other form.
 */
public final class CanonicalValue {

    /** {@code 2026-11-23 04:05:06.789}: seconds always, the fraction only as long as it needs to be. */
    public static final DateTimeFormatter DATE_TIME = new DateTimeFormatterBuilder()
            .append(DateTimeFormatter.ISO_LOCAL_DATE)
            .appendLiteral(' ')
            .append(DateTimeFormatter.ISO_LOCAL_TIME)
            .toFormatter();

    private CanonicalValue() {
    }

    /**
     * The canonical text of {@code value}, or {@code null} for SQL NULL. Accepts the Java types a
     * SQL client returns; callers convert driver-specific types (a Vert.x {@code Buffer}, a
     * {@code Numeric}) to {@code byte[]} and {@link BigDecimal} first.
     *
     * @throws IllegalArgumentException for a type with no exact canonical form (a decoded JSON tree, a geometry object, ...)
     */
    public static String of(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof String s) {
            return s;
        }
        if (value instanceof byte[] bytes) {
            return Base64.getEncoder().encodeToString(bytes);
        }
        if (value instanceof BigDecimal decimal) {
            return decimal.toPlainString();
        }
        if (value instanceof Double d) {
            return shortest(d);
        }
        if (value instanceof Float f) {
            return shortest(f.doubleValue());
        }
        if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte
                || value instanceof BigInteger) {
            return value.toString();
        }
        if (value instanceof Boolean b) {
            return b ? "1" : "0";
        }
        if (value instanceof LocalDateTime dateTime) {
            return DATE_TIME.format(dateTime);
        }
        if (value instanceof LocalDate date) {
            return date.toString();
        }
        if (value instanceof LocalTime time) {
            return DateTimeFormatter.ISO_LOCAL_TIME.format(time);
        }
        if (value instanceof Duration duration) {
            return time(duration);
        }
        if (value instanceof OffsetDateTime offsetDateTime) {
            return DATE_TIME.format(offsetDateTime.toLocalDateTime());
        }
        throw new IllegalArgumentException("no exact canonical form for a value of type " + value.getClass().getName()
                + " (see docs/csv-format.md for the types a row may hold)");
    }

    /**
     * The shortest decimal that reads back as exactly {@code d} (Java 19+'s {@code Double.toString}, by Jackson's
     * Schubfach port, so that the text does not depend on the JVM: Java 17's own writes a digit more for about 0.3% of doubles).
     */
    public static String shortest(double d) {
        return NumberOutput.toString(d, true);
    }

    /** A TIME's text as the server prints it, the fraction without trailing zeros: {@code -838:59:59}, {@code 00:00:03.5}. */
    public static String time(Duration duration) {
        Duration abs = duration.abs();
        long hours = abs.toHours();
        StringBuilder text = new StringBuilder(20);
        if (duration.isNegative()) {
            text.append('-');
        }
        if (hours < 10) {
            text.append('0');
        }
        text.append(hours).append(':');
        twoDigits(text, abs.toMinutesPart()).append(':');
        twoDigits(text, abs.toSecondsPart());
        int nanos = abs.toNanosPart();
        if (nanos != 0) {
            String fraction = Integer.toString(1_000_000_000 + nanos).substring(1);
            int end = fraction.length();
            while (fraction.charAt(end - 1) == '0') {
                end--;
            }
            text.append('.').append(fraction, 0, end);
        }
        return text.toString();
    }

    private static StringBuilder twoDigits(StringBuilder text, int value) {
        return text.append((char) ('0' + value / 10)).append((char) ('0' + value % 10));
    }
}
