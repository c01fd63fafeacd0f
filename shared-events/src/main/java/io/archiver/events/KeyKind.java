package io.archiver.events;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;

/**
 * The kinds of key column a batch's range can be planned on, each with one canonical text per value (the form the server
 * prints it in), so that the same key always has the same text in an event, the ledger and an object's name. Which column
 * types map to which kind is {@code io.archiver.support.policy.ColumnTypes#keyKind}.
 */
public enum KeyKind {

    /** TINYINT to BIGINT, signed: decimal text, no leading zeros or plus sign. */
    SIGNED_INTEGER,
    /** TINYINT to BIGINT UNSIGNED, up to 18446744073709551615: decimal text (a {@link BigInteger}, never a long). */
    UNSIGNED_INTEGER,
    /** CHAR or VARCHAR of a non-binary collation: the text as stored; ordered by the column's collation, in SQL only. */
    TEXT,
    /** DATE: {@code yyyy-MM-dd}. */
    DATE,
    /** DATETIME(n): {@code yyyy-MM-dd HH:mm:ss} and the fraction with its trailing zeros trimmed. */
    DATETIME;

    private static final BigInteger UNSIGNED_MAX = new BigInteger("18446744073709551615");
    private static final BigInteger SIGNED_MIN = BigInteger.valueOf(Long.MIN_VALUE);
    private static final BigInteger SIGNED_MAX = BigInteger.valueOf(Long.MAX_VALUE);
    private static final DateTimeFormatter DATETIME_TEXT = new DateTimeFormatterBuilder().appendPattern("uuuu-MM-dd HH:mm:ss")
            .optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 0, 6, true).optionalEnd().toFormatter();

    /**
     * The canonical text of {@code text}, a value of this kind; {@code field} names it in the error when it is not one (the
     * canonical text is the only text accepted, so that two texts never name the same key).
     */
    public String canonical(String text, String field) {
        if (text == null) {
            throw Require.invalid(field, "a key value must not be null (key columns are NOT NULL)");
        }
        String canonical;
        try {
            canonical = switch (this) {
                case SIGNED_INTEGER -> integer(text, SIGNED_MIN, SIGNED_MAX, field);
                case UNSIGNED_INTEGER -> integer(text, BigInteger.ZERO, UNSIGNED_MAX, field);
                case TEXT -> text;
                case DATE -> LocalDate.parse(text).toString();
                case DATETIME -> DATETIME_TEXT.format(LocalDateTime.parse(text, DATETIME_TEXT));
            };
        } catch (DateTimeParseException e) {
            throw Require.invalid(field, "'" + text + "' is not a " + this + " key value (" + form() + ")");
        }
        if (!canonical.equals(text)) {
            throw Require.invalid(field, "'" + text + "' is not in the canonical form of a " + this + " key value; write '" + canonical + "'");
        }
        return canonical;
    }

    /**
     * The canonical text of a value as the Vert.x client returns it for a column of this kind: a number (a BIGINT UNSIGNED as a
     * {@code Numeric}), a date, or the server's text of it (a column read in its exact form, {@code CAST(.. AS CHAR)}).
     */
    public String text(Object value) {
        return switch (this) {
            case SIGNED_INTEGER, UNSIGNED_INTEGER -> new BigDecimal(value.toString()).toBigIntegerExact().toString();
            case TEXT -> (String) value;
            case DATE -> value instanceof LocalDate date ? date.toString() : LocalDate.parse(value.toString()).toString();
            case DATETIME -> DATETIME_TEXT.format(value instanceof LocalDateTime time ? time : LocalDateTime.parse(value.toString(), DATETIME_TEXT));
        };
    }

    /**
     * The value bound for a column of this kind: integers as an exact decimal (a long cannot hold the largest BIGINT UNSIGNED, and a
     * string would be compared as a double), dates as dates, text as text (compared by the column's collation).
     */
    public Object bind(String canonical) {
        return switch (this) {
            case SIGNED_INTEGER -> Long.parseLong(canonical);
            case UNSIGNED_INTEGER -> new BigDecimal(canonical);
            case TEXT -> canonical;
            case DATE -> LocalDate.parse(canonical);
            case DATETIME -> LocalDateTime.parse(canonical, DATETIME_TEXT);
        };
    }

    private String form() {
        return switch (this) {
            case SIGNED_INTEGER -> "a decimal integer from " + SIGNED_MIN + " to " + SIGNED_MAX;
            case UNSIGNED_INTEGER -> "a decimal integer from 0 to " + UNSIGNED_MAX;
            case TEXT -> "any text";
            case DATE -> "yyyy-MM-dd";
            case DATETIME -> "yyyy-MM-dd HH:mm:ss with up to 6 fraction digits, trailing zeros trimmed";
        };
    }

    private String integer(String text, BigInteger min, BigInteger max, String field) {
        BigInteger value;
        try {
            value = new BigInteger(text);
        } catch (NumberFormatException e) {
            throw Require.invalid(field, "'" + text + "' is not a " + this + " key value (" + form() + ")");
        }
        if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
            throw Require.invalid(field, text + " is outside " + form());
        }
        return value.toString();
    }
}
