package io.archiver.table;

import java.time.Duration;

import io.archiver.events.BatchScope;
import io.archiver.support.policy.ArchivePolicies;
import io.archiver.support.policy.DateCutoff;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The SQL of one policy's eligible rows: {@code id BETWEEN lo AND hi AND date < cutoff}, always all
 * three conditions (the cutoff bound as a value of the date column's own type: {@link #cutoff}), so that no statement can reach a row at or after the cutoff or outside its
 * range (promise 2). Identifiers come from the validated policy, values are always bound. Rows are
 * selected in their exact forms ({@link ColumnForms}) once {@link #resolve} has read the table's
 * definition ({@link KeysetPages} does, before its first page).
 */
public final class EligibleRows {

    private final String table;
    private final String archiveTable;
    private final String id;
    private final String date;
    private final String idName;
    private final String tableName;
    private final String archiveTableName;
    private final ArchivePolicies.Policy policy;
    private ColumnForms forms;

    public EligibleRows(ArchivePolicies.Policy policy) {
        this.policy = policy;
        this.idName = policy.idColumn();
        this.tableName = policy.table();
        this.archiveTableName = policy.archiveTable();
        this.table = quote(policy.table());
        this.archiveTable = quote(policy.archiveTable());
        this.id = quote(policy.idColumn());
        this.date = quote(policy.dateColumn());
    }

    /** Reads the table's column forms, once; refuses a table with a column type that has no exact form (nothing is read). */
    public EligibleRows resolve(SqlConnection connection, Duration timeout) {
        if (forms == null) {
            forms = ColumnForms.read(connection, tableName, archiveTableName, timeout);
        }
        return this;
    }

    /** The table's column forms; null before {@link #resolve}. */
    public ColumnForms forms() {
        return forms;
    }

    /** The run's cutoff as the value bound for {@code date < ?}: of the date column's own type ({@code DateCutoff}). */
    public Object cutoff(long cutoffEpochMs) {
        return policy.cutoffValue(cutoffEpochMs);
    }

    /**
     * Whether the statements comparing the date column with the cutoff must run with the session's {@code time_zone} at
     * {@code +00:00} (a TIMESTAMP column: its cutoff is UTC text); {@link UtcSession} does it.
     */
    public boolean comparesInUtc() {
        return DateCutoff.needsUtcSession(policy.dateKind());
    }

    /** The id column's name, unquoted, as result rows name it. */
    public String idColumn() {
        return idName;
    }

    private String where() {
        return " WHERE " + id + " BETWEEN ? AND ? AND " + date + " < ?";
    }

    /**
     * The batch's rows in id order, each column in its exact form ({@code *} before {@link #resolve}: for plans only);
     * with {@code lock}, a locking read. Arguments: {@link #range(BatchScope)}.
     */
    public String select(boolean lock) {
        return "SELECT " + (forms == null ? "*" : forms.selectList()) + " FROM " + table + where() + " ORDER BY " + id
                + (lock ? " FOR UPDATE" : "");
    }

    /**
     * One page of {@link KeysetPages}: the eligible rows of an id range in id order, at most a given
     * number, read with {@link ColumnForms#pageSelectList()}; with {@code lock}, a locking read. Arguments: first id, last id, cutoff, page rows.
     */
    public String page(boolean lock) {
        // every column in its exact form, texts as their UTF-8 bytes (ColumnForms.pageSelectList): CanonicalRow.encode(row, forms, ..)
        return "SELECT " + (forms == null ? "*" : forms.pageSelectList()) + " FROM " + table + where() + " ORDER BY " + id + " LIMIT ?"
                + (lock ? " FOR UPDATE" : "");
    }

    /** Removes the batch's rows. Arguments: {@link #range(BatchScope)}. */
    public String delete() {
        return "DELETE FROM " + table + where();
    }

    /**
     * Removes the eligible rows of {@code keys} exact keys of a range: {@code id BETWEEN ? AND ? AND date < ? AND (id + 0) IN (k1, ..)}:
     * one range scan on PRIMARY over the chunk's ids (EXPLAIN: a range access on PRIMARY, never a scan of the table), each row
     * kept only when its id is one of the keys; the range and cutoff conditions stay, so that no key can reach outside them
     * (promise 2). {@code id + 0} keeps the list a filter: on the bare column the server would look every key up from the
     * index's root instead, which cost about 1.5 µs more per row of a dense 1,000-row chunk here (docs/performance.md); the
     * range is the one the chunk's locking read has just scanned, so the scan reads no more rows than that read did.
     * Arguments: {@link #keysInRange}.
     */
    public String deleteKeys(int keys) {
        return "DELETE FROM " + table + keysWhere(keys);
    }

    /**
     * Copies the eligible rows of {@code keys} exact keys of a range into the archive table (as {@link #copyToArchive}, by key
     * as {@link #deleteKeys}). After {@link #resolve}. Arguments: {@link #keysInRange}.
     */
    public String copyKeysToArchive(int keys) {
        if (forms == null) {
            throw new IllegalStateException("the columns of " + table + " are not resolved: read the batch's rows (KeysetPages) first");
        }
        String columns = forms.copyColumns();
        return "INSERT INTO " + archiveTable + " (" + columns + ") SELECT " + columns + " FROM " + table + keysWhere(keys) + " ORDER BY " + id;
    }

    private String keysWhere(int keys) {
        if (keys < 1) {
            throw new IllegalArgumentException("at least one key, was " + keys);
        }
        return " WHERE " + id + " BETWEEN ? AND ? AND " + date + " < ? AND (" + id + " + 0) IN ("
                + String.join(", ", java.util.Collections.nCopies(keys, "?")) + ")";
    }

    /** The arguments of {@link #deleteKeys} and {@link #copyKeysToArchive}: the range and the cutoff, then the keys. */
    public Tuple keysInRange(long[] keys, long firstId, long lastId, long cutoffEpochMs) {
        java.util.List<Object> values = new java.util.ArrayList<>(keys.length + 3);
        values.add(firstId);
        values.add(lastId);
        values.add(cutoff(cutoffEpochMs));
        for (long key : keys) {
            values.add(key);
        }
        return Tuple.tuple(values);
    }

    /**
     * Copies the batch's rows into the archive table, naming the columns: the archive table computes its generated
     * columns itself (a value given for one is an error). After {@link #resolve} (the batch's rows are read first).
     * Arguments: {@link #range(BatchScope)}.
     */
    public String copyToArchive() {
        if (forms == null) {
            throw new IllegalStateException("the columns of " + table + " are not resolved: read the batch's rows (KeysetPages) first");
        }
        String columns = forms.copyColumns();
        return "INSERT INTO " + archiveTable + " (" + columns + ") SELECT " + columns + " FROM " + table + where() + " ORDER BY " + id;
    }

    /**
     * The next batch after an id: how many eligible rows (up to the limit) follow it and the first and
     * last of their ids, by a keyset walk on the primary key. Arguments: {@link #nextBatchArgs}.
     */
    public String nextBatch() {
        return "SELECT COUNT(*) AS n, MIN(b.id) AS lo, MAX(b.id) AS hi FROM (SELECT " + id + " AS id FROM " + table
                + " FORCE INDEX (PRIMARY) WHERE " + id + " > ? AND " + date + " < ? ORDER BY " + id + " LIMIT ?) b";
    }

    /**
     * Where a plan's ranges begin and end, counted in the date index (covering: an InnoDB secondary index holds the primary key,
     * so only index entries are read, never the rows): the eligible ids after an id (and below one, {@code below}) counted per
     * bucket of {@code width} ids, bucket {@code b} holding ids {@code after + 1 + b * width} to the next bucket's first, with
     * each bucket's running count {@code c} and the total {@code t}; only the buckets that hold a range's first or last row
     * (rank {@code k * batch + 1} or {@code k * batch}, or the total) come back. The server keeps one row per bucket, never one
     * per id. Arguments: {@link #rangeEndsArgs}.
     */
    public String rangeEnds(String dateIndex, boolean below) {
        return "SELECT b, n, c, t FROM (SELECT b, n, CAST(SUM(n) OVER (ORDER BY b) AS SIGNED) AS c, CAST(SUM(n) OVER () AS SIGNED) AS t"
                + " FROM (SELECT (" + id + " - ?) DIV ? AS b, COUNT(*) AS n FROM " + table + " FORCE INDEX (" + quote(dateIndex) + ") WHERE "
                + id + " > ?" + (below ? " AND " + id + " < ?" : "") + " AND " + date + " < ? GROUP BY b) g) w"
                + " WHERE c = n OR c = t OR (c - n) DIV ? <> c DIV ? OR (c - n - 1) DIV ? <> (c - 1) DIV ? ORDER BY b";
    }

    /** The arguments of {@link #rangeEnds}; {@code belowId} only where it was asked for one. */
    public Tuple rangeEndsArgs(long afterId, Long belowId, long width, long cutoffEpochMs, int batch) {
        java.util.List<Object> values = new java.util.ArrayList<>(java.util.List.of(afterId + 1, width, afterId));
        if (belowId != null) {
            values.add(belowId);
        }
        values.add(cutoff(cutoffEpochMs));
        for (int i = 0; i < 4; i++) {
            values.add(batch);
        }
        return Tuple.tuple(values);
    }

    /**
     * For each of {@code reads} buckets of {@link #rangeEnds}: the eligible ids of ranks {@code offset + 1} to {@code offset +
     * count} among the eligible ids {@code lo..hi}, in id order, as rows {@code (q, k)}: read {@code q} (0 to {@code reads - 1}),
     * id {@code k}. Each read is a range scan on PRIMARY of its bucket only; one statement carries them all (one round trip).
     * Arguments: lo, hi, cutoff, offset, count of each read in turn ({@link #rankedIdsArgs}).
     */
    public String rankedIds(int reads) {
        if (reads < 1) {
            throw new IllegalArgumentException("at least one read, was " + reads);
        }
        StringBuilder sql = new StringBuilder();
        for (int q = 0; q < reads; q++) {
            sql.append(q == 0 ? "(" : " UNION ALL (").append("SELECT ").append(q).append(" AS q, ").append(id).append(" AS k FROM ")
                    .append(table).append(" FORCE INDEX (PRIMARY) WHERE ").append(id).append(" BETWEEN ? AND ? AND ").append(date)
                    .append(" < ? ORDER BY ").append(id).append(" LIMIT ?, ?)");
        }
        return sql.append(" ORDER BY q, k").toString();
    }

    /** The arguments of {@link #rankedIds}: per read its {@code lo, hi, offset, count}, in turn. */
    public Tuple rankedIdsArgs(long cutoffEpochMs, java.util.List<long[]> reads) {
        Object cutoff = cutoff(cutoffEpochMs);
        java.util.List<Object> values = new java.util.ArrayList<>(reads.size() * 5);
        for (long[] read : reads) {
            values.add(read[0]);
            values.add(read[1]);
            values.add(cutoff);
            values.add(read[2]);
            values.add(read[3]);
        }
        return Tuple.tuple(values);
    }

    /**
     * The primary key's ends and the server's estimate of the table's rows (information_schema, never a count): how wide the
     * buckets of {@link #rangeEnds} are cut. Argument: the table's name, {@link #tableName()}.
     */
    public String idSpan() {
        return "SELECT MIN(" + id + ") AS lo, MAX(" + id + ") AS hi, (SELECT TABLE_ROWS FROM information_schema.TABLES"
                + " WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ?) AS est FROM " + table;
    }

    /** The table's name, unquoted. */
    public String tableName() {
        return tableName;
    }

    /**
     * Every eligible row's id after an id, in id order: one index range scan on PRIMARY that the planner streams and cuts into
     * batches as it reads (never a query per batch, never a list of the ids). Arguments: {@link #eligibleIdsArgs}.
     */
    public String eligibleIds() {
        return "SELECT " + id + " FROM " + table + " FORCE INDEX (PRIMARY) WHERE " + id + " > ? AND " + date + " < ? ORDER BY " + id;
    }

    public Tuple eligibleIdsArgs(long afterId, long cutoffEpochMs) {
        return Tuple.of(afterId, cutoff(cutoffEpochMs));
    }

    /**
     * {@link #nextBatch} below an id (exclusive): the walk stops short of a key range held in the source table
     * (docs/archive.md#holds). Arguments: {@link #nextBatchBelowArgs}.
     */
    public String nextBatchBelow() {
        return "SELECT COUNT(*) AS n, MIN(b.id) AS lo, MAX(b.id) AS hi FROM (SELECT " + id + " AS id FROM " + table
                + " FORCE INDEX (PRIMARY) WHERE " + id + " > ? AND " + id + " < ? AND " + date + " < ? ORDER BY " + id + " LIMIT ?) b";
    }

    public Tuple nextBatchBelowArgs(long afterId, long belowId, long cutoffEpochMs, int limit) {
        return Tuple.of(afterId, belowId, cutoff(cutoffEpochMs), limit);
    }

    /**
     * The date column's smallest and largest values: with an index led by the column, the server reads one entry at each end
     * of it (EXPLAIN: "Select tables optimized away"), never the table. Run it only where {@link TableFactsReader} found one.
     */
    public String dateBounds() {
        return "SELECT MIN(" + date + ") AS lo, MAX(" + date + ") AS hi FROM " + table;
    }

    /** The newest eligible date: one lookup in the date index, just below the cutoff. Argument: the cutoff. */
    public String newestEligible() {
        return "SELECT MAX(" + date + ") AS hi FROM " + table + " WHERE " + date + " < ?";
    }

    /**
     * How many rows are not eligible (at or after the cutoff, or without a date): a range scan of the date index
     * {@code dateIndex} from the cutoff on, which reads index entries only. Argument: the cutoff.
     */
    public String notEligibleCount(String dateIndex) {
        return "SELECT COUNT(*) AS n FROM " + table + " FORCE INDEX (" + quote(dateIndex) + ") WHERE " + date + " >= ? OR " + date
                + " IS NULL";
    }

    public Tuple nextBatchArgs(long afterId, long cutoffEpochMs, int limit) {
        return Tuple.of(afterId, cutoff(cutoffEpochMs), limit);
    }

    public Tuple range(BatchScope scope) {
        return Tuple.of(scope.firstId(), scope.lastId(), cutoff(scope.cutoffEpochMs()));
    }

    private static String quote(String identifier) {
        return "`" + identifier.replace("`", "``") + "`";
    }
}
