package io.archiver.policy;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * The one writer of the sources in the control database ({@code archive_source}, {@code archive_source_history}, ledger migration
 * {@code V12__sources.sql}) and their reader over JDBC; versioned and applied as {@link PolicyStore} does policies (the same
 * {@link PolicyChange} and {@link ChangeHistory}). The history keeps each source's settings with the password only as where it is.
 */
public final class SourceStore {

    /** The columns every reader selects. */
    public static final String SELECT = "SELECT name, host, port, database_name, user_name, tls_mode, password_kind, password_ref,"
            + " password_encrypted, password_digest, enabled, version, updated_by, updated_at_ms FROM archive_source";

    private final Connection connection;
    private final Clock clock;
    private final ChangeHistory history;

    public SourceStore(Connection connection) {
        this(connection, Clock.systemUTC());
    }

    public SourceStore(Connection connection, Clock clock) {
        this.connection = connection;
        this.clock = clock;
        this.history = new ChangeHistory(connection, "archive_source_history");
    }

    public List<StoredSource> list() {
        return query(SELECT + " ORDER BY name", null);
    }

    public Optional<StoredSource> find(String name) {
        return query(SELECT + " WHERE name = ?", name).stream().findFirst();
    }

    /** What {@link #apply} would change, changing nothing. */
    public List<PolicyChange> plan(List<SourceSpec> specs) {
        List<PolicyChange> changes = new ArrayList<>();
        for (SourceSpec spec : specs) {
            change(find(spec.name()), spec).ifPresent(changes::add);
        }
        return changes;
    }

    /** Creates or updates each source given, in one transaction, with its history; returns the changes made. */
    public List<PolicyChange> apply(List<SourceSpec> specs, String actor) {
        for (SourceSpec spec : specs) {
            if (!spec.problems().isEmpty()) {
                throw new PolicyFileException("source " + spec.name(), spec.problems());
            }
        }
        return ChangeHistory.inTransaction(connection, "sources", () -> {
            List<PolicyChange> changes = new ArrayList<>();
            for (SourceSpec spec : specs) {
                Optional<StoredSource> stored = query(SELECT + " WHERE name = ? FOR UPDATE", spec.name()).stream().findFirst();
                Optional<PolicyChange> change = change(stored, spec);
                if (change.isPresent()) {
                    write(spec, change.get(), actor);
                    changes.add(change.get());
                }
            }
            return changes;
        });
    }

    public Optional<PolicyChange> setEnabled(String name, boolean enabled, String actor) {
        return ChangeHistory.inTransaction(connection, "sources", () -> {
            StoredSource stored = query(SELECT + " WHERE name = ? FOR UPDATE", name).stream().findFirst()
                    .orElseThrow(() -> new PolicyFileException("source " + name, List.of("no such source; see 'archivectl source list'")));
            SourceSpec now = stored.spec().withEnabled(enabled);
            Optional<PolicyChange> change = change(Optional.of(stored), now);
            if (change.isPresent()) {
                write(now, change.get(), actor);
            }
            return change;
        });
    }

    public List<PolicyHistoryEntry> history(String name) {
        return history.read(name);
    }

    private static Optional<PolicyChange> change(Optional<StoredSource> stored, SourceSpec spec) {
        return PolicyChange.between("source", spec.name(), stored.map(s -> s.spec().settings()).orElse(null),
                stored.map(StoredSource::version).orElse(0), spec.settings());
    }

    private void write(SourceSpec spec, PolicyChange change, String actor) throws SQLException {
        String by = ChangeHistory.actor(actor);
        long now = clock.millis();
        String sql = change.kind() == PolicyChange.Kind.CREATE
                ? "INSERT INTO archive_source (host, port, database_name, user_name, tls_mode, password_kind, password_ref,"
                        + " password_encrypted, password_digest, enabled, version, updated_by, updated_at_ms, name)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                : "UPDATE archive_source SET host = ?, port = ?, database_name = ?, user_name = ?, tls_mode = ?, password_kind = ?,"
                        + " password_ref = ?, password_encrypted = ?, password_digest = ?, enabled = ?, version = ?, updated_by = ?,"
                        + " updated_at_ms = ? WHERE name = ?";
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            int i = 1;
            statement.setString(i++, spec.host());
            statement.setInt(i++, spec.port());
            statement.setString(i++, spec.database());
            statement.setString(i++, spec.user());
            statement.setString(i++, spec.tls().name());
            statement.setString(i++, spec.password().kind().name());
            statement.setString(i++, spec.password().reference());
            statement.setString(i++, spec.password().encrypted());
            statement.setString(i++, spec.password().digest());
            statement.setBoolean(i++, spec.enabled());
            statement.setInt(i++, change.version());
            statement.setString(i++, by);
            statement.setLong(i++, now);
            statement.setString(i, spec.name());
            statement.executeUpdate();
        }
        history.append(change, by, now);
    }

    private List<StoredSource> query(String sql, String name) {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            if (name != null) {
                statement.setString(1, name);
            }
            List<StoredSource> sources = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    sources.add(read(column -> {
                        try {
                            return rows.getObject(column);
                        } catch (SQLException e) {
                            throw new IllegalStateException(e);
                        }
                    }));
                }
            }
            return sources;
        } catch (SQLException e) {
            throw new PolicyStoreException("cannot read the sources (archive_source; is the ledger migrated to V12?)", e);
        }
    }

    /** A row of {@code archive_source} ({@link #SELECT}'s columns by name) from any SQL client: JDBC here, the Vert.x client in the services. */
    public static StoredSource read(Function<String, Object> column) {
        SourcePassword.Kind kind = SourcePassword.Kind.valueOf(PolicyColumns.text(column, "password_kind"));
        SourcePassword password = new SourcePassword(kind, (String) column.apply("password_ref"), (String) column.apply("password_encrypted"),
                (String) column.apply("password_digest"));
        SourceSpec spec = new SourceSpec(PolicyColumns.text(column, "name"), PolicyColumns.text(column, "host"),
                (int) PolicyColumns.number(column, "port"), PolicyColumns.text(column, "database_name"), PolicyColumns.text(column, "user_name"),
                TlsMode.valueOf(PolicyColumns.text(column, "tls_mode")), password, PolicyColumns.bool(column, "enabled"));
        return new StoredSource(spec, (int) PolicyColumns.number(column, "version"), PolicyColumns.text(column, "updated_by"),
                PolicyColumns.number(column, "updated_at_ms"));
    }
}
