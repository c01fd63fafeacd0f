package io.archiver.table;

import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.function.LongFunction;
import java.util.stream.Collectors;


/**
 * A table with a column of every type MySQL 8 and MariaDB offer and edge values of each (NULL and the
 * empty string where the type has them), each with the text the archive's CSV must hold for it: the
 * executable form of docs/csv-format.md. Row {@code i} holds value {@code i mod n} of each column's
 * {@code n} values, so {@link #rowsToCoverAll()} rows hold every value at least once. Its key is a
 * BIGINT {@code id} and its date an epoch-millisecond {@code msg_sent_date} with an index, as a policy
 * needs today. Used by table-access's TypeMatrixReadTest and system-tests' TypeMatrixArchivalTest.
 */
public final class TypeMatrix {

    /** How a value is written back from its CSV text, and compared in SQL. */
    public enum Kind {
        /** The text itself, bound as a string. */
        TEXT,
        /** FLOAT, DOUBLE: the text bound as a string; compared as numbers (their text cast to a string would be the server's rounded print). */
        FLOATING,
        /** Base64 of the bytes: {@code FROM_BASE64(?)}. */
        BASE64,
        /** BIT: the unsigned integer, {@code CAST(? AS UNSIGNED)} (a string would be taken as the bits of its characters). */
        BIT,
        /** A generated column: never written, the table computes it. */
        GENERATED;

        /** The placeholder of an INSERT that writes the CSV text of a column of this kind back. */
        public String placeholder() {
            return switch (this) {
                case BASE64 -> "FROM_BASE64(?)";
                case BIT -> "CAST(? AS UNSIGNED)";
                default -> "?";
            };
        }
    }

    /** One edge value: the SQL that inserts it and the CSV text (null: NULL). */
    public record Value(String sql, String text) {
    }

    /** A column: its name, its SQL definition, its kind and its values (or, for a generated column, its text from the row's id). */
    public record Column(String name, String definition, Kind kind, List<Value> values, LongFunction<String> generated) {

        public String textOf(long id, int row) {
            return generated != null ? generated.apply(id) : values.get(row % values.size()).text();
        }

        String sqlOf(int row) {
            return values.get(row % values.size()).sql();
        }
    }

    private static final Value NULL = new Value("NULL", null);

    /** MariaDB stores -0e0 in a DOUBLE as 0 (what it gives back is what the CSV holds); MySQL 8 keeps -0, written -0.0. */
    private static final String MINUS_ZERO_STORED = "0.0";

    private final List<Column> columns;

    private TypeMatrix(List<Column> columns) {
        this.columns = columns;
    }

