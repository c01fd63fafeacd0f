package io.archiver.table;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import io.archiver.rows.CanonicalEncoding;
import io.archiver.rows.CanonicalValue;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.sqlclient.data.Numeric;

/**
 * A row read with the Vert.x MySQL client, as its column names and canonical values ({@link CanonicalValue}).
 * Exact for rows selected through {@link ColumnForms} (as {@link KeysetPages} reads them); a value the
 * client decoded into something with no exact text (MySQL 8's JSON as a tree, a geometry object) is
 * refused, naming the column, rather than written in some other form.
 */
public final class CanonicalRow {

    private CanonicalRow() {
    }

    public static List<String> columns(Row row) {
        List<String> names = new ArrayList<>(row.size());
        for (int i = 0; i < row.size(); i++) {
            names.add(row.getColumnName(i));
        }
        return names;
    }

    public static List<String> values(Row row) {
        List<String> values = new ArrayList<>(row.size());
        for (int i = 0; i < row.size(); i++) {
            try {
                values.add(CanonicalValue.of(plain(row.getValue(i))));
            } catch (IllegalArgumentException e) {
                throw refused(row, i, e);
            }
        }
        return values;
    }

    /**
     * The row's canonical encoding, written into {@code into} (reset first) value by value without a
     * String per value where the type allows ({@link CanonicalEncoding#addValue}): the same bytes as
     * encoding {@link #values(Row)}, at a fraction of the cost. Returns {@code into}.
     */
    public static CanonicalEncoding encode(Row row, CanonicalEncoding into) {
        into.reset();
        io.vertx.sqlclient.Row core = row.getDelegate();
        for (int i = 0, n = core.size(); i < n; i++) {
            try {
                into.addValue(plain(core.getValue(i)));
            } catch (IllegalArgumentException e) {
                throw refused(row, i, e);
            }
        }
        return into;
    }

    /**
     * {@link #encode(Row, CanonicalEncoding)} for a row read with {@link ColumnForms#pageSelectList()}: a column read as its UTF-8
     * bytes is copied from the client's buffer as it is, the bytes its String would have been encoded to; every other column as
     * {@link #encode(Row, CanonicalEncoding)} encodes it.
     */
    public static CanonicalEncoding encode(Row row, ColumnForms forms, CanonicalEncoding into) {
        into.reset();
        io.vertx.sqlclient.Row core = row.getDelegate();
        for (int i = 0, n = core.size(); i < n; i++) {
            Object value = core.getValue(i);
            try {
                if (value instanceof Buffer utf8 && forms.readsUtf8Bytes(i)) {
                    int length = utf8.length();
                    int at = into.addReserved(length); // before bytes(): reserving may grow the array
                    utf8.getBytes(0, length, into.bytes(), at);
                } else {
                    into.addValue(plain(value));
                }
            } catch (IllegalArgumentException e) {
                throw refused(row, i, e);
            }
        }
        return into;
    }

    /** {@link #values(Row)} for a row read with {@link ColumnForms#pageSelectList()}: the texts read as bytes decoded from UTF-8. */
    public static List<String> values(Row row, ColumnForms forms) {
        List<String> values = new ArrayList<>(row.size());
        for (int i = 0; i < row.size(); i++) {
            Object value = row.getDelegate().getValue(i);
            try {
                values.add(value instanceof Buffer utf8 && forms.readsUtf8Bytes(i) ? utf8.toString(StandardCharsets.UTF_8)
                        : CanonicalValue.of(plain(value)));
            } catch (IllegalArgumentException e) {
                throw refused(row, i, e);
            }
        }
        return values;
    }

    /** The value at {@code index} of a row read with {@link ColumnForms#pageSelectList()}, a text read as bytes as its String. */
    static Object value(Row row, int index, ColumnForms forms) {
        Object value = row.getDelegate().getValue(index);
        return value instanceof Buffer utf8 && forms.readsUtf8Bytes(index) ? utf8.toString(StandardCharsets.UTF_8) : value;
    }

    private static Object plain(Object value) {
        if (value instanceof Buffer buffer) {
            return buffer.getBytes();
        }
        if (value instanceof io.vertx.mutiny.core.buffer.Buffer buffer) {
            return buffer.getBytes();
        }
        if (value instanceof Numeric numeric) {
            return numeric.bigDecimalValue();
        }
        // MySQL 8's JSON, read natively, arrives decoded: re-encoding it would blur "1" and 1, 1.0 and 1, and its null
        if (value instanceof io.vertx.core.json.JsonObject || value instanceof io.vertx.core.json.JsonArray
                || value == io.vertx.sqlclient.Tuple.JSON_NULL) {
            throw new IllegalArgumentException("a JSON value decoded by the client: read JSON as text (ColumnForms)");
        }
        return value;
    }

    private static IllegalArgumentException refused(Row row, int index, IllegalArgumentException cause) {
        return new IllegalArgumentException("column `" + row.getColumnName(index) + "`: " + cause.getMessage(), cause);
    }
}
