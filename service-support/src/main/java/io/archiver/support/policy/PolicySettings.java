package io.archiver.support.policy;

import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.OptionalLong;

import io.archiver.events.ArchiveMode;

/**
 * A policy as a value: a stored policy as the services use it ({@link #of}), or one built in code (tests).
 * {@link #defaults(String)} has the stored policies' defaults; the {@code with...} methods change one setting.
 */
public record PolicySettings(String table, String idColumn, String dateColumn, DateKind dateKind, ZoneId dateZone, Duration minAge, int batchSize,
        ArchiveMode mode, String archiveTable, String prefix, double maxSharePerRun, OptionalLong maxRowsPerRun, boolean allowWholeTable,
        boolean confirmFirstRun, String source, List<String> key) implements ArchivePolicies.Policy {

    public PolicySettings {
        // the one-column spelling (id-column) is the key of one column
        key = key == null || key.isEmpty() ? List.of(idColumn) : List.copyOf(key);
        if (!key.get(0).equals(idColumn)) {
            throw new IllegalArgumentException("idColumn " + idColumn + " must be the key's first column " + key);
        }
    }

    /** A policy of a one-column key {@code idColumn}, as before composite keys. */
    public PolicySettings(String table, String idColumn, String dateColumn, DateKind dateKind, ZoneId dateZone, Duration minAge, int batchSize,
            ArchiveMode mode, String archiveTable, String prefix, double maxSharePerRun, OptionalLong maxRowsPerRun, boolean allowWholeTable,
            boolean confirmFirstRun, String source) {
        this(table, idColumn, dateColumn, dateKind, dateZone, minAge, batchSize, mode, archiveTable, prefix, maxSharePerRun, maxRowsPerRun,
                allowWholeTable, confirmFirstRun, source, List.of(idColumn));
    }

    /** A stored policy's settings. */
    public static PolicySettings of(io.archiver.policy.PolicySpec spec) {
        return new PolicySettings(spec.table(), spec.keyColumn(), spec.dateColumn(), spec.dateKind(), spec.dateZone(), spec.minAge(), spec.batchSize(),
                spec.mode(), spec.archiveTable(), spec.prefix(), spec.maxSharePerRun(),
                spec.maxRowsPerRun() == null ? OptionalLong.empty() : OptionalLong.of(spec.maxRowsPerRun()), spec.allowWholeTable(),
                spec.confirmFirstRun(), spec.source(), spec.key());
    }

    /** A policy on {@code table} with every other setting at its default (those of {@code io.archiver.policy.PolicySpec#defaults}). */
    public static PolicySettings defaults(String table) {
        return new PolicySettings(table, "id", "msg_sent_date", DateKind.EPOCH_MILLIS, ZoneId.of("UTC"), Duration.ofDays(60), io.archiver.policy.PolicySpec.DEFAULT_BATCH_SIZE, ArchiveMode.DELETE,
                "run_archive", table + "-archive", 0.9, OptionalLong.empty(), false, true, io.archiver.policy.SourceSpec.CONTROL);
    }

    public PolicySettings withDateColumn(String column, DateKind kind) {
        return new PolicySettings(table, idColumn, column, kind, dateZone, minAge, batchSize, mode, archiveTable, prefix, maxSharePerRun, maxRowsPerRun,
                allowWholeTable, confirmFirstRun, source, key);
    }

    public PolicySettings withDateZone(ZoneId zone) {
        return new PolicySettings(table, idColumn, dateColumn, dateKind, zone, minAge, batchSize, mode, archiveTable, prefix, maxSharePerRun,
                maxRowsPerRun, allowWholeTable, confirmFirstRun, source, key);
    }

    public PolicySettings withLimits(double maxShare, OptionalLong maxRows, boolean wholeTable) {
        return new PolicySettings(table, idColumn, dateColumn, dateKind, dateZone, minAge, batchSize, mode, archiveTable, prefix, maxShare, maxRows,
                wholeTable, confirmFirstRun, source, key);
    }

    public PolicySettings withConfirmFirstRun(boolean confirm) {
        return new PolicySettings(table, idColumn, dateColumn, dateKind, dateZone, minAge, batchSize, mode, archiveTable, prefix, maxSharePerRun,
                maxRowsPerRun, allowWholeTable, confirm, source, key);
    }

    public PolicySettings withBatchSize(int rows) {
        return new PolicySettings(table, idColumn, dateColumn, dateKind, dateZone, minAge, rows, mode, archiveTable, prefix, maxSharePerRun, maxRowsPerRun,
                allowWholeTable, confirmFirstRun, source, key);
    }

    /** The policy with a key of these columns in key order (the table's whole primary key). */
    public PolicySettings withKey(String... columns) {
        return new PolicySettings(table, columns[0], dateColumn, dateKind, dateZone, minAge, batchSize, mode, archiveTable, prefix, maxSharePerRun,
                maxRowsPerRun, allowWholeTable, confirmFirstRun, source, List.of(columns));
    }

    public PolicySettings withSource(String name) {
        return new PolicySettings(table, idColumn, dateColumn, dateKind, dateZone, minAge, batchSize, mode, archiveTable, prefix, maxSharePerRun,
                maxRowsPerRun, allowWholeTable, confirmFirstRun, name, key);
    }

    /** A policy as the policy module states it, for its checks ({@code io.archiver.policy.LiveTableCheck}); enabled, as a running policy is. */
    public static io.archiver.policy.PolicySpec spec(String name, ArchivePolicies.Policy policy) {
        return new io.archiver.policy.PolicySpec(name, policy.table(), policy.key(), policy.dateColumn(),
                policy.dateKind(), policy.dateZone(), policy.minAge(), policy.batchSize(), policy.mode(), policy.archiveTable(), policy.prefix(),
                policy.maxSharePerRun(), policy.maxRowsPerRun().isPresent() ? policy.maxRowsPerRun().getAsLong() : null,
                policy.allowWholeTable(), policy.confirmFirstRun(), true, policy.source());
    }
}
