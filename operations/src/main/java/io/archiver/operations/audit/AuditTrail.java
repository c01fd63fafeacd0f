package io.archiver.operations.audit;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.TextNode;

import io.archiver.ledger.LedgerSql;
import io.archiver.operations.OperationFailed;
import io.archiver.operations.OperationRefused;

/**
 * The audit trail ({@code archive_audit}) of the control database, read only, oldest first: what archivectl's {@code audit} and the
 * API's {@code /api/v1/audit} show. Nothing here writes it (the services append; no one changes it). The caller owns the connection.
 */
public final class AuditTrail {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final Connection connection;

    public AuditTrail(Connection connection) {
        this.connection = connection;
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