    /** Every column; those of MariaDB's own types (INET4, INET6, UUID) only on MariaDB. */
    public static TypeMatrix of(boolean mariaDb) {
        List<Column> c = new ArrayList<>();
        // integers, signed and unsigned, at their extremes; BOOL is TINYINT(1) and holds any TINYINT
        c.add(col("c_tinyint", "TINYINT", v("-128"), v("127"), v("0"), NULL));
        c.add(col("c_tinyint_u", "TINYINT UNSIGNED", v("0"), v("255"), NULL));
        c.add(col("c_bool", "BOOL", v("0"), v("1"), NULL, v("-1"), v("5")));
        c.add(col("c_smallint", "SMALLINT", v("-32768"), v("32767"), NULL));
        c.add(col("c_smallint_u", "SMALLINT UNSIGNED", v("0"), v("65535")));
        c.add(col("c_mediumint", "MEDIUMINT", v("-8388608"), v("8388607"), NULL));
        c.add(col("c_mediumint_u", "MEDIUMINT UNSIGNED", v("0"), v("16777215")));
        c.add(col("c_int", "INT", v("-2147483648"), v("2147483647"), v("0"), NULL));
        c.add(col("c_int_u", "INT UNSIGNED", v("0"), v("4294967295"), NULL));
        c.add(col("c_bigint", "BIGINT", v("-9223372036854775808"), v("9223372036854775807"), NULL, v("0")));
        c.add(col("c_bigint_u", "BIGINT UNSIGNED", v("0"), v("18446744073709551615"), v("9223372036854775808"), NULL));
        // BIT(n): its unsigned integer value
        c.add(new Column("c_bit1", "BIT(1)", Kind.BIT, List.of(v("b'0'", "0"), v("b'1'", "1"), NULL), null));
        c.add(new Column("c_bit64", "BIT(64)", Kind.BIT, List.of(v("b'" + "1".repeat(64) + "'", "18446744073709551615"),
                v("b'1" + "0".repeat(63) + "'", "9223372036854775808"), v("b'0'", "0"), v("b'101'", "5"), NULL), null));
        // DECIMAL with its scale, up to (65,30)
        c.add(col("c_decimal", "DECIMAL(65,30)", v("99999999999999999999999999999999999.999999999999999999999999999999"),
                v("-99999999999999999999999999999999999.999999999999999999999999999999"), v("0", "0.000000000000000000000000000000"),
                v("0.000000000000000000000000000001"), v("-1.5", "-1.500000000000000000000000000000"), NULL));
        c.add(col("c_decimal_0", "DECIMAL(65,0)", v("99999999999999999999999999999999999999999999999999999999999999999"),
                v("-1"), NULL));
        c.add(col("c_decimal_small", "DECIMAL(5,2)", v("999.99"), v("-999.99"), v("0.1", "0.10"), NULL));
        // FLOAT and DOUBLE: the shortest text that reads back as the same double (a FLOAT as the double it exactly is)
        c.add(new Column("c_float", "FLOAT", Kind.FLOATING, List.of(v("3.4028234663852886E38", "3.4028234663852886E38"),
                v("-3.4028234663852886E38", "-3.4028234663852886E38"), v("1.401298464324817E-45", "1.401298464324817E-45"),
                v("1.1754943508222875E-38", "1.1754943508222875E-38"), v("0.1", "0.10000000149011612"), v("16777217", "1.6777216E7"),
                v("0", "0.0"), v("-1.5", "-1.5"), NULL), null));
        c.add(new Column("c_double", "DOUBLE", Kind.FLOATING, List.of(v("1.7976931348623157E308", "1.7976931348623157E308"),
                v("-1.7976931348623157E308", "-1.7976931348623157E308"), v("4.9E-324", "4.9E-324"),
                v("2.2250738585072014E-308", "2.2250738585072014E-308"), v("0.1", "0.1"), v("1E23", "1.0E23"),
                v("123456789.125", "1.23456789125E8"), v("0", "0.0"), v("-0e0", MINUS_ZERO_STORED), NULL), null));
        // dates and times: as the server prints them (zero dates included), the fraction without trailing zeros, TIMESTAMP in UTC
        c.add(text("c_date", "DATE", q("0000-00-00"), q("1000-01-01"), q("9999-12-31"), q("2024-02-29"), q("2020-00-15"), NULL));
        c.add(text("c_datetime", "DATETIME", q("0000-00-00 00:00:00"), q("1000-01-01 00:00:00"), q("9999-12-31 23:59:59"), NULL));
        c.add(text("c_datetime_6", "DATETIME(6)", q("9999-12-31 23:59:59.999999"), v("'2026-11-23 04:05:06.780000'", "2026-11-23 04:05:06.78"),
                v("'2026-11-23 04:05:06.000000'", "2026-11-23 04:05:06"), v("'0000-00-00 00:00:00.000000'", "0000-00-00 00:00:00"),
                q("2026-11-23 04:05:06.000001"), NULL));
        c.add(text("c_timestamp", "TIMESTAMP NULL", q("1970-01-01 00:00:01"), q("2038-01-19 03:14:07"), q("0000-00-00 00:00:00"), NULL));
        c.add(text("c_timestamp_3", "TIMESTAMP(3) NULL", q("2038-01-19 03:14:07.999"), v("'2026-03-29 01:30:00.500'", "2026-03-29 01:30:00.5"),
                v("'2026-10-25 01:30:00.000'", "2026-10-25 01:30:00"), NULL));
        c.add(text("c_time", "TIME", q("-838:59:59"), q("838:59:59"), q("00:00:00"), q("24:00:00"), q("-00:00:01"), NULL));
        c.add(text("c_time_6", "TIME(6)", v("'-838:59:59.000000'", "-838:59:59"), q("838:59:59.999999"), v("'-00:00:00.500000'", "-00:00:00.5"),
                q("100:00:00.000001"), NULL));
        c.add(text("c_year", "YEAR", v("0", "0000"), v("1901", "1901"), v("2155", "2155"), NULL));
        // text in utf8mb4 and in a single-byte charset (latin1: the UTF-8 of its characters); CHAR loses trailing spaces, as the server prints it
        c.add(text("c_char", "CHAR(10)", q("abc"), q(""), v("'ab  '", "ab"), q("é🚀"), NULL));
        c.add(text("c_varchar", "VARCHAR(255)", q(""), q(" "), q("trailing  "), v("'line 1\\r\\nline 2\\n'", "line 1\r\nline 2\n"),
                v("'\"quoted\", comma'", "\"quoted\", comma"), q("NULL"), v("'\\\\N'", "\\N"), q("é ü 日本語 🚀 👨‍👩‍👧"), NULL));
        c.add(text("c_tinytext", "TINYTEXT", v("REPEAT('x', 255)", "x".repeat(255)), q(""), NULL));
        c.add(text("c_text", "TEXT", v("REPEAT('é', 32767)", "é".repeat(32767)), q(""), NULL));
        c.add(text("c_mediumtext", "MEDIUMTEXT", v("REPEAT('m', 1000000)", "m".repeat(1_000_000)), NULL, q("")));
        c.add(text("c_longtext", "LONGTEXT", v("REPEAT('🚀', 300000)", "🚀".repeat(300_000)), q(""), NULL));
        c.add(text("c_latin1", "VARCHAR(64) CHARACTER SET latin1", v("CONVERT(X'80818D8F909DE9DFFF' USING latin1)", "€\u0081\u008D\u008F\u0090\u009Déßÿ"),
                q(""), q("Zoë, Ångström"), NULL));
        c.add(text("c_latin1_text", "TEXT CHARACTER SET latin1", q("Ünïcödé ½ ¿ ©"), NULL));
        // binary of every size: Base64
        c.add(new Column("c_binary", "BINARY(8)", Kind.BASE64, List.of(v("X'00FF'", base64("00FF000000000000")), v("''", base64("0000000000000000")), NULL), null));
        c.add(new Column("c_varbinary", "VARBINARY(255)", Kind.BASE64, List.of(bytes(""), bytes("00"), bytes("0D0A22002C"), NULL), null));
        c.add(new Column("c_tinyblob", "TINYBLOB", Kind.BASE64, List.of(repeated("FF00", 127, "7F"), bytes(""), NULL), null));
        c.add(new Column("c_blob", "BLOB", Kind.BASE64, List.of(repeated("00FF7F80", 16383, "010203"), NULL), null));
        c.add(new Column("c_mediumblob", "MEDIUMBLOB", Kind.BASE64, List.of(repeated("00FF7F80", 262_144, ""), bytes("00"), NULL), null));
        c.add(new Column("c_longblob", "LONGBLOB", Kind.BASE64, List.of(repeated("DEADBEEF", 524_288, "00"), NULL, bytes("")), null));
        // ENUM and SET as their text; '' is ENUM's error value and SET's empty set
        c.add(text("c_enum", "ENUM('red','green','blue')", q("red"), q("blue"), q(""), NULL));
        c.add(text("c_set", "SET('a','b','c')", q(""), v("'c,a'", "a,c"), q("a,b,c"), NULL));
        // JSON as its text: a string, a number, null, objects and arrays stay apart (MariaDB keeps the text as written)
        c.add(text("c_json", "JSON", q("\"1\""), q("1"), q("1.0"), q("null"), q("{\"b\": 1, \"a\": [1.0, \"x\", null]}"), q("[]"),
                q("{ \"spaced\" :  true }"), q("\"\""), NULL));
        // generated columns: exported as values, computed by the archive table itself in MOVE mode
        c.add(new Column("c_virtual", "BIGINT AS (id * 2) VIRTUAL", Kind.GENERATED, List.of(), id -> Long.toString(id * 2)));
        c.add(new Column("c_stored", "VARCHAR(40) AS (CONCAT('id-', id)) STORED", Kind.GENERATED, List.of(), id -> "id-" + id));
        // an invisible column (MariaDB 10.3+, MySQL 8.0.23+): not in SELECT *, yet archived, deleted and moved with its row
        c.add(col("c_invisible", "INT INVISIBLE", v("7"), NULL));
        // spatial: the server's bytes (SRID, then WKB), Base64
        c.add(new Column("c_geometry", "GEOMETRY", Kind.BASE64, List.of(
                geometry("POINT(-73.9857 40.7484)", 4326, "E61000000101000000B3EA73B5157F52C0C7293A92CB5F4440"),
                geometry("POLYGON((0 0, 10 0, 10 10, 0 10, 0 0), (2 2, 3 2, 3 3, 2 2))", 0, "00000000010300000002000000050000000000000000000000000000000000000000000000000024400000000000000000000000000000"
                        + "24400000000000002440000000000000000000000000000024400000000000000000000000000000000004000000000000000000004000"
                        + "00000000000040000000000000084000000000000000400000000000000840000000000000084000000000000000400000000000000040"),
                geometry("GEOMETRYCOLLECTION EMPTY", 0, "00000000010700000000000000"), NULL), null));
        c.add(new Column("c_point", "POINT", Kind.BASE64, List.of(geometry("POINT(1.5 -2.25)", 0, "000000000101000000000000000000F83F00000000000002C0"),
                NULL), null));
        c.add(new Column("c_linestring", "LINESTRING", Kind.BASE64, List.of(geometry("LINESTRING(0 0, 1 1, 2 0.5)", 0, "00000000010200000003000000"
                + "00000000000000000000000000000000000000000000F03F000000000000F03F0000000000000040000000000000E03F"), NULL), null));
        c.add(new Column("c_polygon", "POLYGON", Kind.BASE64, List.of(NULL, geometry("POLYGON((0 0, 1 0, 1 1, 0 0))", 0, "000000000103000000010000"
                + "000400000000000000000000000000000000000000000000000000F03F0000000000000000000000000000F03F000000000000F03F0000000000"
                + "0000000000000000000000")), null));
        c.add(new Column("c_multipoint", "MULTIPOINT", Kind.BASE64, List.of(geometry("MULTIPOINT(0 0, 1e300 -1e-300)", 0, "00000000010400000002"
                + "00000001010000000000000000000000000000000000000001010000009C7500883CE4377E59F3F8C21F6EA581"), NULL), null));
        c.add(new Column("c_multilinestring", "MULTILINESTRING", Kind.BASE64, List.of(geometry("MULTILINESTRING((0 0, 1 1), (2 2, 3 3, 4 4))", 0,
                "0000000001050000000200000001020000000200000000000000000000000000000000000000000000000000F03F000000000000F03F010200"
                        + "000003000000000000000000004000000000000000400000000000000840000000000000084000000000000010400000000000001040"),
                NULL), null));
        c.add(new Column("c_multipolygon", "MULTIPOLYGON", Kind.BASE64, List.of(geometry("MULTIPOLYGON(((0 0, 1 0, 1 1, 0 0)), ((5 5, 6 5, 6 6, 5 5)))",
                0, "000000000106000000020000000103000000010000000400000000000000000000000000000000000000000000000000F03F00000000000000"
                        + "00000000000000F03F000000000000F03F000000000000000000000000000000000103000000010000000400000000000000000014400000"
                        + "000000001440000000000000184000000000000014400000000000001840000000000000184000000000000014400000000000001440"),
                NULL), null));
        c.add(new Column("c_geometrycollection", "GEOMETRYCOLLECTION", Kind.BASE64, List.of(geometry("GEOMETRYCOLLECTION(POINT(1 1), LINESTRING(0 0, 1 1))",
                0, "000000000107000000020000000101000000000000000000F03F000000000000F03F01020000000200000000000000000000000000000000"
                        + "000000000000000000F03F000000000000F03F"), NULL), null));
        if (mariaDb) {
            c.add(text("c_inet4", "INET4", q("0.0.0.0"), q("255.255.255.255"), NULL));
            c.add(text("c_inet6", "INET6", q("::"), q("::1"), q("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"), q("::ffff:1.2.3.4"), NULL));
            c.add(text("c_uuid", "UUID", q("00000000-0000-0000-0000-000000000000"), q("ffffffff-ffff-ffff-ffff-ffffffffffff"),
                    q("d1c6b5b4-0000-4000-8000-000000000000"), NULL));
        }
        return new TypeMatrix(List.copyOf(c));
    }

