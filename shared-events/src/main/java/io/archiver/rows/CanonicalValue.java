package io.archiver.rows;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.util.Base64;

/**
 * The one text form of a column value, shared by the CSV shard and the rows digest, so that the
 * exporter and the deleter agree on what a row is. {@code null} stays {@code null} (it is written
 * as an unquoted empty field, apart from the quoted empty string); binary is standard Base64;
 * decimals keep their scale; doubles use Java's shortest round-trip form; date-times are
 * {@code yyyy-MM-dd HH:mm:ss[.fraction]}.
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
            return Double.toString(d);
        }
        if (value instanceof Float f) {
            return Double.toString(f.doubleValue());
        }
        if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
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
        if (value instanceof OffsetDateTime offsetDateTime) {
            return DATE_TIME.format(offsetDateTime.toLocalDateTime());
        }
        if (value instanceof Number number) {
            return new BigDecimal(number.toString()).toPlainString();
        }
        return value.toString();
    }
}
