package io.archiver.table;

import java.time.Duration;
import java.util.OptionalLong;

import io.archiver.events.ArchiveMode;
import io.archiver.support.policy.ArchivePolicies;
import io.archiver.support.policy.DateKind;
import io.archiver.support.policy.PolicySettings;

/** The default `run` policy, as the services configure it, for building the same SQL in tests; of another table, and archive table, if given. */
public record TestPolicy(String table, String archiveTable) implements ArchivePolicies.Policy {

    public TestPolicy(String table) {
        this(table, "run_archive");
    }

    private PolicySettings settings() {
        return PolicySettings.defaults(table);
    }

    @Override
    public String idColumn() {
        return settings().idColumn();
    }

    @Override
    public String dateColumn() {
        return settings().dateColumn();
    }

    @Override
    public DateKind dateKind() {
        return settings().dateKind();
    }

    @Override
    public Duration minAge() {
        return settings().minAge();
    }

    @Override
    public int batchSize() {
        return settings().batchSize();
    }

    @Override
    public ArchiveMode mode() {
        return settings().mode();
    }

    @Override
    public String prefix() {
        return settings().prefix();
    }

    @Override
    public double maxSharePerRun() {
        return settings().maxSharePerRun();
    }

    @Override
    public OptionalLong maxRowsPerRun() {
        return settings().maxRowsPerRun();
    }

    @Override
    public boolean allowWholeTable() {
        return settings().allowWholeTable();
    }

    @Override
    public boolean confirmFirstRun() {
        return settings().confirmFirstRun();
    }
}
