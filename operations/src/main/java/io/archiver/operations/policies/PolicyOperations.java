package io.archiver.operations.policies;

import java.sql.Connection;
import java.util.List;
import java.util.Optional;

import io.archiver.operations.NotFound;
import io.archiver.policy.PolicyChange;
import io.archiver.policy.PolicyFile;
import io.archiver.policy.PolicyHistoryEntry;
import io.archiver.policy.PolicySpec;
import io.archiver.policy.PolicyStore;
import io.archiver.policy.StoredPolicy;

/**
 * The policy operations archivectl's {@code policy} commands and the API's {@code /api/v1/policies} both do, over the control
 * database ({@link PolicyStore} does every read and write). A policy document is checked against its live tables before
 * anything is applied, in a dry run too; a refusal is a {@link io.archiver.policy.PolicyFileException} naming every problem.
 * The caller owns the connection.
 */
public final class PolicyOperations {

    private final PolicyStore store;
    private final PolicyStore.SourceConnector sources;

    /** Over the control database only: a policy of another source is refused with the reason (the API, today). */
    public PolicyOperations(Connection connection) {
        this(connection, null);
    }

    /** Policies of other sources are checked in their own databases, reached through {@code sources} (archivectl). */
    public PolicyOperations(Connection connection, PolicyStore.SourceConnector sources) {
        this.store = new PolicyStore(connection);
        this.sources = sources;
    }

    /** A policy document (YAML, or JSON, which is YAML too) as a policy file gives it; {@code where} names it in refusals. */
    public static List<PolicySpec> parse(String where, String text) {
        return PolicyFile.parse(where, text);
    }

    /** Checks each policy against its live table, then applies them all in one transaction, or only says what would change. */
    public List<PolicyChange> apply(String where, List<PolicySpec> specs, String actor, boolean dryRun) {
        if (sources == null) {
            store.checkLiveTables(where, specs);
        } else {
            store.checkLiveTables(where, specs, sources);
        }
        return dryRun ? store.plan(specs) : store.apply(specs, actor);
    }

    /**
     * Creates the missing archive table of each MOVE policy ({@code CREATE TABLE <archive> LIKE <table>} in the policy's database),
     * before {@link #apply} checks them; returns a line per table created. Only where the caller was asked to
     * ({@code --create-archive-tables}); a caller reaching the control database only creates there.
     */
    public List<String> createArchiveTables(List<PolicySpec> specs) {
        return store.createArchiveTables(specs, sources != null ? sources : source -> {
            throw new java.sql.SQLException("this caller reaches the control database only");
        });
    }

    /** What applying would change (the same as a dry run). */
    public List<PolicyChange> diff(String where, List<PolicySpec> specs) {
        return apply(where, specs, null, true);
    }

    public List<StoredPolicy> list() {
        return store.list();
    }

    public StoredPolicy show(String name) {
        return store.find(name).orElseThrow(() -> new NotFound("no policy named '" + name + "'"));
    }

    public List<PolicyHistoryEntry> history(String name) {
        List<PolicyHistoryEntry> entries = store.history(name);
        if (entries.isEmpty()) {
            throw new NotFound("no history for a policy named '" + name + "'");
        }
        return entries;
    }

    /** Disables or enables a policy; empty when it already was. A policy that does not exist is a PolicyFileException. */
    public Optional<PolicyChange> setEnabled(String name, boolean enabled, String actor) {
        return store.setEnabled(name, enabled, actor);
    }
}
