package io.archiver.system;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;

/** A restore's record in the control database ({@code archive_restore}), as the system tests read it. */
final class RestoreRecords {

    private RestoreRecords() {
    }

    /** The record's state and figures by column name, or null while the deleter has not written it yet. */
    static Map<String, Object> of(Connection connection, String restoreId) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement(
                "SELECT state, objects_total, objects_done, rows_restored, rows_skipped, rows_conflicting, error, updated_at_ms"
                        + " FROM archive_restore WHERE restore_id = ?")) {
            query.setString(1, restoreId);
            try (ResultSet rs = query.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                Map<String, Object> record = new HashMap<>();
                record.put("state", rs.getString("state"));
                record.put("objects_total", rs.getLong("objects_total"));
                record.put("objects_done", rs.getLong("objects_done"));
                record.put("rows_restored", rs.getLong("rows_restored"));
                record.put("rows_skipped", rs.getLong("rows_skipped"));
                record.put("rows_conflicting", rs.getLong("rows_conflicting"));
                record.put("error", rs.getString("error"));
                record.put("updated_at_ms", rs.getLong("updated_at_ms"));
                return record;
            }
        }
    }
}