    public List<Column> columns() {
        return columns;
    }

    /** The CSV header: id, msg_sent_date, then every column. */
    public List<String> header() {
        List<String> names = new ArrayList<>(List.of("id", "msg_sent_date"));
        columns.forEach(c -> names.add(c.name()));
        return names;
    }

    /** Enough rows for every value of every column to appear at least once. */
    public int rowsToCoverAll() {
        return columns.stream().mapToInt(c -> c.values().size()).max().orElse(1);
    }

    /** {@code CREATE TABLE}: the BIGINT key, the epoch-millisecond date with its index, every column. */
    public String createTable(String table) {
        return "CREATE TABLE `" + table + "` (id BIGINT NOT NULL, msg_sent_date BIGINT NOT NULL, "
                + columns.stream().map(c -> "`" + c.name() + "` " + c.definition()).collect(Collectors.joining(", "))
                + ", PRIMARY KEY (id), KEY idx_" + table + "_msg_sent_date (msg_sent_date)) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4"
                + " COLLATE = utf8mb4_unicode_ci";
    }

    /**
     * Inserts row {@code row} (values {@code row mod n}) with the given id and date. Run it in a session with
     * {@code sql_mode = ''} (ENUM's '' and zero dates) and {@code time_zone = '+00:00'} (the TIMESTAMP literals are UTC).
     */
    public String insert(String table, long id, long dateMs, int row) {
        List<Column> written = written();
        return "INSERT INTO `" + table + "` (id, msg_sent_date, " + written.stream().map(c -> "`" + c.name() + "`").collect(Collectors.joining(", "))
                + ") VALUES (" + id + ", " + dateMs + ", " + written.stream().map(c -> c.sqlOf(row)).collect(Collectors.joining(", ")) + ")";
    }

