package io.archiver.support.policy;

import java.time.Duration;
import java.util.Map;
import java.util.OptionalLong;

import io.archiver.events.ArchiveMode;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithParentName;

/**
 * The archival policies: which table may be archived, on which date column, how old a row must
 * be, and how. A table that no policy names is never read for export nor deleted from, whatever an
 * event says. Keys: {@code archiver.policies."<name>".<setting>}; the default policy is {@code run}.
 */
@ConfigMapping(prefix = "archiver.policies")
public interface ArchivePolicies {

    @WithParentName
    Map<String, Policy> all();

    interface Policy {

        /** The table to archive. */
        String table();

        /** The BIGINT primary key the id ranges are planned on. */
        @WithDefault("id")
        String idColumn();

        /** The date column compared with the cutoff; it must lead an index. */
        @WithDefault("msg_sent_date")
        String dateColumn();

        /** What the date column's values mean; only EPOCH_MILLIS is archived yet, a run of another kind is refused. */
        @WithDefault("EPOCH_MILLIS")
        DateKind dateKind();

        /** Rows younger than this are never archived: the cutoff of a run may be no later than now minus this. */
        @WithDefault("P60D")
        Duration minAge();

        /** About this many eligible rows per batch and per object (the deleter removes a batch in chunks of archiver.delete.chunk-rows). */
        @WithDefault("10000")
        int batchSize();

        /** DELETE removes archived rows; MOVE copies them into {@link #archiveTable()} and removes them. */
        @WithDefault("DELETE")
        ArchiveMode mode();

        /** The table rows go to in MOVE mode; same columns as {@link #table()}. */
        @WithDefault("run_archive")
        String archiveTable();

        /** A run that would archive more than this share of the table's rows (0 to 1] waits for confirmation. */
        @WithDefault("0.9")
        double maxSharePerRun();

        /** A run that would archive more rows than this waits for confirmation; unset, no limit. */
        OptionalLong maxRowsPerRun();

        /** A run that would archive every row of the table goes on without confirmation (if within max-share-per-run too). */
        @WithDefault("false")
        boolean allowWholeTable();

        /** The first run of a new or changed policy waits for confirmation with its plan before anything is exported. */
        @WithDefault("true")
        boolean confirmFirstRun();
    }
}
