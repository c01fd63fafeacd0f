package io.archiver.operations.purge;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import io.archiver.events.KeyValue;
import io.archiver.operations.Transactions;
import io.archiver.operations.audit.AuditTrail;
import io.archiver.operations.holds.HoldStore;
import io.archiver.policy.PolicySpec;
import io.archiver.support.policy.DateCutoff;

/**
 * Purges a MOVE policy's archive table: rows whose date column is before {@code now - archive-table-retention} and whose key
 * no hold covers, in short transactions of at most {@code batchRows} rows, each removing its rows by their whole key
 * (docs/keys.md) and appending their audit row. In the control database both in one commit (promise 9), so a kill between two
 * batches leaves every removed row audited and nothing half done. In another source's database ({@code tables} is not
 * {@code control}) one transaction cannot span the two servers: each batch's rows are locked and deleted there, its audit row
 * committed in the control database, and only then the deletes: a row is never removed unaudited; a stop between the two commits
 * leaves an audit row for rows still there, which the next purge removes with an audit row of its own.
 */
final class RowPurge {

    private static final Set<String> INTEGER_TYPES = Set.of("tinyint", "smallint", "mediumint", "int", "integer", "bigint");

    private final Connection tables;
    private final Connection control;
    private final String actor;
    private final int batchRows;

    /** {@code tables}: the connection to the archive table's database, {@code control} itself for the control database's. */
    RowPurge(Connection tables, Connection control, String actor, int batchRows) {
        this.tables = tables;
        this.control = control;
        this.actor = actor;
        this.batchRows = batchRows;
    }

    /** {@code heldRanges} null: a policy-wide hold keeps every row. */
    PurgeReport.Rows purge(PolicySpec policy, Instant now, List<HoldStore.KeyRange> heldRanges, boolean dryRun) throws SQLException {
        Instant cutoff = now.minus(policy.archiveTableRetention());
        Object bound = DateCutoff.bound(policy.dateKind(), policy.dateZone(), cutoff.toEpochMilli());
        String table = quoted(policy.archiveTable());
        String due = quoted(policy.dateColumn()) + " < ?";
        if (DateCutoff.needsUtcSession(policy.dateKind())) {
            try (Statement session = tables.createStatement()) {
                session.execute("SET time_zone = '+00:00'");
            }
        }
        long dueRows = count("SELECT COUNT(*) FROM " + table + " WHERE " + due, List.of(bound));
        if (heldRanges == null) {
            return new PurgeReport.Rows(policy.archiveTable(), cutoff, dueRows, 0, dueRows, 0, null);
        }
        if (!heldRanges.isEmpty() && !oneIntegerKey(policy)) {
            // a hold's key range (and a run's or object's batches) is an id range: for a whole key it cannot say which rows it
            // covers, so every row stays while the hold is in force
            return new PurgeReport.Rows(policy.archiveTable(), cutoff, dueRows, 0, dueRows, 0, "a hold covers policy " + policy.name()
                    + ", whose key " + policy.key() + " is not one integer column: every row is kept while it is in force");
        }
        StringBuilder free = new StringBuilder(due);
        List<Object> args = new ArrayList<>(List.of(bound));
        for (HoldStore.KeyRange range : heldRanges) {
            free.append(" AND NOT (").append(quoted(policy.keyColumn())).append(" BETWEEN ? AND ?)");
            args.add(range.first());
            args.add(range.last());
        }
        long purgeable = count("SELECT COUNT(*) FROM " + table + " WHERE " + free, args);
        if (dryRun) {
            return new PurgeReport.Rows(policy.archiveTable(), cutoff, dueRows, purgeable, dueRows - purgeable, 0, null);
        }
        long purged = 0;
        int batches = 0;
        while (true) {
            long removed = Transactions.inTransaction(tables, "purge " + policy.archiveTable(), () -> batch(policy, now, table, free.toString(),
                    args));
            if (removed == 0) {
                break;
            }
            purged += removed;
            batches++;
        }
        return new PurgeReport.Rows(policy.archiveTable(), cutoff, dueRows, purged, dueRows - purgeable, batches, null);
    }

