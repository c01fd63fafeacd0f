package io.archiver.events;

import java.time.Instant;
import java.util.regex.Pattern;

/** Field checks shared by the event records' compact constructors. */
final class Require {

    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,63}");

    private Require() {
    }

    static <T> T present(T value, String field) {
        if (value == null) {
            throw new EventValidationException(EventDecodingException.Reason.MISSING_FIELD, field, "missing field: " + field);
        }
        return value;
    }

    static String text(String value, String field) {
        present(value, field);
        if (value.isBlank()) {
            throw invalid(field, "must not be blank");
        }
        if (value.length() > 1024) {
            throw invalid(field, "is longer than 1024 characters");
        }
        return value;
    }

    /** Null, or {@link #text}. */
    static String optionalText(String value, String field) {
        return value == null ? null : text(value, field);
    }

    static Instant instant(Instant value, String field) {
        return present(value, field);
    }

    static long notNegative(long value, String field) {
        if (value < 0) {
            throw invalid(field, "must not be negative, was " + value);
        }
        return value;
    }

    static long positive(long value, String field) {
        if (value <= 0) {
            throw invalid(field, "must be positive, was " + value);
        }
        return value;
    }

    static String sha256(String value, String field) {
        present(value, field);
        if (!SHA256_HEX.matcher(value).matches()) {
            throw invalid(field, "must be 64 lower-case hex digits");
        }
        return value;
    }

    static String identifier(String value, String field) {
        present(value, field);
        if (!IDENTIFIER.matcher(value).matches()) {
            throw invalid(field, "must be an SQL identifier ([A-Za-z_][A-Za-z0-9_]*, at most 64 characters)");
        }
        return value;
    }

    static EventValidationException invalid(String field, String problem) {
        return new EventValidationException(EventDecodingException.Reason.INVALID_FIELD, field, field + " " + problem);
    }
}
