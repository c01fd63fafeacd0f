package io.archiver.system;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongFunction;

import io.archiver.events.KeyValue;
import io.archiver.ledger.BatchState;
import io.archiver.localstack.pipeline.ArchiveBucket;
import io.archiver.rows.ShardFormat;

/**
 * One policy's rows over a fault suite, for a table of any key and date column that no concurrent writer touches: every row
 * seen before a run (by key, the digest of its canonical values), the keys some run found eligible, and at the end the
 * invariants read back from the verified objects the ledger names as removed: none lost, none archived twice, none deleted
 * that was never eligible, every archived value equal to the original. A row's key is its key columns' {@link KeyValue#text()}.
 */
final class PolicyHistory {

    /** Opens a connection to the database the policy's table is in. */
    interface Database {
        Connection open() throws SQLException;
    }

    /** The invariants' figures, named as the fault report prints them. */
    record Figures(long seen, long eligible, long archived, long removed, long keptEligible, long lost, long archivedTwice,
            long wronglyDeleted, long differing) {

        Map<String, Long> named() {
            Map<String, Long> named = new LinkedHashMap<>();
            named.put("rows seeded", seen);
            named.put("rows eligible (over all runs)", eligible);
            named.put("rows archived (in verified objects)", archived);
            named.put("rows deleted from the table", removed);
            named.put("eligible rows kept in the table", keptEligible);
            named.put("rows lost (must be 0)", lost);
            named.put("rows archived twice (must be 0)", archivedTwice);
            named.put("rows wrongly deleted (must be 0)", wronglyDeleted);
            named.put("archived rows whose values differ (must be 0)", differing);
            return named;
        }
    }

    final String policy;
    final String table;
    final String prefix;
    private final List<String> keyColumns;
    private final String dateColumn;
    private final Database database;
    /** The cutoff in the date column's own type, as a statement binds it. */
    private final LongFunction<Object> cutoffBound;
    private final Map<String, String> originals = new HashMap<>();
    private final Set<String> everEligible = new HashSet<>();

    PolicyHistory(String policy, String table, String prefix, List<String> keyColumns, String dateColumn, Database database,
            LongFunction<Object> cutoffBound) {
        this.policy = policy;
        this.table = table;
        this.prefix = prefix;
        this.keyColumns = List.copyOf(keyColumns);
        this.dateColumn = dateColumn;
        this.database = database;
        this.cutoffBound = cutoffBound;
    }

    /** Before a run with this cutoff: notes every row's values and the keys before the cutoff. */
    void beforeRun(long cutoffEpochMs) throws SQLException {
        originals.putAll(rows());
        everEligible.addAll(eligible(cutoffEpochMs));
    }

    /** The table's rows now: key text to the digest of the row's values. */
    Map<String, String> rows() throws SQLException {
        Map<String, String> rows = new HashMap<>();
        try (Connection connection = database.open(); Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("SELECT * FROM `" + table + "`")) {
            ResultSetMetaData meta = rs.getMetaData();
            List<String> columns = new ArrayList<>();
            for (int i = 1; i <= meta.getColumnCount(); i++) {
                columns.add(meta.getColumnLabel(i));
            }
            while (rs.next()) {
                List<String> values = TableSnapshot.values(rs, meta);
                rows.put(key(columns, values), TableSnapshot.digest(values));
            }
        }
        return rows;
    }

    /** The keys of the rows before the cutoff, now. */
    Set<String> eligible(long cutoffEpochMs) throws SQLException {
        Set<String> keys = new HashSet<>();
        try (Connection connection = database.open(); PreparedStatement statement = connection.prepareStatement(
                "SELECT " + String.join(", ", keyColumns) + " FROM `" + table + "` WHERE " + dateColumn + " < ?")) {
            statement.setObject(1, cutoffBound.apply(cutoffEpochMs));
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    keys.add(new KeyValue(TableSnapshot.values(rs, rs.getMetaData())).text());
                }
            }
        }
        return keys;
    }

    private String key(List<String> columns, List<String> values) {
        List<String> parts = new ArrayList<>();
        for (String column : keyColumns) {
            parts.add(values.get(columns.indexOf(column)));
        }
        return new KeyValue(parts).text();
    }

    /**
     * The whole history: the objects of this policy's batches that removed rows (all of a DELETED batch; of a batch that failed
     * after some chunks, its rows up to the last key removed), read back from S3 and compared with every row ever seen.
     */
    Figures check(Connection control, ArchiveBucket bucket) throws SQLException {
        Map<String, String> table = rows();
        Map<String, String> archived = new HashMap<>();
        long twice = 0;
        try (PreparedStatement query = control.prepareStatement("SELECT b.object_key, b.state, b.removed_through_id, b.removed_through_key"
                + " FROM archive_batch b JOIN archive_run r ON r.run_id = b.run_id WHERE r.policy = ? AND b.rows_removed > 0 AND (b.state = '"
                + BatchState.DELETED + "' OR (b.state = '" + BatchState.FAILED + "' AND (b.removed_through_id IS NOT NULL"
                + " OR b.removed_through_key IS NOT NULL)))")) {
            query.setString(1, policy);
            try (ResultSet rs = query.executeQuery()) {
                while (rs.next()) {
                    boolean whole = BatchState.DELETED.name().equals(rs.getString(2));
                    long throughId = rs.getLong(3);
                    String throughKey = rs.getString(4);
                    ShardFormat.Parsed object = ArchivedObjects.parse(rs.getString(1), bucket.read(rs.getString(1)));
                    for (List<String> row : object.rows()) {
                        String key = key(object.header(), row);
                        if (!whole && throughKey == null && Long.parseLong(row.get(object.header().indexOf(keyColumns.get(0)))) > throughId) {
                            continue; // its chunk was not reached: still in the table
                        }
                        if (archived.put(key, TableSnapshot.digest(row)) != null) {
                            twice++;
                        }
                        if (!whole && key.equals(throughKey)) {
                            break; // the rows after the last key removed are still in the table
                        }
                    }
                }
            }
        }
        long lost = originals.keySet().stream().filter(k -> !table.containsKey(k) && !archived.containsKey(k)).count();
        long wronglyDeleted = originals.keySet().stream().filter(k -> !everEligible.contains(k) && !table.containsKey(k)).count();
        long differing = archived.entrySet().stream().filter(e -> !e.getValue().equals(originals.get(e.getKey()))).count();
        long kept = everEligible.stream().filter(table::containsKey).count();
        return new Figures(originals.size(), everEligible.size(), archived.size(), originals.size() - table.size(), kept, lost, twice,
                wronglyDeleted, differing);
    }
}
