package io.archiver.operations.restores;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.archiver.ledger.RestoreRecord;
import io.archiver.ledger.RestoreSql;
import io.archiver.ledger.RestoreState;
import io.archiver.operations.OperationFailed;

/**
 * The restores' records ({@code archive_restore}, its objects and conflicts, written by the deleter) read over JDBC with the
 * ledger's {@link RestoreSql}: what archivectl restore status and the API show. Read-only; the caller owns the connection.
 */
public final class RestoreReader {

    /** One object of a restore and its figures. */
    public record ObjectProgress(String objectKey, boolean done, long recordsDone, long restored, long skipped, long conflicting) {
    }

    /** A key whose row in the target holds other values than the archive, and the object it was archived in. */
    public record Conflict(String key, String objectKey) {
    }

    private final Connection connection;
    private final String where;

    public RestoreReader(Connection connection, String where) {
        this.connection = connection;
        this.where = where;
    }

    public Optional<RestoreRecord> find(String restoreId) {
        return query(RestoreSql.RESTORE, List.of(restoreId), RestoreReader::record).stream().findFirst();
    }

    /** The latest restores, newest first, of one policy or all (null). */
    public List<RestoreRecord> latest(String policy, int limit) {
        List<Object> args = new ArrayList<>();
        args.add(policy);
        args.add(policy);
        args.add(limit);
        return query(RestoreSql.LATEST_RESTORES, args, RestoreReader::record);
    }

    public List<ObjectProgress> objects(String restoreId) {
        return query(RestoreSql.OBJECTS, List.of(restoreId), rs -> new ObjectProgress(rs.getString("object_key"), rs.getBoolean("done"),
                rs.getLong("records_done"), rs.getLong("rows_restored"), rs.getLong("rows_skipped"), rs.getLong("rows_conflicting")));
    }

    public List<Conflict> conflicts(String restoreId, int limit) {
        return query(RestoreSql.CONFLICTS, List.of(restoreId, limit), rs -> new Conflict(rs.getString(1), rs.getString(2)));
    }

    /** A restore's record as archivectl's {@code restore status --json} and the API show it: times as ISO-8601 text. */
    public static Map<String, Object> toJson(RestoreRecord r) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("restoreId", r.restoreId());
        doc.put("state", r.state().name());
        doc.put("policy", r.policy());
        doc.put("table", r.table());
        doc.put("scope", r.scope());
        doc.put("target", r.targetTable());
        doc.put("intoSource", r.intoSource());
        doc.put("dryRun", r.dryRun());
        doc.put("requestedBy", r.requestedBy());
        doc.put("objectsTotal", r.objectsTotal());
        doc.put("objectsDone", r.objectsDone());
        doc.put("rowsRestored", r.rowsRestored());
        doc.put("rowsSkipped", r.rowsSkipped());
        doc.put("rowsConflicting", r.rowsConflicting());
        doc.put("error", r.error());
        doc.put("requestedAt", Instant.ofEpochMilli(r.requestedAtMs()).toString());
        doc.put("completedAt", r.completedAtMs() == null ? null : Instant.ofEpochMilli(r.completedAtMs()).toString());
        return doc;
    }

    private static RestoreRecord record(ResultSet rs) throws SQLException {
        long completed = rs.getLong("completed_at_ms");
        Long completedAt = rs.wasNull() ? null : completed;
        return new RestoreRecord(rs.getString("restore_id"), rs.getString("policy"), rs.getString("table_name"), rs.getString("target_table"),
                rs.getString("scope"), rs.getBoolean("into_source"), rs.getBoolean("dry_run"), rs.getString("requested_by"),
                RestoreState.valueOf(rs.getString("state")), rs.getInt("objects_total"), rs.getInt("objects_done"), rs.getLong("rows_restored"),
                rs.getLong("rows_skipped"), rs.getLong("rows_conflicting"), rs.getString("error"), rs.getLong("requested_at_ms"),
                rs.getLong("updated_at_ms"), completedAt);
    }

    @FunctionalInterface
    private interface Mapper<T> {
        T map(ResultSet rs) throws SQLException;
    }

    private <T> List<T> query(String sql, List<?> args, Mapper<T> mapper) {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < args.size(); i++) {
                statement.setObject(i + 1, args.get(i));
            }
            List<T> found = new ArrayList<>();
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    found.add(mapper.map(rs));
                }
            }
            return found;
        } catch (SQLException e) {
            throw new OperationFailed("cannot read the restores from " + where + ": " + e.getMessage(), e);
        }
    }
}
