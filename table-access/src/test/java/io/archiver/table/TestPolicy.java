package io.archiver.table;

import java.time.Duration;

import io.archiver.events.ArchiveMode;
import io.archiver.support.policy.ArchivePolicies;

/** The default `run` policy, as the services configure it, for building the same SQL in tests; of another table, and archive table, if given. */
public record TestPolicy(String table, String archiveTable) implements ArchivePolicies.Policy {

    public TestPolicy(String table) {
        this(table, "run_archive");
    }

    @Override
    public String idColumn() {
        return "id";
    }

    @Override
    public String dateColumn() {
        return "msg_sent_date";
    }

    @Override
    public Duration minAge() {
        return Duration.ofDays(60);
    }

    @Override
    public int batchSize() {
        return 10_000;
    }

    @Override
    public ArchiveMode mode() {
        return ArchiveMode.DELETE;
    }
}
