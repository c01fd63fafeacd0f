package io.archiver.table;

import java.time.Duration;

import io.archiver.events.ArchiveMode;
import io.archiver.support.policy.ArchivePolicies;

/** The default `run` policy, as the services configure it, for building the same SQL in tests. */
public record TestPolicy(String table) implements ArchivePolicies.Policy {

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

    @Override
    public String archiveTable() {
        return "run_archive";
    }
}
