package io.archiver.table;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.archiver.events.KeyColumns;
import io.archiver.events.KeyValue;
import io.archiver.support.policy.ArchivePolicies;
import io.archiver.support.policy.DateCutoff;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The SQL of one policy's eligible rows in ranges of the table's whole key ({@link KeyRangeSql}): {@code first <= key <= last
 * AND date < cutoff}, always all three, so that no statement reaches a row at or after the cutoff or outside its range
 * (promise 2). The statements of {@link EligibleRows} for a key of any shape: the planner's next range, the export's and the
 * deleter's pages, the deleter's exact-key delete and copy. Each is an index range scan on PRIMARY (KeyRangeRowsTest runs
 * EXPLAIN on each).
 */
public final class KeyRangeRows {

    private final ArchivePolicies.Policy policy;
    private final KeyRangeSql key;
    private final String table;
    private final String archiveTable;
    private final String date;
    private ColumnForms forms;

    public KeyRangeRows(ArchivePolicies.Policy policy, KeyColumns keyColumns) {
        this.policy = policy;
        this.key = new KeyRangeSql(policy.table(), keyColumns);
        this.table = KeyRangeSql.quote(policy.table());
        this.archiveTable = KeyRangeSql.quote(policy.archiveTable());
        this.date = table + "." + KeyRangeSql.quote(policy.dateColumn());
    }

    public KeyColumns keyColumns() {
        return key.key();
    }

    /** Reads the table's column forms, once; refuses a table with a column type that has no exact form (nothing is read). */
    public KeyRangeRows resolve(SqlConnection connection, Duration timeout) {
        if (forms == null) {
            forms = ColumnForms.read(connection, policy.table(), policy.archiveTable(), timeout);
        }
        return this;
    }

    public ColumnForms forms() {
        return forms;
    }

    /** Whether the statements must run with the session's time zone at {@code +00:00} (a TIMESTAMP date column). */
    public boolean comparesInUtc() {
        return DateCutoff.needsUtcSession(policy.dateKind());
    }

    /**
     * The next range: the first and the last key of the next {@code batch-size} eligible rows (after a key, or from the table's
     * first with {@code afterKey} false) and how many there are, as one or two rows (first, then last) each with the key columns
     * and {@code archiver_rows}; none when no eligible row follows. Arguments: {@link #nextBatchArgs}.
     */
    public String nextBatch(boolean afterKey) {
        String keys = key.columns();
        String names = String.join(", ", key.key().names().stream().map(KeyRangeSql::quote).toList());
        return "SELECT " + names + ", archiver_rows FROM (SELECT " + names + ", COUNT(*) OVER () AS archiver_rows, ROW_NUMBER() OVER (ORDER BY "
                + names + ") AS archiver_row FROM (SELECT " + keys + " FROM " + table + " FORCE INDEX (PRIMARY) WHERE "
                + (afterKey ? key.after() + " AND " : "") + date + " < ? ORDER BY " + keys + " LIMIT ?) archiver_keys) archiver_ends"
                + " WHERE archiver_row = 1 OR archiver_row = archiver_rows ORDER BY archiver_row";
    }

    /** The arguments of {@link #nextBatch}: the key after which to start (null: the table's first), the cutoff, the batch size. */
    public Tuple nextBatchArgs(KeyValue afterKey, long cutoffEpochMs, int limit) {
        List<Object> args = new ArrayList<>();
        if (afterKey != null) {
            args.addAll(key.args(afterKey));
        }
        args.add(cutoff(cutoffEpochMs));
        args.add(limit);
        return Tuple.tuple(args);
    }

    /**
     * Every eligible row's key, in key order (after a key, or from the table's first with {@code afterKey} false): one index
     * range scan on PRIMARY that the planner streams and cuts into ranges as it reads. Arguments: {@link #eligibleKeysArgs};
     * each row's key by {@link #keyAt}.
     */
    public String eligibleKeys(boolean afterKey) {
        String keys = key.columns();
        return "SELECT " + keys + " FROM " + table + " FORCE INDEX (PRIMARY) WHERE " + (afterKey ? key.after() + " AND " : "") + date
                + " < ? ORDER BY " + keys;
    }

    /** The arguments of {@link #eligibleKeys}: the key after which to start (null: the table's first), the cutoff. */
    public Tuple eligibleKeysArgs(KeyValue afterKey, long cutoffEpochMs) {
        List<Object> args = new ArrayList<>();
        if (afterKey != null) {
            args.addAll(key.args(afterKey));
        }
        args.add(cutoff(cutoffEpochMs));
        return Tuple.tuple(args);
    }

