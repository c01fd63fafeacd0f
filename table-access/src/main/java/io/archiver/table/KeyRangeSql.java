package io.archiver.table;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Collectors;

import io.archiver.events.KeyColumns;
import io.archiver.events.KeyValue;

/**
 * The conditions that bound a table's rows by its whole primary key, as SQL row constructors: {@code (a, b, c) > (?, ?, ?)}
 * and the like, every value bound ({@link KeyColumns#bind}), strings compared by the column's collation in the server.
 *
 * <p>MariaDB 10.11 does not use an index range for a bare row comparison: {@code (a, b, c) > (x, y, z)} alone is a full scan.
 * Each bound therefore leads with the same bound on the key's first column ({@code a >= x AND (a, b, c) > (x, y, z)}), which
 * the range optimiser uses and which changes nothing in the result (every row after {@code (x, y, z)} has {@code a >= x}); the
 * row comparison then decides exactly. A one-column key is a plain {@code a > ?}. Columns are qualified with the table's name,
 * so that an {@code ORDER BY} never picks a select list's alias of the same name (a DATE read as text).
 */
public final class KeyRangeSql {

    private final KeyColumns key;
    private final List<String> columns;
    private final String row;
    private final String params;

    public KeyRangeSql(String table, KeyColumns key) {
        this.key = key;
        this.columns = key.names().stream().map(name -> quote(table) + "." + quote(name)).toList();
        this.row = "(" + String.join(", ", columns) + ")";
        this.params = "(" + String.join(", ", Collections.nCopies(columns.size(), "?")) + ")";
    }

    public KeyColumns key() {
        return key;
    }

    /** The key columns, qualified, comma separated: a select list or an {@code ORDER BY} in key order. */
    public String columns() {
        return String.join(", ", columns);
    }

    /** The key columns in descending key order. */
    public String columnsDescending() {
        return columns.stream().map(c -> c + " DESC").collect(Collectors.joining(", "));
    }

    /** Rows whose key is above the bound. Arguments: {@link #args}. */
    public String after() {
        return bound(">", ">=");
    }

    /** Rows whose key is at or above the bound. Arguments: {@link #args}. */
    public String from() {
        return bound(">=", ">=");
    }

    /** Rows whose key is at or below the bound. Arguments: {@link #args}. */
    public String through() {
        return bound("<=", "<=");
    }

    /** Rows whose key is one of {@code keys} exact keys (a primary-key lookup each). Arguments: {@link #keysArgs}. */
    public String in(int keys) {
        if (keys < 1) {
            throw new IllegalArgumentException("at least one key, was " + keys);
        }
        if (columns.size() == 1) {
            return columns.get(0) + " IN (" + String.join(", ", Collections.nCopies(keys, "?")) + ")";
        }
        return row + " IN (" + String.join(", ", Collections.nCopies(keys, params)) + ")";
    }

    /** The arguments of one bound of {@link #after}, {@link #from} or {@link #through}: the first column's value, then the whole key's. */
    public List<Object> args(KeyValue bound) {
        List<Object> values = key.bind(bound);
        if (values.size() == 1) {
            return values;
        }
        List<Object> args = new ArrayList<>(values.size() + 1);
        args.add(values.get(0));
        args.addAll(values);
        return args;
    }

    /** The arguments of {@link #in}: every key's values in key order. */
    public List<Object> keysArgs(List<KeyValue> keys) {
        List<Object> args = new ArrayList<>(keys.size() * columns.size());
        for (KeyValue k : keys) {
            args.addAll(key.bind(k));
        }
        return args;
    }

    private String bound(String whole, String first) {
        if (columns.size() == 1) {
            return columns.get(0) + " " + whole + " ?";
        }
        return "(" + columns.get(0) + " " + first + " ? AND " + row + " " + whole + " " + params + ")";
    }

    static String quote(String identifier) {
        return "`" + identifier.replace("`", "``") + "`";
    }
}
