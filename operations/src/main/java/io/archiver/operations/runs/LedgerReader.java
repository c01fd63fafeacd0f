package io.archiver.operations.runs;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLSyntaxErrorException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import io.archiver.events.RunStatistics;
import io.archiver.ledger.LedgerSql;
import io.archiver.operations.OperationFailed;

/**
 * The run ledger ({@code archive_run}, {@code archive_batch}, written by the scanner and the deleter) read over JDBC with the
 * ledger module's {@link LedgerSql}: what archivectl's status and the API's runs show. Read-only; the caller owns the connection.
 */
public final class LedgerReader {

    private final Connection connection;
    private final String where;

    /** {@code where} names the database in messages (a URL without its parameters, never a credential). */
    public LedgerReader(Connection connection, String where) {
        this.connection = connection;
        this.where = where;
    }

    /** A run with its batches, if the ledger has it. */
    public Optional<RunView> view(String runId) {
        return run(runId).map(run -> new RunView(run, batches(runId), throttlePauses(runId)));
    }

    /** The latest runs, newest first, optionally of one policy and one schedule slot. */
    public List<RunRow> latestRuns(int limit, String policy, String scheduleSlot) {
        List<Object> params = new ArrayList<>();
        if (policy != null) {
            params.add(policy);
        }
        if (scheduleSlot != null) {
            params.add(scheduleSlot);
        }
        params.add(limit);
        return query(LedgerSql.latestRuns(policy != null, scheduleSlot != null), params, LedgerReader::run);
    }

    public Optional<RunRow> run(String runId) {
        return query(LedgerSql.RUN, List.of(runId), LedgerReader::run).stream().findFirst();
    }

    /** The run that holds {@code scheduleSlot} of {@code policy}, if any (one slot gives one run). */
    public Optional<RunRow> runOfSlot(String policy, String scheduleSlot) {
        return query(LedgerSql.RUN_OF_SLOT, List.of(policy, scheduleSlot), LedgerReader::run).stream().findFirst();
    }

    /** The run's pauses of the deleter's health throttle, by reason, longest first. */
    public List<ThrottleSummary> throttlePauses(String runId) {
        return query(LedgerSql.RUN_THROTTLE_PAUSES, List.of(runId),
                rs -> new ThrottleSummary(rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getString(4)));
    }

    public List<BatchRow> batches(String runId) {
        return query(LedgerSql.BATCHES_OF_RUN, List.of(runId), LedgerReader::batch);
    }

    /** The table's average row length as the server estimates it (information_schema), for a dry run's size estimate. */
    public Optional<Long> averageRowLength(String table) {
        return query("SELECT AVG_ROW_LENGTH FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ?", List.of(table),
                rs -> rs.getLong(1)).stream().findFirst();
    }

    /** For each run: its number of batches in each state. */
    public Map<String, Map<String, Long>> batchStates(Collection<String> runIds) {
        Map<String, Map<String, Long>> states = new LinkedHashMap<>();
        if (runIds.isEmpty()) {
            return states;
        }
        query(LedgerSql.batchStateCounts(runIds.size()), List.copyOf(runIds),
                rs -> {
                    states.computeIfAbsent(rs.getString(1), k -> new TreeMap<>()).put(rs.getString(2), rs.getLong(3));
                    return null;
                });
        return states;
    }

    @FunctionalInterface
    private interface RowMapper<T> {
        T map(ResultSet rs) throws SQLException;
    }

    private <T> List<T> query(String sql, List<?> params, RowMapper<T> mapper) {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < params.size(); i++) {
                statement.setObject(i + 1, params.get(i));
            }
            try (ResultSet rs = statement.executeQuery()) {
                List<T> rows = new ArrayList<>();
                while (rs.next()) {
                    rows.add(mapper.map(rs));
                }
                return rows;
            }
        } catch (SQLSyntaxErrorException e) {
            throw new OperationFailed("cannot read the ledger in " + where + ": " + e.getMessage()
                    + " (is this the scanner's database? its tables archive_run and archive_batch are created when the scanner starts)");
        } catch (SQLException e) {
            throw new OperationFailed("cannot read the ledger in " + where + ": " + e.getMessage());
        }
    }

    private static RunRow run(ResultSet rs) throws SQLException {
        return new RunRow(rs.getString("run_id"), rs.getString("policy"), rs.getString("table_name"), rs.getLong("cutoff_epoch_ms"),
                rs.getString("mode"), String.valueOf(rs.getDate("run_date")), rs.getBoolean("dry_run"), rs.getString("schedule_slot"),
                rs.getString("requested_by"), rs.getString("state"), rs.getString("outcome"), rs.getInt("batches_planned"),
                rs.getLong("rows_found"), rs.getLong("requested_at_ms"), nullableLong(rs, "planned_at_ms"), nullableLong(rs, "completed_at_ms"),
                new RunRow.Rails(rs.getString("reason"), rs.getString("reason_detail"), rs.getString("date_min_value"), rs.getString("date_max_value"),
                        nullableLong(rs, "table_rows"), nullableLong(rs, "oldest_row_ms"), nullableLong(rs, "newest_eligible_ms"),
                        nullableLong(rs, "released_at_ms"), rs.getString("confirmed_by"), nullableLong(rs, "confirmed_at_ms")),
                statistics(rs));
    }

    /** The statistics fixed at completion ({@link LedgerSql#RUN_STATISTICS_COLUMNS}), or null before. */
    private static RunStatistics statistics(ResultSet rs) throws SQLException {
        if (nullableLong(rs, "stats_rows_found") == null) {
            return null;
        }
        return new RunStatistics(rs.getLong("stats_rows_found"), rs.getLong("stats_rows_exported"), rs.getLong("stats_rows_uploaded"),
                rs.getLong("stats_rows_removed"), rs.getLong("stats_rows_failed"), rs.getLong("stats_batches"), rs.getLong("stats_batches_failed"),
                rs.getLong("stats_bytes_uploaded"), rs.getLong("stats_objects"), rs.getLong("stats_duration_ms"),
                rs.getLong("stats_rows_kept_changed"), rs.getLong("stats_rows_kept_not_in_object"), rs.getLong("stats_rows_missing"));
    }

    private static BatchRow batch(ResultSet rs) throws SQLException {
        return new BatchRow(rs.getString("batch_id"), rs.getString("run_id"), rs.getInt("seq"), rs.getLong("first_id"), rs.getLong("last_id"),
                rs.getLong("expected_rows"), rs.getString("state"), nullableLong(rs, "rows_exported"), nullableLong(rs, "file_bytes"),
                rs.getString("object_key"), nullableLong(rs, "object_bytes"), nullableLong(rs, "rows_uploaded"), nullableLong(rs, "rows_removed"),
                rs.getString("failed_stage"), rs.getString("failure_reason"), rs.getString("failure_detail"), rs.getLong("updated_at_ms"),
                nullableLong(rs, "rows_kept_changed"), nullableLong(rs, "rows_kept_not_in_object"), nullableLong(rs, "rows_missing"),
                rs.getString("exceptions_key"));
    }

    private static Long nullableLong(ResultSet rs, String column) throws SQLException {
        long value = rs.getLong(column);
        return rs.wasNull() ? null : value;
    }
}
