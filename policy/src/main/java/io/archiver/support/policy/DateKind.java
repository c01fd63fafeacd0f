package io.archiver.support.policy;

import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What the values of a policy's date column mean ({@code archiver.policies.<name>.date-kind}). The
 * cutoff is compared with the column in this kind, so a wrong kind archives the wrong rows: the
 * scanner checks the column's SQL type and its values against it before every run
 * ({@code PolicyTableCheck}), and {@link DateCutoff} turns the cutoff into a value of the column's own type.
 */
public enum DateKind {
    /** A BIGINT of milliseconds since 1970-01-01T00:00:00Z. */
    EPOCH_MILLIS("epoch milliseconds", "milliseconds", List.of("bigint")),
    /** An INT or BIGINT of seconds since 1970-01-01T00:00:00Z. */
    EPOCH_SECONDS("epoch seconds", "seconds", List.of("int", "bigint")),
    /** A DATE column: days in the policy's {@code date-zone} (default UTC). */
    DATE("dates", "dates", List.of("date")),
    /** A DATETIME column: wall-clock times in the policy's {@code date-zone} (default UTC). */
    DATETIME("date-times", "date-times", List.of("datetime")),
    /** A TIMESTAMP column. */
    TIMESTAMP("timestamps", "timestamps", List.of("timestamp"));

    private final String description;
    private final String unit;
    private final List<String> sqlTypes;

    DateKind(String description, String unit, List<String> sqlTypes) {
        this.description = description;
        this.unit = unit;
        this.sqlTypes = sqlTypes;
    }

    /** A number counted from the epoch (as opposed to a SQL date type). */
    public boolean epoch() {
        return this == EPOCH_MILLIS || this == EPOCH_SECONDS;
    }

    /** "epoch milliseconds". */
    public String description() {
        return description;
    }

    /** "milliseconds", as in "policy says milliseconds". */
    public String unit() {
        return unit;
    }

    /**
     * The SQL types (information_schema {@code DATA_TYPE}, lower case) a column of this kind has; a column of an epoch kind
     * may be of any integer type (its values then say whether they are in the declared unit).
     */
    public List<String> sqlTypes() {
        return sqlTypes;
    }

    /** The integer DATA_TYPEs a column of an epoch kind may have. */
    public static final Set<String> INTEGER_TYPES = Set.of("tinyint", "smallint", "mediumint", "int", "bigint");

    /** Whether a column of {@code dataType} (information_schema DATA_TYPE) can hold values of this kind: the one rule for run and apply. */
    public boolean accepts(String dataType) {
        String type = dataType.toLowerCase(Locale.ROOT);
        return epoch() ? INTEGER_TYPES.contains(type) : sqlTypes.contains(type);
    }
}
