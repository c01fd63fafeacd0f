package io.archiver.operations.audit;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;

import io.archiver.ledger.LedgerSql;
import io.archiver.policy.PolicyStore;

/**
 * Appends to the audit trail ({@code archive_audit}, docs/archive.md#audit) over JDBC, on the caller's connection and so in
 * the caller's transaction: a hold is placed, or rows are purged, together with their audit row or not at all. Only INSERT
 * (and one SELECT to stay idempotent): the trail is never changed.
 */
public final class AuditTrail {

    public static final String HOLD_PLACED = "HOLD_PLACED";
    public static final String HOLD_RELEASED = "HOLD_RELEASED";
    public static final String ROWS_PURGED = "ROWS_PURGED";
    public static final String OBJECT_PURGED = "OBJECT_PURGED";

    /** One audit row: who, when, what, how many rows, which objects (keys) and their digests. */
    public record Entry(long atMs, String actor, String action, String policy, String table, String runId, long rows, List<String> objectKeys,
            Map<String, Object> digests, String detail) {
    }

    private final Connection connection;

    public AuditTrail(Connection connection) {
        this.connection = connection;
    }

    public void append(Entry entry) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(LedgerSql.AUDIT_INSERT)) {
            insert.setLong(1, entry.atMs());
            insert.setString(2, entry.actor());
            insert.setString(3, entry.action());
            insert.setString(4, entry.policy());
            insert.setString(5, entry.table());
            insert.setString(6, entry.runId());
            insert.setString(7, null);
            insert.setLong(8, entry.rows());
            insert.setString(9, entry.objectKeys() == null || entry.objectKeys().isEmpty() ? null : PolicyStore.json(entry.objectKeys()));
            insert.setString(10, entry.digests() == null || entry.digests().isEmpty() ? null : PolicyStore.json(entry.digests()));
            String detail = entry.detail();
            insert.setString(11, detail == null || detail.length() <= 1024 ? detail : detail.substring(0, 1021) + "...");
            insert.executeUpdate();
        }
    }

    /** Whether the trail already records {@code action} on exactly these object keys (a purge resumed after a crash). */
    public boolean records(String action, List<String> objectKeys) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("SELECT 1 FROM " + LedgerSql.AUDIT_TABLE
                + " WHERE action = ? AND object_keys = ? LIMIT 1")) {
            query.setString(1, action);
            query.setString(2, PolicyStore.json(objectKeys));
            try (var rows = query.executeQuery()) {
                return rows.next();
            }
        }
    }
}
