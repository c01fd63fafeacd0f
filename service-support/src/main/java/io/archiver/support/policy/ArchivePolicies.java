package io.archiver.support.policy;

import java.time.Duration;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.OptionalLong;

import io.archiver.events.ArchiveMode;

/**
 * The archival policies: which table may be archived, on which date column, how old a row must
 * be, and how. A table that no policy names is never read for export nor deleted from, whatever an
 * event says. The services read them from the control database through {@link PolicyCatalog}
 * (docs/policies.md); tests give them in code.
 */
@FunctionalInterface
public interface ArchivePolicies {

    /** Every policy by name, disabled ones too (a disabled policy starts no run; the batches of a run in flight finish). */
    Map<String, Policy> all();

    /** Whether a new run of the policy may start. */
    default boolean enabled(String name) {
        return true;
    }

    /** A policy's cron schedule ({@code io.archiver.policy.CronSchedule}) and when it was last changed (ms), from which it fires. */
    record Schedule(String cron, long sinceMs) {
    }

    /** The schedules of the enabled policies that have one, by policy name. */
    default Map<String, Schedule> schedules() {
        return Map.of();
    }

    /** The policies as the source holds them now, not as last refreshed (a blocking read: worker threads only). */
    default ArchivePolicies fresh() {
        return this;
    }

    interface Policy {

        /** The table to archive. */
        String table();

        /** The first column of the key; the whole key when {@link #key()} has one column (the {@code run} table's {@code id}). */
        String idColumn();

        /** The table's whole primary key, its columns in key order: batches are ranges of it (docs/keys.md). */
        default java.util.List<String> key() {
            return java.util.List.of(idColumn());
        }

        /** The date column compared with the cutoff; it must lead an index. */
        String dateColumn();

        /** What the date column's values mean: the cutoff is compared in the column's own type ({@link DateCutoff}). */
        DateKind dateKind();

        /** The zone a DATE or DATETIME date column is read in (policy setting {@code date-zone}, default UTC). */
        default ZoneId dateZone() {
            return ZoneOffset.UTC;
        }

        /** The run's cutoff as a value of the date column's type, bound in {@code date < ?}. */
        default Object cutoffValue(long cutoffEpochMs) {
            return DateCutoff.bound(dateKind(), dateZone(), cutoffEpochMs);
        }

        /** Rows younger than this are never archived: the cutoff of a run may be no later than now minus this. */
        Duration minAge();

        /** About this many eligible rows per batch and per object (the deleter removes a batch in chunks of archiver.delete.chunk-rows). */
        int batchSize();

        /** DELETE removes archived rows; MOVE copies them into {@link #archiveTable()} and removes them. */
        ArchiveMode mode();

        /** The table rows go to in MOVE mode; same columns as {@link #table()}. */
        String archiveTable();

        /** The objects' key prefix in the bucket, without a trailing '/' (run's is {@code run-archive}). */
        String prefix();

        /** The prefix an object key of this policy starts with: {@link #prefix()} and '/'. */
        default String keyPrefix() {
            return prefix() + "/";
        }

        /** A run that would archive more than this share of the table's rows (0 to 1] waits for confirmation. */
        double maxSharePerRun();

        /** A run that would archive more rows than this waits for confirmation; unset, no limit. */
        OptionalLong maxRowsPerRun();

        /** A run that would archive every row of the table goes on without confirmation (if within max-share-per-run too). */
        boolean allowWholeTable();

        /** The first run of a new or changed policy waits for confirmation with its plan before anything is exported. */
        boolean confirmFirstRun();

        /** The database the table is in: a named source, or the control database ({@code control}, the default). */
        default String source() {
            return io.archiver.policy.SourceSpec.CONTROL;
        }
    }
}
