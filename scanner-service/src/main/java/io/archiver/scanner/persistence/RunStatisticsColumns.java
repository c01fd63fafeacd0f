package io.archiver.scanner.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;

import io.archiver.events.RunStatistics;

/**
 * A run's statistics as the ledger keeps them once it completed: one typed column per figure ({@code stats_*}, migration
 * V6 of the ledger module). Hibernate leaves the run's field null while all of them are NULL.
 */
@Embeddable
public class RunStatisticsColumns {

    @Column(name = "stats_rows_found")
    public Long rowsFound;
    @Column(name = "stats_rows_exported")
    public Long rowsExported;
    @Column(name = "stats_rows_uploaded")
    public Long rowsUploaded;
    @Column(name = "stats_rows_removed")
    public Long rowsRemoved;
    @Column(name = "stats_rows_failed")
    public Long rowsFailed;
    @Column(name = "stats_batches")
    public Long batches;
    @Column(name = "stats_batches_failed")
    public Long batchesFailed;
    @Column(name = "stats_bytes_uploaded")
    public Long bytesUploaded;
    @Column(name = "stats_objects")
    public Long objects;
    @Column(name = "stats_duration_ms")
    public Long durationMs;

    public static RunStatisticsColumns of(RunStatistics stats) {
        RunStatisticsColumns columns = new RunStatisticsColumns();
        columns.rowsFound = stats.rowsFound();
        columns.rowsExported = stats.rowsExported();
        columns.rowsUploaded = stats.rowsUploaded();
        columns.rowsRemoved = stats.rowsRemoved();
        columns.rowsFailed = stats.rowsFailed();
        columns.batches = stats.batches();
        columns.batchesFailed = stats.batchesFailed();
        columns.bytesUploaded = stats.bytesUploaded();
        columns.objects = stats.objects();
        columns.durationMs = stats.durationMs();
        return columns;
    }

    public RunStatistics toStatistics() {
        return new RunStatistics(rowsFound, rowsExported, rowsUploaded, rowsRemoved, rowsFailed, batches, batchesFailed, bytesUploaded,
                objects, durationMs);
    }
}
