package io.archiver.events;

import java.time.LocalDate;

import static io.archiver.events.Require.identifier;
import static io.archiver.events.Require.notNegative;
import static io.archiver.events.Require.positive;
import static io.archiver.events.Require.present;

/**
 * What a batch covers: the rows of {@code table} with {@code firstId <= id <= lastId} and
 * {@code msg_sent_date < cutoffEpochMs}, archived under {@code policy} in {@code mode}. It travels
 * unchanged from the scanner to the deleter, so that every step re-checks the same range.
 * {@code runDate} is the UTC day the run was requested: object keys begin with {@code <table>_archive_<runDate>}.
 */
public record BatchScope(String policy, String table, long cutoffEpochMs, long firstId, long lastId, ArchiveMode mode,
        LocalDate runDate) {

    public BatchScope {
        identifier(policy, "scope.policy");
        identifier(table, "scope.table");
        positive(cutoffEpochMs, "scope.cutoffEpochMs");
        notNegative(firstId, "scope.firstId");
        notNegative(lastId, "scope.lastId");
        if (lastId < firstId) {
            throw Require.invalid("scope.lastId", "must not be below firstId (" + lastId + " < " + firstId + ")");
        }
        present(mode, "scope.mode");
        present(runDate, "scope.runDate");
    }
}
