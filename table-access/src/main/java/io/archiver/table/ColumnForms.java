package io.archiver.table;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import io.archiver.support.policy.ColumnTypes;
import io.archiver.support.policy.PolicyViolation;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * How each column of a policy's table is selected so that the client hands over its exact value, in
 * the form docs/csv-format.md gives (promise 7), read from the table's definition (information_schema).
 * Most columns are selected as they are; the rest through the server's own text or bytes, where the
 * client's decoding would lose something: DATE, DATETIME and TIMESTAMP as text (the client turns a
 * zero date into NULL), TIME as text (the client gives a Java Duration), YEAR as its four digits, BIT
 * as its unsigned integer (the client gives a signed long), MySQL 8's JSON as text (the client decodes
 * it: {@code "1"} and {@code 1} would both become 1), spatial values as the server's bytes (SRID and
 * WKB), MariaDB's INET4, INET6 and UUID as text. A type not listed is refused, naming the column,
 * before any row is read. Both the export and the delete read through the same forms, so the rows
 * they compare are encoded alike.
 */
public final class ColumnForms {

    /**
     * One column as information_schema.COLUMNS describes it; {@code charset} is its CHARACTER_SET_NAME (null for a column
     * without one, or not known).
     */
    public record Column(String name, String dataType, String columnType, int fractionDigits, boolean generated, String charset) {

        /** A column whose character set is not known: a text one is converted to UTF-8 by the server ({@link #pageSelectList()}). */
        public Column(String name, String dataType, String columnType, int fractionDigits, boolean generated) {
            this(name, dataType, columnType, fractionDigits, generated, null);
        }
    }

    /** One lookup per table: with an equality on the name the server opens that table's definition only, with IN every table's of the schema. */
    private static final String COLUMNS_OF = "SELECT TABLE_NAME, COLUMN_NAME, DATA_TYPE, COLUMN_TYPE, DATETIME_PRECISION, EXTRA, ORDINAL_POSITION, CHARACTER_SET_NAME"
            + " FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ?";
    private static final String COLUMNS = COLUMNS_OF + " UNION ALL " + COLUMNS_OF + " ORDER BY 1, 7";

    /** EXTRA of a generated column: VIRTUAL GENERATED, STORED GENERATED (MariaDB before 10.2: PERSISTENT); not MySQL's DEFAULT_GENERATED. */
    private static final Pattern GENERATED = Pattern.compile("\\b(VIRTUAL|STORED|PERSISTENT)\\b", Pattern.CASE_INSENSITIVE);

    // the types by how they are read: ColumnTypes, the list a policy is checked against when it is applied
    private static final Set<String> AS_THEY_ARE = ColumnTypes.AS_THEY_ARE;
    private static final Set<String> AS_TEXT = ColumnTypes.AS_TEXT;
    private static final Set<String> WITH_FRACTION = ColumnTypes.WITH_FRACTION;
    private static final Set<String> SPATIAL = ColumnTypes.SPATIAL;

    /** Read as text by the client: as their UTF-8 bytes in the pages' select list ({@link #pageSelectList()}). */
    private static final Set<String> TEXT = Set.of("char", "varchar", "tinytext", "text", "mediumtext", "longtext", "enum", "set");

    /** Character sets whose stored bytes are already the text's UTF-8 (utf8mb3 is UTF-8 of the BMP; MySQL 5.7 names it utf8). */
    private static final Set<String> STORED_AS_UTF8 = Set.of("utf8mb4", "utf8mb3", "utf8");

    private final List<Column> columns;
    private final String selectList;
    private final String pageSelectList;
    private final boolean[] utf8Bytes;
    private final String copyColumns;
    private final boolean timestamps;

    private ColumnForms(List<Column> columns, String selectList, String pageSelectList, boolean[] utf8Bytes, String copyColumns,
            boolean timestamps) {
        this.columns = columns;
        this.selectList = selectList;
        this.pageSelectList = pageSelectList;
        this.utf8Bytes = utf8Bytes;
        this.copyColumns = copyColumns;
        this.timestamps = timestamps;
    }

