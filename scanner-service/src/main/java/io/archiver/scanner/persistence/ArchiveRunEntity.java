package io.archiver.scanner.persistence;

import java.time.LocalDate;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.archiver.events.ArchiveMode;
import io.archiver.events.RunOutcome;
import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;

/** A run in the ledger. */
@Entity
@Table(name = "archive_run")
public class ArchiveRunEntity extends PanacheEntityBase {

    @Id
    @Column(name = "run_id")
    public String runId;
    public String policy;
    @Column(name = "table_name")
    public String tableName;
    @Column(name = "cutoff_epoch_ms")
    public long cutoffEpochMs;
    @Enumerated(EnumType.STRING)
    public ArchiveMode mode;
    @Column(name = "run_date")
    public LocalDate runDate;
    @Column(name = "dry_run")
    public boolean dryRun;
    @Column(name = "schedule_slot")
    public String scheduleSlot;
    @Column(name = "requested_by")
    public String requestedBy;
    @Enumerated(EnumType.STRING)
    public RunState state;
    @Enumerated(EnumType.STRING)
    public RunOutcome outcome;
    @Column(name = "batches_planned")
    public int batchesPlanned;
    @Column(name = "rows_found")
    public long rowsFound;
    @Column(name = "requested_at_ms")
    public long requestedAtMs;
    @Column(name = "planned_at_ms")
    public Long plannedAtMs;
    @Column(name = "completed_at_ms")
    public Long completedAtMs;
    /** The statistics fixed when the run completed ({@link RunLedger}), as ten comma-separated numbers. */
    public String statistics;
    /** ArchiveRunCompleted was acknowledged by the broker. */
    @Column(name = "completion_sent")
    public boolean completionSent;
}
