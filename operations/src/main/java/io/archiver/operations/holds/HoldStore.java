package io.archiver.operations.holds;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The one owner of {@code archive_hold} (ledger migration V15) over JDBC, on the caller's connection and transaction. It also
 * answers which archive-table keys a hold covers, from the ledger's batches ({@code archive_batch}): the key ranges of a
 * run's batches, or of the batch that wrote an object.
 */
public final class HoldStore {

    private static final String COLUMNS = "id, policy, scope, run_id, object_key, first_key, last_key, reason, placed_by, placed_at_ms,"
            + " until_ms, released_by, released_at_ms, keep_in_source";

    /** An inclusive key range of archive-table rows a hold covers. */
    public record KeyRange(long first, long last) {
    }

    private final Connection connection;

    public HoldStore(Connection connection) {
        this.connection = connection;
    }

    /** Stores a new hold placed at {@code now}; returns it with its id. */
    public Hold insert(HoldOrder order, Instant now) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO archive_hold (policy, scope, run_id, object_key, first_key,"
                + " last_key, reason, placed_by, placed_at_ms, until_ms, keep_in_source) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                Statement.RETURN_GENERATED_KEYS)) {
            insert.setString(1, order.policy());
            insert.setString(2, order.scope().name());
            insert.setString(3, order.runId());
            insert.setString(4, order.objectKey());
            insert.setObject(5, order.firstKey());
            insert.setObject(6, order.lastKey());
            insert.setString(7, order.reason());
            insert.setString(8, order.actor());
            insert.setLong(9, now.toEpochMilli());
            insert.setObject(10, order.until() == null ? null : order.until().toEpochMilli());
            insert.setBoolean(11, order.keepInSource());
            insert.executeUpdate();
            try (ResultSet keys = insert.getGeneratedKeys()) {
                keys.next();
                return find(keys.getLong(1), false).orElseThrow();
            }
        }
    }

    /** The hold of that id; {@code lock} takes its row for the rest of the transaction. */
    public Optional<Hold> find(long id, boolean lock) throws SQLException {
        List<Hold> found = query("SELECT " + COLUMNS + " FROM archive_hold WHERE id = ?" + (lock ? " FOR UPDATE" : ""), id);
        return found.stream().findFirst();
    }

    /** Marks the hold released by {@code actor} at {@code now}; false if it already was. */
    public boolean release(long id, String actor, Instant now) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement(
                "UPDATE archive_hold SET released_by = ?, released_at_ms = ? WHERE id = ? AND released_at_ms IS NULL")) {
            update.setString(1, actor);
            update.setLong(2, now.toEpochMilli());
            update.setLong(3, id);
            return update.executeUpdate() == 1;
        }
    }

    /** Every hold (of one policy, or all with null), oldest first: in force or not. */
    public List<Hold> list(String policy) throws SQLException {
        return policy == null ? query("SELECT " + COLUMNS + " FROM archive_hold ORDER BY id")
                : query("SELECT " + COLUMNS + " FROM archive_hold WHERE policy = ? ORDER BY id", policy);
    }

    /** The holds of {@code policy} in force at {@code now}. */
    public List<Hold> active(String policy, Instant now) throws SQLException {
        return query("SELECT " + COLUMNS + " FROM archive_hold WHERE policy = ? AND released_at_ms IS NULL AND (until_ms IS NULL OR until_ms > ?)"
                + " ORDER BY id", policy, now.toEpochMilli());
    }

    /**
     * The archive-table keys a hold covers, from the ledger's batches; empty for a policy-wide hold, which
     * covers every row (the caller checks {@link HoldScope#POLICY} first). An object or run the ledger does not know covers
     * no row (its rows, if any, are not in the archive table through Archiver).
     */
    public List<KeyRange> keyRanges(Hold hold) throws SQLException {
        return switch (hold.scope()) {
            case POLICY -> List.of();
            case KEY_RANGE -> List.of(new KeyRange(hold.firstKey(), hold.lastKey()));
            case RUN -> ranges("SELECT first_id, last_id FROM archive_batch WHERE run_id = ?", hold.runId());
            case OBJECT -> ranges("SELECT first_id, last_id FROM archive_batch WHERE object_key = ?", hold.objectKey());
        };
    }

    private List<KeyRange> ranges(String sql, String value) throws SQLException {
        List<KeyRange> ranges = new ArrayList<>();
        try (PreparedStatement query = connection.prepareStatement(sql)) {
            query.setString(1, value);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    ranges.add(new KeyRange(rows.getLong(1), rows.getLong(2)));
                }
            }
        }
        return ranges;
    }

    private List<Hold> query(String sql, Object... args) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                query.setObject(i + 1, args[i]);
            }
            List<Hold> holds = new ArrayList<>();
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    holds.add(new Hold(rows.getLong("id"), rows.getString("policy"), HoldScope.valueOf(rows.getString("scope")),
                            rows.getString("run_id"), rows.getString("object_key"), (Long) nullable(rows, "first_key"),
                            (Long) nullable(rows, "last_key"), rows.getString("reason"), rows.getString("placed_by"),
                            Instant.ofEpochMilli(rows.getLong("placed_at_ms")), instant(rows, "until_ms"), rows.getString("released_by"),
                            instant(rows, "released_at_ms"), rows.getBoolean("keep_in_source")));
                }
            }
            return holds;
        }
    }

    private static Object nullable(ResultSet rows, String column) throws SQLException {
        long value = rows.getLong(column);
        return rows.wasNull() ? null : value;
    }

    private static Instant instant(ResultSet rows, String column) throws SQLException {
        long value = rows.getLong(column);
        return rows.wasNull() ? null : Instant.ofEpochMilli(value);
    }
}
