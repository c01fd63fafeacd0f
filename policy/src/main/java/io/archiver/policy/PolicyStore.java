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

    /** Opens a connection to a source's database (the caller's driver, and its environment for the password); the caller closes it. */
    public interface SourceConnector {
        Connection open(SourceSpec source) throws SQLException;
    }

    /**
     * {@link #checkLiveTables(String, List, SourceConnector)} for a caller that reaches the control database only: a policy of
     * another source is refused, saying so (apply it with archivectl, which connects to sources).
     */
    public void checkLiveTables(String where, List<PolicySpec> specs) {
        checkLiveTables(where, specs, source -> {
            throw new SQLException("this caller reaches the control database only; apply policies of source " + source.name()
                    + " with archivectl policy apply");
        });
    }

    /**
     * Refuses, changing nothing, when any policy does not fit its live table in its source's database ({@link LiveTableCheck}: the
     * control database for a policy without a source, else the source's, reached through {@code sources}), or names a source that
     * is not defined or is disabled: every problem at once, each naming the policy, source, table, column and fix. Called before
     * {@link #plan} and {@link #apply} by archivectl.
     */
    public void checkLiveTables(String where, List<PolicySpec> specs, SourceConnector sources) {
        Map<String, List<PolicySpec>> bySource = bySource(specs);
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, List<PolicySpec>> group : bySource.entrySet()) {
            if (group.getKey().equals(SourceSpec.CONTROL)) {
                problems.addAll(new LiveTableCheck(connection).problems(group.getValue()));
                continue;
            }
            Optional<StoredSource> source = new SourceStore(connection).find(group.getKey());
            String refusal = source.isEmpty() ? "source " + group.getKey() + " is not defined; apply it first (archivectl source apply -f"
                    + " sources.yaml), or leave source: out for the control database"
                    : !source.get().spec().enabled() ? "source " + group.getKey() + " is disabled; archivectl source enable " + group.getKey()
                    : null;
            if (refusal == null) {
                try (Connection live = sources.open(source.get().spec())) {
                    problems.addAll(new LiveTableCheck(live).problems(group.getValue()));
                } catch (SQLException | RuntimeException e) {
                    refusal = "cannot reach source " + source.get().spec().where() + ": " + e.getMessage()
                            + "; check its host, port, user, TLS mode and password (archivectl source show " + group.getKey() + ")";
                }
            }
            if (refusal != null) {
                for (PolicySpec spec : group.getValue()) {
                    problems.add("policy " + spec.name() + ": " + refusal);
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new PolicyFileException(where + " against the live tables", problems);
        }
    }

    /**
     * Creates the missing archive table of each MOVE policy in its source's database ({@link ArchiveTables}): the control database
     * for a policy without a source, else the source's, reached through {@code sources}. Called before {@link #checkLiveTables}
     * by archivectl's {@code policy apply --create-archive-tables}; returns a line per table created.
     */
    public List<String> createArchiveTables(List<PolicySpec> specs, SourceConnector sources) {
        Map<String, List<PolicySpec>> bySource = bySource(specs);
        List<String> created = new ArrayList<>();
        for (Map.Entry<String, List<PolicySpec>> group : bySource.entrySet()) {
            if (group.getKey().equals(SourceSpec.CONTROL)) {
                created.addAll(new ArchiveTables(connection).createMissing(group.getValue()));
                continue;
            }
            Optional<StoredSource> source = new SourceStore(connection).find(group.getKey());
            if (source.isEmpty() || !source.get().spec().enabled()) {
                continue; // the live check refuses these policies, naming why
            }
            try (Connection live = sources.open(source.get().spec())) {
                created.addAll(new ArchiveTables(live).createMissing(group.getValue()));
            } catch (SQLException e) {
                throw new PolicyFileException("source " + source.get().spec().where(), List.of("cannot reach it to create archive tables: "
                        + e.getMessage()));
            }
        }
        return created;
    }

    private static Map<String, List<PolicySpec>> bySource(List<PolicySpec> specs) {
        Map<String, List<PolicySpec>> bySource = new LinkedHashMap<>();
        for (PolicySpec spec : specs) {
            bySource.computeIfAbsent(spec.source(), s -> new ArrayList<>()).add(spec);
        }
        return bySource;
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
        return new ChangeHistory(connection, "archive_policy_history").read(name);
    }

    private static Optional<PolicyChange> change(Optional<StoredPolicy> stored, PolicySpec spec) {
        return PolicyChange.between("policy", spec.name(), stored.map(p -> p.spec().settings()).orElse(null),
                stored.map(StoredPolicy::version).orElse(0), spec.settings());
    }

    private void write(PolicySpec spec, PolicyChange change, String actor) throws SQLException {
        String by = ChangeHistory.actor(actor);
        long now = clock.millis();
        String sql = change.kind() == PolicyChange.Kind.CREATE
                ? "INSERT INTO archive_policy (table_name, key_columns, date_column, date_kind, date_zone, min_age, batch_size, mode, archive_table,"
                        + " object_prefix, max_share_per_run, max_rows_per_run, allow_whole_table, confirm_first_run, enabled, source_name,"
                        + " archive_table_retention, object_retention, schedule, version, updated_by, updated_at_ms, name)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                : "UPDATE archive_policy SET table_name = ?, key_columns = ?, date_column = ?, date_kind = ?, date_zone = ?, min_age = ?, batch_size = ?,"
                        + " mode = ?, archive_table = ?, object_prefix = ?, max_share_per_run = ?, max_rows_per_run = ?, allow_whole_table = ?,"
                        + " confirm_first_run = ?, enabled = ?, source_name = ?,"
                        + " archive_table_retention = ?, object_retention = ?, schedule = ?, version = ?, updated_by = ?, updated_at_ms = ? WHERE name = ?";
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
            statement.setString(i++, spec.source());
            statement.setString(i++, spec.archiveTableRetention() == null ? null : PolicySpec.text(spec.archiveTableRetention()));
            statement.setString(i++, PolicySpec.text(spec.objectRetention()));
            statement.setString(i++, spec.schedule());
            statement.setInt(i++, change.version());
            statement.setString(i++, by);
            statement.setLong(i++, now);
            statement.setString(i, spec.name());
            statement.executeUpdate();
        }
        new ChangeHistory(connection, "archive_policy_history").append(change, by, now);
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

    private <T> T inTransaction(ChangeHistory.Work<T> work) {
        return ChangeHistory.inTransaction(connection, "policies", work);
    }
}
