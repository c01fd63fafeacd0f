package io.archiver.policy;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.List;

import io.archiver.ledger.AuditRows;

/**
 * An append-only history table of versioned settings ({@code archive_policy_history}, {@code archive_source_history}): one row per
 * change with its version, kind, old and new settings as JSON, actor and time. The one reader and writer of such a table, shared by
 * {@link PolicyStore} and {@link SourceStore}; and their transactions, so that a change, its history row and its audit row
 * ({@code archive_audit}, through the ledger's {@link AuditRows}) commit together.
 */
final class ChangeHistory {

    private static final int ACTOR_LENGTH = 128;

    private final Connection connection;
    private final String table;

    ChangeHistory(Connection connection, String table) {
        this.connection = connection;
        this.table = table;
    }

    /** Who made a change as stored: blank is "unknown", a long name is cut to the column's width. */
    static String actor(String actor) {
        return actor == null || actor.isBlank() ? "unknown" : actor.length() > ACTOR_LENGTH ? actor.substring(0, ACTOR_LENGTH) : actor;
    }

    void append(PolicyChange change, String actor, long atMs) throws SQLException {
        try (PreparedStatement history = connection.prepareStatement("INSERT INTO " + table + " (name, version, change_kind,"
                + " old_value, new_value, actor, at_ms) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            history.setString(1, change.name());
            history.setInt(2, change.version());
            history.setString(3, change.kind().name());
            history.setString(4, change.oldValue() == null ? null : PolicyStore.json(change.oldValue()));
            history.setString(5, PolicyStore.json(change.newValue()));
            history.setString(6, actor(actor));
            history.setLong(7, atMs);
            history.executeUpdate();
        }
        // the same change in the audit trail, in the same transaction (promise 9): who, when, what and the settings' digests
        AuditRows.append(connection, new AuditRows.AuditRow(atMs, actor(actor), auditAction(change), "policy".equals(change.subject())
                ? change.name() : null, table(change), null, 0, null, PolicyStore.json(digests(change)), auditDetail(change)));
    }

    /** The audit trail's action of a change: {@code POLICY_CREATED}, {@code SOURCE_DISABLED}, ... */
    static String auditAction(PolicyChange change) {
        return change.subject().toUpperCase(Locale.ROOT) + "_" + change.kind().name() + "D";
    }

    private static String table(PolicyChange change) {
        Object table = change.newValue() == null ? null : change.newValue().get("table");
        return table == null ? null : table.toString();
    }

    /** The SHA-256 of the old (absent for a CREATE) and new settings as the history stores them. */
    private static Map<String, Object> digests(PolicyChange change) {
        Map<String, Object> digests = new LinkedHashMap<>();
        if (change.oldValue() != null) {
            digests.put("oldSettingsSha256", sha256(PolicyStore.json(change.oldValue())));
        }
        digests.put("newSettingsSha256", sha256(PolicyStore.json(change.newValue())));
        return digests;
    }

    /** {@code policy run version 2 UPDATE: min-age: P60D -> P90D; ...} (the history table keeps the whole old and new values). */
    private static String auditDetail(PolicyChange change) {
        return change.subject() + " " + change.name() + " version " + change.version() + " " + change.kind() + ": "
                + String.join("; ", change.diff());
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The changes of {@code name}, oldest first. */
    List<PolicyHistoryEntry> read(String name) {
        try (PreparedStatement statement = connection.prepareStatement("SELECT name, version, change_kind, old_value, new_value, actor, at_ms"
                + " FROM " + table + " WHERE name = ? ORDER BY version")) {
            statement.setString(1, name);
            List<PolicyHistoryEntry> entries = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    entries.add(new PolicyHistoryEntry(rows.getString(1), rows.getInt(2), PolicyChange.Kind.valueOf(rows.getString(3)),
                            rows.getString(4), rows.getString(5), rows.getString(6), rows.getLong(7)));
                }
            }
            return entries;
        } catch (SQLException e) {
            throw new PolicyStoreException("cannot read " + table + " of " + name, e);
        }
    }

    interface Work<T> extends JdbcTransaction.Work<T> {
    }

    /** Runs {@code work} in one transaction on {@code connection}: all of it commits, or none. */
    static <T> T inTransaction(Connection connection, String what, Work<T> work) {
        return JdbcTransaction.run(connection, work, e -> new PolicyStoreException("cannot change the " + what + ": " + e.getMessage(), e));
    }
}