    /** The forms of {@code table}'s columns as the connection's database defines them; {@code archiveTable}'s for the MOVE copy. */
    public static ColumnForms read(SqlConnection connection, String table, String archiveTable, Duration timeout) {
        List<Column> tableColumns = new ArrayList<>();
        List<Column> archiveColumns = new ArrayList<>();
        List<Column> tableFolded = new ArrayList<>();
        List<Column> archiveFolded = new ArrayList<>();
        for (Row row : connection.preparedQuery(COLUMNS).execute(Tuple.of(table, archiveTable)).await().atMost(timeout)) {
            String name = text(row, 0);
            Column column = new Column(text(row, 1), text(row, 2).toLowerCase(Locale.ROOT), text(row, 3),
                    row.getValue(4) == null ? 0 : ((Number) row.getValue(4)).intValue(), GENERATED.matcher(text(row, 5)).find(),
                    row.getValue(7) == null ? null : text(row, 7));
            // names are matched as the server matches them: exactly, or without case where it folds them (lower_case_table_names)
            (name.equals(table) ? tableColumns : name.equalsIgnoreCase(table) ? tableFolded : name.equals(archiveTable) ? archiveColumns
                    : archiveFolded).add(column);
        }
        return of(table, tableColumns.isEmpty() ? tableFolded : tableColumns, archiveColumns.isEmpty() ? archiveFolded : archiveColumns);
    }

    /**
     * The forms of {@code table}'s columns; {@code archiveColumns} (empty when there is no archive table) tell which
     * columns the MOVE copy must leave to the archive table because it generates them.
     *
     * @throws PolicyViolation UNKNOWN_TABLE when the table has no columns, UNSUPPORTED_COLUMN_TYPE naming the first column whose type has no exact form
     */
    public static ColumnForms of(String table, List<Column> columns, List<Column> archiveColumns) {
        if (columns.isEmpty()) {
            throw new PolicyViolation("UNKNOWN_TABLE", "table `" + table + "` is not in the database: nothing was read");
        }
        List<String> select = new ArrayList<>(columns.size());
        List<String> pageSelect = new ArrayList<>(columns.size());
        boolean[] utf8Bytes = new boolean[columns.size()];
        for (int i = 0; i < columns.size(); i++) {
            Column column = columns.get(i);
            String expression = readExpression(table, column);
            select.add(expression);
            utf8Bytes[i] = readsAsText(column);
            pageSelect.add(utf8Bytes[i] ? asUtf8Bytes(readValue(table, column), column) : expression);
        }
        Set<String> generatedInArchive = archiveColumns.stream().filter(Column::generated).map(c -> c.name().toLowerCase(Locale.ROOT))
                .collect(Collectors.toSet());
        String copy = columns.stream().filter(c -> !generatedInArchive.contains(c.name().toLowerCase(Locale.ROOT)))
                .map(c -> quote(c.name())).collect(Collectors.joining(", "));
        boolean timestamps = columns.stream().anyMatch(c -> c.dataType().equals("timestamp"));
        return new ColumnForms(List.copyOf(columns), String.join(", ", select), String.join(", ", pageSelect), utf8Bytes, copy, timestamps);
    }

    /** Whether the client would hand the column over as a String (text, and the types read as the server's text). */
    private static boolean readsAsText(Column column) {
        String type = column.dataType();
        return TEXT.contains(type) || AS_TEXT.contains(type) || WITH_FRACTION.contains(type);
    }

    /**
     * The same text as its UTF-8 bytes: the client then hands over a buffer, which {@link CanonicalRow#encode(Row, ColumnForms,
     * io.archiver.rows.CanonicalEncoding)} copies as it is, instead of decoding a String that the encoding turns back into UTF-8.
     * A text column stored in UTF-8 ({@link #STORED_AS_UTF8}) is sent as its stored bytes ({@code CAST(.. AS BINARY)}); any other
     * text, and the server's text of a value ({@code CAST(.. AS CHAR)}, in the connection's character set), goes through
     * {@code CONVERT(.. USING utf8mb4)} first, which gives it in UTF-8 whatever its character set but costs the server a
     * conversion and a copy per value (docs/performance.md: about 0.1 µs a column per row).
     */
    private static String asUtf8Bytes(String value, Column column) {
        boolean storedAsUtf8 = TEXT.contains(column.dataType()) && column.charset() != null
                && STORED_AS_UTF8.contains(column.charset().toLowerCase(Locale.ROOT));
        return (storedAsUtf8 ? "CAST(" + value + " AS BINARY)" : "CAST(CONVERT(" + value + " USING utf8mb4) AS BINARY)") + " AS "
                + quote(column.name());
    }

    /** The select list that reads every column in its exact form, in the table's order, each under its own name. */
    public String selectList() {
        return selectList;
    }

    /**
     * The select list of the export's and the delete's pages ({@link EligibleRows}, {@link KeyRangeRows}): {@link #selectList()} with
     * every column the client would decode into a String read as its UTF-8 bytes instead ({@link #readsUtf8Bytes(int)}). Rows read
     * with it are encoded by {@link CanonicalRow#encode(Row, ColumnForms, io.archiver.rows.CanonicalEncoding)} to the same bytes.
     */
    public String pageSelectList() {
        return pageSelectList;
    }

