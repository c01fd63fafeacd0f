package io.archiver.support.policy;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;

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

    /** Whether a column of {@code dataType} is exported exactly. */
    public static boolean exportable(String dataType) {
        String type = dataType.toLowerCase(Locale.ROOT);
        return AS_THEY_ARE.contains(type) || AS_TEXT.contains(type) || WITH_FRACTION.contains(type) || BIT.equals(type)
                || SPATIAL.contains(type);
    }

    /**
     * Why a column of {@code dataType} ({@code columnType} as SHOW CREATE TABLE writes it) cannot be a policy's key, or empty
     * when it can: only one integer column is archived today, and a BIGINT UNSIGNED only up to 2^63 - 1, which not every
     * table's ids stay below.
     */
    public static Optional<String> unsupportedKey(String dataType, String columnType) {
        String type = dataType.toLowerCase(Locale.ROOT);
        if (!KEY_TYPES.contains(type)) {
            String kind = Set.of("char", "varchar", "binary", "varbinary").contains(type) ? "string keys"
                    : Set.of("date", "datetime", "timestamp", "time", "year").contains(type) ? "date and time keys"
                    : type.toUpperCase(Locale.ROOT) + " keys";
            return Optional.of(kind + " are not supported yet: batches are ranges of one integer key");
        }
        if (type.equals("bigint") && columnType.toLowerCase(Locale.ROOT).contains("unsigned")) {
            return Optional.of("BIGINT UNSIGNED keys are not supported yet: ids above 9223372036854775807 (2^63 - 1) cannot be carried in a"
                    + " batch's range; a BIGINT (signed) key, or INT UNSIGNED and smaller, is archived");
        }
        return Optional.empty();
    }
}
