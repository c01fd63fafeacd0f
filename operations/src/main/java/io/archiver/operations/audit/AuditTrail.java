package io.archiver.operations.audit;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.TextNode;
import io.archiver.ledger.AuditRows;
import io.archiver.ledger.LedgerSql;
import io.archiver.operations.OperationFailed;
import io.archiver.operations.OperationRefused;
import io.archiver.policy.PolicyStore;

/**
 * The audit trail ({@code archive_audit}, docs/archive.md#audit) of the control database over JDBC, on the caller's connection
 * and so in the caller's transaction: a hold is placed, or rows are purged, together with their audit row or not at all. It only
 * appends (and reads: what archivectl's {@code audit} and the API's {@code /api/v1/audit} show, oldest first); the trail is never
 * changed.
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

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final Connection connection;

    public AuditTrail(Connection connection) {
        this.connection = connection;
    }

    public void append(Entry entry) throws SQLException {
        AuditRows.append(connection, new AuditRows.AuditRow(entry.atMs(), entry.actor(), entry.action(), entry.policy(), entry.table(),
                entry.runId(), entry.rows(),
                entry.objectKeys() == null || entry.objectKeys().isEmpty() ? null : PolicyStore.json(entry.objectKeys()),
                entry.digests() == null || entry.digests().isEmpty() ? null : PolicyStore.json(entry.digests()), entry.detail()));
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

    /**
     * The entries of {@code policy} (every policy when null) at or after {@code since} (from the start when null), skipping the
     * first {@code offset}, at most {@code limit}.
     */
    public List<AuditEntry> read(String policy, Instant since, int offset, int limit) {
        if (offset < 0) {
            throw new OperationRefused("offset", "must be 0 or more, not " + offset);
        }
        if (limit < 1) {
            throw new OperationRefused("limit", "must be 1 or more, not " + limit);
        }
        List<AuditEntry> entries = new ArrayList<>();
        try (PreparedStatement query = connection.prepareStatement(LedgerSql.AUDIT_PAGE)) {
            query.setString(1, policy);
            query.setString(2, policy);
            query.setLong(3, since == null ? 0 : since.toEpochMilli());
            query.setInt(4, limit);
            query.setInt(5, offset);
            try (ResultSet rs = query.executeQuery()) {
                while (rs.next()) {
                    entries.add(new AuditEntry(rs.getLong("id"), Instant.ofEpochMilli(rs.getLong("at_ms")).toString(), rs.getString("actor"),
                            rs.getString("action"), rs.getString("policy"), rs.getString("table_name"), rs.getString("run_id"),
                            rs.getString("batch_id"), rs.getLong("row_count"), jsonOrText(rs.getString("object_keys")),
                            jsonOrText(rs.getString("digests")), rs.getString("detail")));
                }
            }
        } catch (SQLException e) {
            throw new OperationFailed("cannot read the audit trail: " + e.getMessage(), e);
        }
        return entries;
    }

    private static JsonNode jsonOrText(String value) {
        if (value == null) {
            return null;
        }
        try {
            return MAPPER.readTree(value);
        } catch (JsonProcessingException e) {
            return TextNode.valueOf(value);
        }
    }
}
