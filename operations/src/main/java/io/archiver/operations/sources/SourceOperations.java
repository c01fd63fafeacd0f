package io.archiver.operations.sources;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

import io.archiver.operations.NotFound;
import io.archiver.policy.PolicyChange;
import io.archiver.policy.PolicyFileException;
import io.archiver.policy.PolicyHistoryEntry;
import io.archiver.policy.SourceFile;
import io.archiver.policy.SourceSpec;
import io.archiver.policy.SourceStore;
import io.archiver.policy.StoredSource;

/**
 * The source operations archivectl's {@code source} commands and the API's {@code /api/v1/sources} both do, over the control database
 * ({@link SourceStore} does every read and write). A source is stored with where its password is, never the password itself (an
 * inline password is kept only encrypted, {@link SourceDocument}); every enabled source of a document must answer as its user before
 * anything is applied. The caller owns the connection.
 */
public final class SourceOperations {

    /** Opens a connection to a source's database as its user, with its password read where the caller runs. */
    @FunctionalInterface
    public interface Connector {
        Connection connect(SourceSpec source) throws SQLException;
    }

    private final SourceStore store;

    public SourceOperations(Connection control) {
        this.store = new SourceStore(control);
    }

    /** A source file's text (YAML, or JSON); {@code environment} gives the variables {@code password-encrypted-from-env} reads. */
    public static List<SourceSpec> parse(String where, String text, Function<String, String> environment) {
        return SourceFile.parse(where, text, environment);
    }

    /**
     * Every enabled source of {@code sources} must answer through {@code connector}; else a {@link PolicyFileException} naming each
     * source that does not, with the driver's reason (which never holds the password) and what to check.
     */
    public static void checkReachable(String where, List<SourceSpec> sources, Connector connector) {
        List<String> problems = new ArrayList<>();
        for (SourceSpec source : sources) {
            if (!source.enabled()) {
                continue;
            }
            try (Connection connection = connector.connect(source)) {
                connection.isValid(10);
            } catch (SQLException | RuntimeException e) {
                problems.add("source " + source.where() + ": cannot connect: " + e.getMessage() + "; check host, port, database, user,"
                        + " tls and the password it names");
            }
        }
        if (!problems.isEmpty()) {
            throw new PolicyFileException(where, problems);
        }
    }

    /** Applies the sources in one transaction, or with {@code dryRun} only says what would change. */
    public List<PolicyChange> apply(List<SourceSpec> sources, String actor, boolean dryRun) {
        return dryRun ? store.plan(sources) : store.apply(sources, actor);
    }

    public List<StoredSource> list() {
        return store.list();
    }

    public StoredSource show(String name) {
        return store.find(name).orElseThrow(() -> new NotFound("no source named '" + name + "'"));
    }

    public List<PolicyHistoryEntry> history(String name) {
        return store.history(name);
    }

    /** Disables or enables a source; empty when it already was. */
    public Optional<PolicyChange> setEnabled(String name, boolean enabled, String actor) {
        return store.setEnabled(name, enabled, actor);
    }
}