    /** Whether the page select list reads the column at {@code index} (in the table's order) as its UTF-8 bytes. */
    public boolean readsUtf8Bytes(int index) {
        return utf8Bytes[index];
    }

    /**
     * The columns the MOVE copy writes ({@code INSERT INTO archive (these) SELECT these FROM table}): all of the
     * table's but those the archive table generates itself (a value given for a generated column is an error).
     */
    public String copyColumns() {
        return copyColumns;
    }

    /** Whether the table has TIMESTAMP columns: they are read in UTC ({@link KeysetPages} sets the session's time zone). */
    public boolean readsTimestamps() {
        return timestamps;
    }

    public List<Column> columns() {
        return columns;
    }

    /**
     * The inverse of the select list, for a restore: {@code INSERT INTO table (columns) VALUES (placeholders)} that writes a
     * row back from its CSV text, one argument per column of {@link #writtenColumns()}, each bound as the CSV's string (NULL
     * as null). The placeholder of each column reads the text back as docs/csv-format.md's "Read back" gives it:
     * {@code FROM_BASE64(?)} for binary and spatial columns, {@code CAST(? AS UNSIGNED)} for BIT (a string would be the bits
     * of its characters), the text itself for every other type. Generated columns are left to the table. Zero dates and
     * ENUM's '' need a session whose {@code sql_mode} allows them, TIMESTAMPs a session in UTC ({@link UtcSession}).
     */
    public String insertInto(String table) {
        List<Column> written = writtenColumns();
        return "INSERT INTO " + quote(table) + " (" + written.stream().map(c -> quote(c.name())).collect(Collectors.joining(", "))
                + ") VALUES (" + written.stream().map(ColumnForms::writePlaceholder).collect(Collectors.joining(", ")) + ")";
    }

    /** The columns a restore writes: all but the generated ones, in the table's order. */
    public List<Column> writtenColumns() {
        return columns.stream().filter(c -> !c.generated()).toList();
    }

    /** How one column's CSV text is written back (the inverse of {@link #readExpression}). */
    static String writePlaceholder(Column column) {
        String type = column.dataType();
        if (ColumnTypes.BINARY.contains(type) || SPATIAL.contains(type)) {
            return "FROM_BASE64(?)";
        }
        if (type.equals(ColumnTypes.BIT)) {
            return "CAST(? AS UNSIGNED)";
        }
        return "?";
    }

    /** How one column is selected; refuses a type with no exact form. */
    static String readExpression(String table, Column column) {
        String name = quote(column.name());
        String value = readValue(table, column);
        return value.equals(name) ? name : value + " AS " + name;
    }

    /** The expression that reads one column's exact form, without its alias; refuses a type with no exact form. */
    private static String readValue(String table, Column column) {
        String name = quote(column.name());
        String type = column.dataType();
        if (AS_THEY_ARE.contains(type)) {
            return name;
        }
        if (AS_TEXT.contains(type)) {
            return "CAST(" + name + " AS CHAR)";
        }
        if (WITH_FRACTION.contains(type)) {
            // the server pads the fraction to the column's precision; the canonical form has no trailing zeros (docs/csv-format.md)
            String text = "CAST(" + name + " AS CHAR)";
            return column.fractionDigits() == 0 ? text : "TRIM(TRAILING '.' FROM TRIM(TRAILING '0' FROM " + text + "))";
        }
        if (type.equals(ColumnTypes.BIT)) {
            return "CAST(" + name + " AS UNSIGNED)";
        }
        if (SPATIAL.contains(type)) {
            return "CAST(" + name + " AS BINARY)";
        }
        throw new PolicyViolation("UNSUPPORTED_COLUMN_TYPE", "table `" + table + "` column `" + column.name() + "` has type "
                + column.columnType() + ", which Archiver cannot export exactly (docs/csv-format.md lists the types it can); nothing was read");
    }

    private static String quote(String identifier) {
        return "`" + identifier.replace("`", "``") + "`";
    }

    /** A text column of information_schema: MySQL 8 returns some of them as binary strings. */
    private static String text(Row row, int index) {
        Object value = row.getValue(index);
        if (value == null) {
            return "";
        }
        if (value instanceof io.vertx.mutiny.core.buffer.Buffer buffer) {
            return buffer.toString(StandardCharsets.UTF_8.name());
        }
        if (value instanceof io.vertx.core.buffer.Buffer buffer) {
            return buffer.toString(StandardCharsets.UTF_8);
        }
        return value.toString();
    }
}