    /** The CSV texts of row {@code row} with this id and date, in header order. */
    public List<String> texts(long id, long dateMs, int row) {
        List<String> texts = new ArrayList<>(List.of(Long.toString(id), Long.toString(dateMs)));
        columns.forEach(c -> texts.add(c.textOf(id, row)));
        return texts;
    }

    /** The columns an INSERT writes (not the generated ones). */
    public List<Column> written() {
        return columns.stream().filter(c -> c.kind() != Kind.GENERATED).toList();
    }

    /**
     * {@code INSERT} of one row from its CSV texts: parameters id, date, then {@link #written()}'s texts in order, each
     * through its kind's placeholder ("how to read it back" of docs/csv-format.md). Same session settings as {@link #insert}.
     */
    public String restore(String table) {
        List<Column> written = written();
        return "INSERT INTO `" + table + "` (id, msg_sent_date, " + written.stream().map(c -> "`" + c.name() + "`").collect(Collectors.joining(", "))
                + ") VALUES (?, ?, " + written.stream().map(c -> c.kind().placeholder()).collect(Collectors.joining(", ")) + ")";
    }

    /**
     * The ids of the rows of {@code a} that differ from {@code b}'s row of the same id in any column (or that {@code b}
     * lacks): bytes for bytes, text for text, numbers as numbers. Run it with {@code time_zone = '+00:00'}.
     */
    public String differingIds(String a, String b) {
        String same = columns.stream().map(c -> c.kind() == Kind.FLOATING ? "x.`" + c.name() + "` <=> y.`" + c.name() + "`"
                : "CAST(x.`" + c.name() + "` AS BINARY) <=> CAST(y.`" + c.name() + "` AS BINARY)").collect(Collectors.joining(" AND "));
        return "SELECT x.id FROM `" + a + "` x LEFT JOIN `" + b + "` y ON y.id = x.id WHERE y.id IS NULL OR NOT (x.msg_sent_date <=> y.msg_sent_date AND "
                + same + ") ORDER BY x.id";
    }

