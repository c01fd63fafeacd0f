package io.archiver.policy;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;


/**
 * The one writer of the policies in the control database ({@code archive_policy}, {@code archive_policy_history}, created by
 * the ledger migration {@code V9__policies.sql}) and their reader over JDBC. {@link #apply} is declarative and idempotent:
 * each policy given is created or updated, all in one transaction with one history row per change; a policy that is
 * already as given is not touched and gets no history. The caller owns the connection.
 */
public final class PolicyStore {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int ACTOR_LENGTH = 128;

    private final Connection connection;
    private final Clock clock;

    public PolicyStore(Connection connection) {
        this(connection, Clock.systemUTC());
    }

    public PolicyStore(Connection connection, Clock clock) {
        this.connection = connection;
        this.clock = clock;
    }

    /** Every stored policy, by name. */
    public List<StoredPolicy> list() {
        return query(PolicyColumns.SELECT + " ORDER BY name", null);
    }

    public Optional<StoredPolicy> find(String name) {
        return query(PolicyColumns.SELECT + " WHERE name = ?", name).stream().findFirst();
    }

    /**
     * Refuses, changing nothing, when any policy does not fit its live table in this database ({@link LiveTableCheck}): every
     * problem at once, each naming the policy, table, column and fix. Called before {@link #plan} and {@link #apply} by archivectl.
     */
    public void checkLiveTables(String where, List<PolicySpec> specs) {
        List<String> problems = new LiveTableCheck(connection).problems(specs);
        if (!problems.isEmpty()) {
            throw new PolicyFileException(where + " against the live tables", problems);
        }
    }

    /** What {@link #apply} would change, changing nothing. */
    public List<PolicyChange> plan(List<PolicySpec> specs) {
        List<PolicyChange> changes = new ArrayList<>();
        for (PolicySpec spec : specs) {
            change(find(spec.name()), spec).ifPresent(changes::add);
        }
        return changes;
    }

    /** Creates or updates each policy given, in one transaction, with its history; returns the changes made (none if all are as given). */
    public List<PolicyChange> apply(List<PolicySpec> specs, String actor) {
        for (PolicySpec spec : specs) {
            if (!spec.problems().isEmpty()) {
                throw new PolicyFileException("policy " + spec.name(), spec.problems());
            }
        }
        return inTransaction(() -> {
            List<PolicyChange> changes = new ArrayList<>();
            for (PolicySpec spec : specs) {
                Optional<StoredPolicy> stored = query(PolicyColumns.SELECT + " WHERE name = ? FOR UPDATE", spec.name())
                        .stream().findFirst();
                Optional<PolicyChange> change = change(stored, spec);
                if (change.isPresent()) {
                    write(spec, change.get(), actor);
                    changes.add(change.get());
                }
            }
            return changes;
        });
    }

    /** Disables or enables a stored policy (a change with its history), or changes nothing if it already is. */
    public Optional<PolicyChange> setEnabled(String name, boolean enabled, String actor) {
        return inTransaction(() -> {
            StoredPolicy stored = query(PolicyColumns.SELECT + " WHERE name = ? FOR UPDATE", name).stream().findFirst()
                    .orElseThrow(() -> new PolicyFileException("policy " + name, List.of("no such policy; see 'archivectl policy list'")));
            Optional<PolicyChange> change = change(Optional.of(stored), stored.spec().withEnabled(enabled));
            if (change.isPresent()) {
                write(stored.spec().withEnabled(enabled), change.get(), actor);
            }
            return change;
        });
    }

    /** A policy's changes, oldest first. */
    public List<PolicyHistoryEntry> history(String name) {
        try (PreparedStatement statement = connection.prepareStatement("SELECT name, version, change_kind, old_value, new_value, actor, at_ms"
                + " FROM archive_policy_history WHERE name = ? ORDER BY version")) {
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
            throw new PolicyStoreException("cannot read the history of policy " + name, e);
        }
    }

    private static Optional<PolicyChange> change(Optional<StoredPolicy> stored, PolicySpec spec) {
        if (stored.isEmpty()) {
            return Optional.of(new PolicyChange(spec.name(), PolicyChange.Kind.CREATE, 1, null, spec.settings()));
        }
        Map<String, Object> old = stored.get().spec().settings();
        Map<String, Object> now = spec.settings();
        if (old.equals(now)) {
            return Optional.empty();
        }
        Map<String, Object> oldRest = new LinkedHashMap<>(old);
        Map<String, Object> nowRest = new LinkedHashMap<>(now);
        oldRest.remove("enabled");
        nowRest.remove("enabled");
        PolicyChange.Kind kind = !oldRest.equals(nowRest) ? PolicyChange.Kind.UPDATE
                : spec.enabled() ? PolicyChange.Kind.ENABLE : PolicyChange.Kind.DISABLE;
        return Optional.of(new PolicyChange(spec.name(), kind, stored.get().version() + 1, old, now));
    }

