package io.archiver.ledger;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * Appends one row to the audit trail ({@code archive_audit}, V11, docs/archive.md#audit) on the caller's JDBC connection, so in
 * the caller's transaction: the effect and its audit row commit together or not at all. The one JDBC writer of the trail, used
 * by the operations' {@code AuditTrail} and the policy and source stores.
 */
public final class AuditRows {

    private static final int DETAIL_LENGTH = 1024;
    private static final int ACTOR_LENGTH = 128;

    /**
     * One audit row: when, who, what ({@code action}, policy, table, run), how many rows, which objects (a JSON array or null),
     * their digests (a JSON object or null) and a free text detail (cut to the column's 1024 characters).
     */
    public record AuditRow(long atMs, String actor, String action, String policy, String table, String runId, long rows,
            String objectKeysJson, String digestsJson, String detail) {
    }

    private AuditRows() {
    }

    public static void append(Connection connection, AuditRow row) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(LedgerSql.AUDIT_INSERT)) {
            insert.setLong(1, row.atMs());
            String actor = row.actor() == null || row.actor().isBlank() ? "unknown" : row.actor();
            insert.setString(2, actor.length() <= ACTOR_LENGTH ? actor : actor.substring(0, ACTOR_LENGTH));
            insert.setString(3, row.action());
            insert.setString(4, row.policy());
            insert.setString(5, row.table());
            insert.setString(6, row.runId());
            insert.setString(7, null);
            insert.setLong(8, row.rows());
            insert.setString(9, row.objectKeysJson());
            insert.setString(10, row.digestsJson());
            String detail = row.detail();
            insert.setString(11, detail == null || detail.length() <= DETAIL_LENGTH ? detail : detail.substring(0, DETAIL_LENGTH - 3) + "...");
            insert.executeUpdate();
        }
    }
}