    private static Column col(String name, String definition, Value... values) {
        return new Column(name, definition, Kind.TEXT, List.of(values), null);
    }

    private static Column text(String name, String definition, Value... values) {
        return col(name, definition, values);
    }

    /** A value whose SQL is its text (a number, a NULL-free literal). */
    private static Value v(String sqlAndText) {
        return new Value(sqlAndText, sqlAndText);
    }

    private static Value v(String sql, String text) {
        return new Value(sql, text);
    }

    /** A quoted string literal whose text is the string (no quotes or backslashes inside but JSON's double quotes). */
    private static Value q(String text) {
        return new Value("'" + text + "'", text);
    }

    private static Value bytes(String hex) {
        return new Value("X'" + hex + "'", base64(hex));
    }

    /** {@code REPEAT(X'unit', times)} followed by {@code X'tail'}. */
    private static Value repeated(String unitHex, int times, String tailHex) {
        return new Value("CONCAT(REPEAT(X'" + unitHex + "', " + times + "), X'" + tailHex + "')", base64(unitHex.repeat(times) + tailHex));
    }

    private static Value geometry(String wkt, int srid, String internalHex) {
        return new Value("ST_GeomFromText('" + wkt + "', " + srid + ")", base64(internalHex));
    }

    private static String base64(String hex) {
        return Base64.getEncoder().encodeToString(HexFormat.of().parseHex(hex));
    }
}