    private void write(PolicySpec spec, PolicyChange change, String actor) throws SQLException {
        String by = actor == null || actor.isBlank() ? "unknown" : actor.length() > ACTOR_LENGTH ? actor.substring(0, ACTOR_LENGTH) : actor;
        long now = clock.millis();
        String sql = change.kind() == PolicyChange.Kind.CREATE
                ? "INSERT INTO archive_policy (table_name, key_columns, date_column, date_kind, date_zone, min_age, batch_size, mode, archive_table,"
                        + " object_prefix, max_share_per_run, max_rows_per_run, allow_whole_table, confirm_first_run, enabled, version,"
                        + " updated_by, updated_at_ms, name) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                : "UPDATE archive_policy SET table_name = ?, key_columns = ?, date_column = ?, date_kind = ?, date_zone = ?, min_age = ?, batch_size = ?,"
                        + " mode = ?, archive_table = ?, object_prefix = ?, max_share_per_run = ?, max_rows_per_run = ?, allow_whole_table = ?,"
                        + " confirm_first_run = ?, enabled = ?, version = ?, updated_by = ?, updated_at_ms = ? WHERE name = ?";
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            int i = 1;
            statement.setString(i++, spec.table());
            statement.setString(i++, json(spec.key()));
            statement.setString(i++, spec.dateColumn());
            statement.setString(i++, spec.dateKind().name());
            statement.setString(i++, spec.dateZone().getId());
            statement.setString(i++, PolicySpec.text(spec.minAge()));
            statement.setInt(i++, spec.batchSize());
            statement.setString(i++, spec.mode().name());
            statement.setString(i++, spec.archiveTable());
            statement.setString(i++, spec.prefix());
            statement.setDouble(i++, spec.maxSharePerRun());
            statement.setObject(i++, spec.maxRowsPerRun());
            statement.setBoolean(i++, spec.allowWholeTable());
            statement.setBoolean(i++, spec.confirmFirstRun());
            statement.setBoolean(i++, spec.enabled());
            statement.setInt(i++, change.version());
            statement.setString(i++, by);
            statement.setLong(i++, now);
            statement.setString(i, spec.name());
            statement.executeUpdate();
        }
        try (PreparedStatement history = connection.prepareStatement("INSERT INTO archive_policy_history (name, version, change_kind,"
                + " old_value, new_value, actor, at_ms) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            history.setString(1, spec.name());
            history.setInt(2, change.version());
            history.setString(3, change.kind().name());
            history.setString(4, change.oldValue() == null ? null : json(change.oldValue()));
            history.setString(5, json(change.newValue()));
            history.setString(6, by);
            history.setLong(7, now);
            history.executeUpdate();
        }
    }

    private List<StoredPolicy> query(String sql, String name) {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            if (name != null) {
                statement.setString(1, name);
            }
            List<StoredPolicy> policies = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    policies.add(row(rows));
                }
            }
            return policies;
        } catch (SQLException e) {
            throw new PolicyStoreException("cannot read the policies (archive_policy; is the ledger migrated to V9?)", e);
        }
    }

    private static StoredPolicy row(ResultSet rows) throws SQLException {
        java.util.Map<String, Object> values = new java.util.HashMap<>();
        for (int i = 1; i <= rows.getMetaData().getColumnCount(); i++) {
            values.put(rows.getMetaData().getColumnLabel(i), rows.getObject(i));
        }
        return PolicyColumns.read(values::get);
    }

    /** The stored form of a key: a JSON array of column names. */
    public static List<String> keyColumns(String json) {
        try {
            return JSON.readValue(json, new TypeReference<List<String>>() {
            });
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("archive_policy.key_columns is not a JSON array of names: " + json, e);
        }
    }

    public static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private interface Work<T> {
        T run() throws SQLException;
    }

    private <T> T inTransaction(Work<T> work) {
        try {
            boolean autoCommit = connection.getAutoCommit();
            connection.setAutoCommit(false);
            try {
                T result = work.run();
                connection.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(autoCommit);
            }
        } catch (SQLException e) {
            throw new PolicyStoreException("cannot change the policies: " + e.getMessage(), e);
        }
    }
}
