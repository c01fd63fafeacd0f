package io.archiver.support.policy;

import java.util.Locale;
import java.util.Set;

import io.archiver.events.KeyKind;

/**
 * Which column types Archiver handles, by information_schema's {@code DATA_TYPE} (lower case): the one list that the
 * export's {@code io.archiver.table.ColumnForms} selects by and that {@code io.archiver.policy.LiveTableCheck} refuses a
 * policy by when it is applied, so that a table is refused before its first run rather than at its first batch. How each
 * type is written: docs/csv-format.md.
 */
public final class ColumnTypes {

    /** Exact as the client gives them. */
    public static final Set<String> AS_THEY_ARE = Set.of("tinyint", "smallint", "mediumint", "int", "integer", "bigint", "decimal",
            "numeric", "float", "double", "real", "char", "varchar", "tinytext", "text", "mediumtext", "longtext", "binary", "varbinary",
            "tinyblob", "blob", "mediumblob", "longblob", "enum", "set");
    /** Read as the server's text (the client loses zero dates, decodes JSON, has no type for these). */
    public static final Set<String> AS_TEXT = Set.of("date", "year", "json", "inet4", "inet6", "uuid");
    /** Read as the server's text, the fraction's trailing zeros trimmed. */
    public static final Set<String> WITH_FRACTION = Set.of("time", "datetime", "timestamp");
    /** Read as its unsigned integer. */
    public static final String BIT = "bit";
    /** Read as the server's bytes: SRID and WKB. */
    public static final Set<String> SPATIAL = Set.of("geometry", "point", "linestring", "polygon", "multipoint", "multilinestring",
            "multipolygon", "geometrycollection", "geomcollection");

    /** Written to the CSV as Base64 of their bytes (with {@link #SPATIAL}): read back with {@code FROM_BASE64}. */
    public static final Set<String> BINARY = Set.of("binary", "varbinary", "tinyblob", "blob", "mediumblob", "longblob");

    /** The integer types a one-column key may have (a BIGINT UNSIGNED may hold ids no batch range can carry yet). */
    public static final Set<String> KEY_TYPES = Set.of("tinyint", "smallint", "mediumint", "int", "integer", "bigint");

    private ColumnTypes() {
    }

    /** A key column's {@link KeyKind}, or why a column of its type cannot be part of a batch's key (then {@code kind} is null). */
    public record KeyFit(KeyKind kind, String whyNot) {
        public boolean fits() {
            return kind != null;
        }

        static KeyFit of(KeyKind kind) {
            return new KeyFit(kind, null);
        }

        static KeyFit not(String why) {
            return new KeyFit(null, why);
        }
    }

    /**
     * What a column of {@code dataType} ({@code columnType} as SHOW CREATE TABLE writes it) is as a part of a whole key whose
     * ranges are compared in SQL ({@code io.archiver.table.KeyRangeSql}); {@code prefixLength} is the key's prefix length on the
     * column (information_schema's SUB_PART), null for the whole column. Integers of every width (a BIGINT UNSIGNED as
     * {@link KeyKind#UNSIGNED_INTEGER}, the others fit a long), YEAR as its number, CHAR and VARCHAR by their collation, DATE and
     * DATETIME; refused with the reason: what has no exact text a range could be carried in or compared by.
     */
    public static KeyFit keyFit(String dataType, String columnType, Number prefixLength) {
        String type = dataType.toLowerCase(Locale.ROOT);
        if (prefixLength != null) {
            return KeyFit.not("the primary key holds only its first " + prefixLength + " characters, so a range of the key is not a range of"
                    + " the rows; a key on whole columns is needed");
        }
        if (KEY_TYPES.contains(type)) {
            return KeyFit.of(type.equals("bigint") && columnType.toLowerCase(Locale.ROOT).contains("unsigned") ? KeyKind.UNSIGNED_INTEGER
                    : KeyKind.SIGNED_INTEGER);
        }
        return switch (type) {
            case "year" -> KeyFit.of(KeyKind.SIGNED_INTEGER);
            case "char", "varchar" -> KeyFit.of(KeyKind.TEXT);
            case "date" -> KeyFit.of(KeyKind.DATE);
            case "datetime" -> KeyFit.of(KeyKind.DATETIME);
            case "timestamp" -> KeyFit.not("a TIMESTAMP key's value as text depends on the session's time zone, which a batch's range"
                    + " cannot carry; not handled yet: a DATETIME key is");
            case "binary", "varbinary" -> KeyFit.not("its bytes have no text a batch's range could be carried in; not handled yet: a"
                    + " CHAR or VARCHAR key is");
            case "float", "double", "real" -> KeyFit.not("an approximate number has no exact text to bound a range by");
            case "decimal", "numeric" -> KeyFit.not("DECIMAL keys are not handled yet; an integer key is");
            case "enum", "set" -> KeyFit.not("an " + type.toUpperCase(Locale.ROOT) + " sorts by its members' positions, not their text,"
                    + " so its text cannot bound a range");
            default -> KeyFit.not(type.toUpperCase(Locale.ROOT) + " keys are not handled: a key is of integers, CHAR or VARCHAR, DATE or"
                    + " DATETIME columns");
        };
    }

    /** Whether a column of {@code dataType} is exported exactly. */
    public static boolean exportable(String dataType) {
        String type = dataType.toLowerCase(Locale.ROOT);
        return AS_THEY_ARE.contains(type) || AS_TEXT.contains(type) || WITH_FRACTION.contains(type) || BIT.equals(type)
                || SPATIAL.contains(type);
    }
}