    /** Whether the policy's key is one integer column (a hold's key range is a range of it). */
    private boolean oneIntegerKey(PolicySpec policy) throws SQLException {
        if (policy.key().size() != 1) {
            return false;
        }
        try (PreparedStatement query = tables.prepareStatement("SELECT DATA_TYPE, COLUMN_TYPE FROM information_schema.COLUMNS"
                + " WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? AND COLUMN_NAME = ?")) {
            query.setString(1, policy.archiveTable());
            query.setString(2, policy.keyColumn());
            try (ResultSet rows = query.executeQuery()) {
                // BIGINT UNSIGNED reaches past a hold's long range
                return rows.next() && INTEGER_TYPES.contains(rows.getString(1).toLowerCase(Locale.ROOT))
                        && !rows.getString(2).toLowerCase(Locale.ROOT).matches("bigint.*unsigned.*");
            }
        }
    }

    /** One short transaction on the archive table's database: lock the next rows due, remove them, audit them. */
    private long batch(PolicySpec policy, Instant now, String table, String where, List<Object> args) throws SQLException {
        List<String> key = policy.key();
        String columns = key.stream().map(RowPurge::quoted).collect(Collectors.joining(", "));
        List<List<Object>> keys = new ArrayList<>();
        List<String> texts = new ArrayList<>();
        try (PreparedStatement select = tables.prepareStatement("SELECT " + columns + " FROM " + table + " WHERE " + where + " ORDER BY "
                + columns + " LIMIT " + batchRows + " FOR UPDATE")) {
            bind(select, args);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    List<Object> values = new ArrayList<>(key.size());
                    List<String> parts = new ArrayList<>(key.size());
                    for (int i = 1; i <= key.size(); i++) {
                        values.add(rows.getObject(i)); // as the driver gives it: a BIGINT UNSIGNED exact, a DATE a date
                        parts.add(rows.getString(i));
                    }
                    keys.add(values);
                    texts.add(key.size() == 1 ? parts.get(0) : new KeyValue(parts).text());
                }
            }
        }
        if (keys.isEmpty()) {
            return 0;
        }
        String one = key.size() == 1 ? "?" : "(" + String.join(", ", Collections.nCopies(key.size(), "?")) + ")";
        int removed;
        try (PreparedStatement delete = tables.prepareStatement("DELETE FROM " + table + " WHERE " + (key.size() == 1 ? columns : "(" + columns + ")")
                + " IN (" + String.join(",", Collections.nCopies(keys.size(), one)) + ") AND " + where)) {
            int i = 1;
            for (List<Object> values : keys) {
                for (Object value : values) {
                    delete.setObject(i++, value);
                }
            }
            for (Object arg : args) {
                delete.setObject(i++, arg);
            }
            removed = delete.executeUpdate();
        }
        Map<String, Object> digests = new LinkedHashMap<>();
        digests.put("keysSha256", keysDigest(texts));
        AuditTrail.Entry entry = new AuditTrail.Entry(now.toEpochMilli(), actor, AuditTrail.ROWS_PURGED, policy.name(), policy.archiveTable(),
                null, removed, List.of(), digests, "keys " + texts.get(0) + ".." + texts.get(texts.size() - 1) + " of " + policy.archiveTable()
                        + (tables == control ? "" : " in source " + policy.source()) + ", " + policy.dateColumn()
                        + " before the archive-table-retention " + PolicySpec.text(policy.archiveTableRetention()));
        if (tables == control) {
            new AuditTrail(control).append(entry); // in this batch's commit
        } else {
            // committed before the source's deletes (their commit follows when this returns): never a removal unaudited
            Transactions.inTransaction(control, "audit the purge of " + policy.archiveTable(), () -> {
                new AuditTrail(control).append(entry);
                return null;
            });
        }
        return removed;
    }

    /**
     * SHA-256 of the purged keys, one per line in ascending key order (a one-column key's value, a whole key's JSON text,
     * {@link KeyValue#text}): which rows an audit row stands for, checkable later.
     */
    static String keysDigest(List<String> keys) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (String key : keys) {
                sha.update((key + "\n").getBytes(StandardCharsets.UTF_8));
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private long count(String sql, List<Object> args) throws SQLException {
        try (PreparedStatement query = tables.prepareStatement(sql)) {
            bind(query, args);
            try (ResultSet rows = query.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }

    private static void bind(PreparedStatement statement, List<Object> args) throws SQLException {
        for (int i = 0; i < args.size(); i++) {
            statement.setObject(i + 1, args.get(i));
        }
    }

    /** A policy's identifiers are plain (PolicySpec refuses others); quoted so that a reserved word is a name. */
    private static String quoted(String identifier) {
        return "`" + identifier + "`";
    }
}
