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
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.archiver.operations.Transactions;
import io.archiver.operations.audit.AuditTrail;
import io.archiver.operations.holds.HoldStore;
import io.archiver.policy.PolicySpec;
import io.archiver.support.policy.DateCutoff;

/**
 * Purges a MOVE policy's archive table: rows whose date column is before {@code now - archive-table-retention} and whose key
 * no hold covers, in short transactions of at most {@code batchRows} rows, each removing its rows and appending their audit
 * row together (promise 9), so a kill between two batches leaves every removed row audited and nothing half done.
 */
final class RowPurge {

    private final Connection control;
    private final String actor;
    private final int batchRows;

    RowPurge(Connection control, String actor, int batchRows) {
        this.control = control;
        this.actor = actor;
        this.batchRows = batchRows;
    }

    /** {@code heldRanges} null: a policy-wide hold keeps every row. */
    PurgeReport.Rows purge(PolicySpec policy, Instant now, List<HoldStore.KeyRange> heldRanges, boolean dryRun) throws SQLException {
        Instant cutoff = now.minus(policy.archiveTableRetention());
        Object bound = DateCutoff.bound(policy.dateKind(), policy.dateZone(), cutoff.toEpochMilli());
        String table = quoted(policy.archiveTable());
        String key = quoted(policy.keyColumn());
        String due = quoted(policy.dateColumn()) + " < ?";
        if (DateCutoff.needsUtcSession(policy.dateKind())) {
            try (Statement session = control.createStatement()) {
                session.execute("SET time_zone = '+00:00'");
            }
        }
        long dueRows = count("SELECT COUNT(*) FROM " + table + " WHERE " + due, List.of(bound));
        if (heldRanges == null) {
            return new PurgeReport.Rows(policy.archiveTable(), cutoff, dueRows, 0, dueRows, 0, null);
        }
        StringBuilder free = new StringBuilder(due);
        List<Object> args = new ArrayList<>(List.of(bound));
        for (HoldStore.KeyRange range : heldRanges) {
            free.append(" AND NOT (").append(key).append(" BETWEEN ? AND ?)");
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
            long removed = Transactions.inTransaction(control, "purge " + policy.archiveTable(), () -> batch(policy, now, table, key, free.toString(), args));
            if (removed == 0) {
                break;
            }
            purged += removed;
            batches++;
        }
        return new PurgeReport.Rows(policy.archiveTable(), cutoff, dueRows, purged, dueRows - purgeable, batches, null);
    }

    /** One short transaction: lock the next rows due, remove them, audit them. */
    private long batch(PolicySpec policy, Instant now, String table, String key, String where, List<Object> args) throws SQLException {
        List<Long> keys = new ArrayList<>();
        try (PreparedStatement select = control.prepareStatement("SELECT " + key + " FROM " + table + " WHERE " + where + " ORDER BY " + key
                + " LIMIT " + batchRows + " FOR UPDATE")) {
            bind(select, args);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    keys.add(rows.getLong(1));
                }
            }
        }
        if (keys.isEmpty()) {
            return 0;
        }
        int removed;
        try (PreparedStatement delete = control.prepareStatement("DELETE FROM " + table + " WHERE " + key + " IN ("
                + String.join(",", java.util.Collections.nCopies(keys.size(), "?")) + ") AND " + where)) {
            int i = 1;
            for (Long k : keys) {
                delete.setLong(i++, k);
            }
            for (Object arg : args) {
                delete.setObject(i++, arg);
            }
            removed = delete.executeUpdate();
        }
        Map<String, Object> digests = new LinkedHashMap<>();
        digests.put("keysSha256", keysDigest(keys));
        new AuditTrail(control).append(new AuditTrail.Entry(now.toEpochMilli(), actor, AuditTrail.ROWS_PURGED, policy.name(),
                policy.archiveTable(), null, removed, List.of(), digests, "keys " + keys.get(0) + ".." + keys.get(keys.size() - 1) + " of "
                        + policy.archiveTable() + ", " + policy.dateColumn() + " before the archive-table-retention "
                        + PolicySpec.text(policy.archiveTableRetention())));
        return removed;
    }

    /** SHA-256 of the purged keys, one per line in ascending order: which rows an audit row stands for, checkable later. */
    static String keysDigest(List<Long> keys) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (Long key : keys) {
                sha.update((key + "\n").getBytes(StandardCharsets.US_ASCII));
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private long count(String sql, List<Object> args) throws SQLException {
        try (PreparedStatement query = control.prepareStatement(sql)) {
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
