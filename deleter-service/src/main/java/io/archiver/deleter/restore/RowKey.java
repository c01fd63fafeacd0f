package io.archiver.deleter.restore;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

import io.archiver.events.KeyValue;
import io.archiver.table.ColumnForms;

/**
 * The whole primary key of the restored rows (the policy's key, docs/keys.md): where its columns are in a row in the table's
 * column order, how a key's parts (the archive's text forms) are bound to find its row, and the text a conflict is listed by.
 */
record RowKey(List<String> columns, int[] indexes, boolean[] integers) {

    private static final Set<String> INTEGER_TYPES = Set.of("tinyint", "smallint", "mediumint", "int", "integer", "bigint");

    /** The key {@code key} of a table whose columns are {@code table} (in its order). */
    static RowKey of(List<String> key, List<ColumnForms.Column> table) {
        List<String> names = table.stream().map(c -> c.name().toLowerCase(Locale.ROOT)).toList();
        int[] indexes = new int[key.size()];
        boolean[] integers = new boolean[key.size()];
        for (int i = 0; i < key.size(); i++) {
            indexes[i] = names.indexOf(key.get(i).toLowerCase(Locale.ROOT));
            if (indexes[i] < 0) {
                throw new RestoreRefused("COLUMNS_DIFFER", "the target has no key column `" + key.get(i) + "` of the policy's key " + key
                        + ": restore into a table defined like the source (a new --into table is created so)");
            }
            integers[i] = INTEGER_TYPES.contains(table.get(indexes[i]).dataType().toLowerCase(Locale.ROOT));
        }
        return new RowKey(List.copyOf(key), indexes, integers);
    }

    /** The key's parts of a row in the table's column order. */
    List<String> of(List<String> row) {
        List<String> parts = new ArrayList<>(indexes.length);
        for (int index : indexes) {
            parts.add(row.get(index));
        }
        return parts;
    }

    /** {@code (`a`, `b`)}, or {@code `a`} for a key of one column. */
    String columnList() {
        String list = columns.stream().map(RestoreSession::quote).collect(Collectors.joining(", "));
        return columns.size() == 1 ? list : "(" + list + ")";
    }

    /**
     * The values bound for a key's parts: an integer column's decimal text as an exact DECIMAL (a BIGINT UNSIGNED above 2^63
     * compared with a string would be compared as a double), any other the archive's text, which the server converts to the
     * column's type (DATE, DATETIME) or compares by the column's collation (CHAR, VARCHAR).
     */
    List<Object> bind(List<String> parts) {
        List<Object> values = new ArrayList<>(parts.size());
        for (int i = 0; i < parts.size(); i++) {
            values.add(integers[i] ? new BigDecimal(parts.get(i)) : parts.get(i));
        }
        return values;
    }

    /** How a conflicting key is listed: the value of a one-column key as before, a whole key's JSON text ({@link KeyValue#text}). */
    String text(List<String> parts) {
        return parts.size() == 1 ? parts.get(0) : new KeyValue(parts).text();
    }
}