    /** The key of a row of {@link #eligibleKeys}, its columns by position (no lookup by name per row). */
    public KeyValue keyAt(io.vertx.sqlclient.Row row) {
        List<KeyColumns.Column> columns = key.key().columns();
        List<String> parts = new ArrayList<>(columns.size());
        for (int i = 0; i < columns.size(); i++) {
            parts.add(columns.get(i).kind().text(row.getValue(i)));
        }
        return new KeyValue(parts);
    }

    /** A planned range read from {@link #nextBatch}'s rows: null when there was none. */
    public Planned planned(Iterable<Row> rows) {
        KeyValue first = null;
        KeyValue last = null;
        long count = 0;
        for (Row row : rows) {
            KeyValue k = key(row);
            if (first == null) {
                first = k;
            }
            last = k;
            count = row.getLong("archiver_rows");
        }
        return first == null ? null : new Planned(first, last, count);
    }

    /** A planned range: {@code rows} eligible rows from {@code first} through {@code last}. */
    public record Planned(KeyValue first, KeyValue last, long rows) {
    }

    /** A row's key, read from the key columns by name (a text read as its UTF-8 bytes by a page decoded: keys are never binary). */
    public KeyValue key(Row row) {
        List<String> parts = new ArrayList<>(key.key().size());
        io.vertx.sqlclient.Row core = row.getDelegate();
        for (KeyColumns.Column column : key.key().columns()) {
            Object value = core.getValue(column.name());
            parts.add(column.kind().text(value instanceof io.vertx.core.buffer.Buffer utf8 ? utf8.toString(StandardCharsets.UTF_8) : value));
        }
        return new KeyValue(parts);
    }

    /**
     * One page of a range's eligible rows in key order, at most a given number, each column in its exact form ({@code *} before
     * {@link #resolve}); the first page from the range's first key, the next ones after the last key read; with {@code lock}, a
     * locking read. Arguments: {@link #pageArgs}.
     */
    public String page(boolean firstPage, boolean lock) {
        return "SELECT " + (forms == null ? "*" : forms.pageSelectList()) + " FROM " + table + " WHERE " + (firstPage ? key.from() : key.after())
                + " AND " + key.through() + " AND " + date + " < ? ORDER BY " + key.columns() + " LIMIT ?" + (lock ? " FOR UPDATE" : "");
    }

    public Tuple pageArgs(KeyValue from, KeyValue last, long cutoffEpochMs, int pageRows) {
        List<Object> args = new ArrayList<>(key.args(from));
        args.addAll(key.args(last));
        args.add(cutoff(cutoffEpochMs));
        args.add(pageRows);
        return Tuple.tuple(args);
    }

    /**
     * Removes the eligible rows of {@code keys} exact keys of a range: the keys, and the range's bounds and the cutoff still, so
     * that no key reaches outside them (promise 2). Arguments: {@link #keysInRange}.
     */
    public String deleteKeys(int keys) {
        return "DELETE FROM " + table + keysWhere(keys);
    }

    /** Copies the eligible rows of {@code keys} exact keys of a range into the archive table. After {@link #resolve}. */
    public String copyKeysToArchive(int keys) {
        if (forms == null) {
            throw new IllegalStateException("the columns of " + table + " are not resolved: read the batch's rows first");
        }
        String columns = forms.copyColumns();
        return "INSERT INTO " + archiveTable + " (" + columns + ") SELECT " + columns + " FROM " + table + keysWhere(keys) + " ORDER BY "
                + key.columns();
    }

    private String keysWhere(int keys) {
        return " WHERE " + key.in(keys) + " AND " + key.from() + " AND " + key.through() + " AND " + date + " < ?";
    }

    /** The arguments of {@link #deleteKeys} and {@link #copyKeysToArchive}: the keys, the range's bounds, the cutoff. */
    public Tuple keysInRange(List<KeyValue> keys, KeyValue first, KeyValue last, long cutoffEpochMs) {
        List<Object> args = new ArrayList<>(key.keysArgs(keys));
        args.addAll(key.args(first));
        args.addAll(key.args(last));
        args.add(cutoff(cutoffEpochMs));
        return Tuple.tuple(args);
    }

    private Object cutoff(long cutoffEpochMs) {
        return policy.cutoffValue(cutoffEpochMs);
    }
}
