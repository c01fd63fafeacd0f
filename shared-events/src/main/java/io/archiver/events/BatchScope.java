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
 *
 * <p>A table whose key is not one signed integer column ({@link KeyColumns#isSingleInteger()}) has its range as
 * {@code firstKey..lastKey}, whole-key values compared as SQL row constructors, and {@code firstId} and {@code lastId} 0; a
 * one-integer key's range is {@code firstId..lastId} with no {@code firstKey} and {@code lastKey}, so that its events are
 * those written before composite keys and still decode ({@link #first()} and {@link #last()} read either).
 */
public record BatchScope(String policy, String table, long cutoffEpochMs, long firstId, long lastId, ArchiveMode mode,
        LocalDate runDate, @AddedLater("issue 22: composite, string, date and unsigned keys") KeyValue firstKey,
        @AddedLater("issue 22: composite, string, date and unsigned keys") KeyValue lastKey) {

    /** A range of a one-integer key. */
    public BatchScope(String policy, String table, long cutoffEpochMs, long firstId, long lastId, ArchiveMode mode, LocalDate runDate) {
        this(policy, table, cutoffEpochMs, firstId, lastId, mode, runDate, null, null);
    }

    /** A range of a whole key ({@code firstKey <= key <= lastKey} as row constructors). */
    public static BatchScope ofKeys(String policy, String table, long cutoffEpochMs, KeyValue firstKey, KeyValue lastKey, ArchiveMode mode,
            LocalDate runDate) {
        return new BatchScope(policy, table, cutoffEpochMs, 0, 0, mode, runDate, present(firstKey, "scope.firstKey"),
                present(lastKey, "scope.lastKey"));
    }

    /** The range's first key: {@code firstKey}, or {@code firstId} as a one-part key. */
    public KeyValue first() {
        return firstKey != null ? firstKey : KeyValue.of(firstId);
    }

    /** The range's last key: {@code lastKey}, or {@code lastId} as a one-part key. */
    public KeyValue last() {
        return lastKey != null ? lastKey : KeyValue.of(lastId);
    }

    /** The text of {@code firstKey} as the ledger holds it ({@link KeyValue#text()}); null for a range of a one-integer key. */
    public String firstKeyText() {
        return firstKey == null ? null : firstKey.text();
    }

    /** The text of {@code lastKey} as the ledger holds it; null for a range of a one-integer key. */
    public String lastKeyText() {
        return lastKey == null ? null : lastKey.text();
    }

    /** The range as a reader reads it: {@code firstId..lastId}, or the two keys' texts. */
    public String rangeText() {
        return byKeys() ? firstKey.text() + ".." + lastKey.text() : firstId + ".." + lastId;
    }

    /** True when the range is of a whole key given as {@code firstKey..lastKey}, not of one integer id. */
    public boolean byKeys() {
        return firstKey != null;
    }

    public BatchScope {
        if ((firstKey == null) != (lastKey == null)) {
            throw Require.invalid(firstKey == null ? "scope.firstKey" : "scope.lastKey", "must be given with "
                    + (firstKey == null ? "scope.lastKey" : "scope.firstKey") + " (a range has two ends) or both left out");
        }
        if (firstKey != null) {
            if (firstKey.size() != lastKey.size()) {
                throw Require.invalid("scope.lastKey", "has " + lastKey.size() + " parts but scope.firstKey has " + firstKey.size());
            }
            if (firstId != 0 || lastId != 0) {
                throw Require.invalid("scope.firstId", "must be 0 when the range is given as scope.firstKey..scope.lastKey (it was "
                        + firstId + ".." + lastId + ")");
            }
        }
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
