package io.archiver.scanner.persistence;

import java.time.LocalDate;

import jakarta.persistence.Column;
import jakarta.persistence.Embedded;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.archiver.events.ArchiveMode;
import io.archiver.events.RunOutcome;
import io.archiver.ledger.RunState;
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
    /** The statistics fixed when the run completed ({@link RunLedger}); null before. */
    @Embedded
    public RunStatisticsColumns statistics;
    /** ArchiveRunCompleted was acknowledged by the broker. */
    @Column(name = "completion_sent")
    public boolean completionSent;

    // ---- the safety rails (V5)

    /** The policy's settings the run was requested under ({@code PolicyFingerprint}). */
    @Column(name = "policy_fingerprint")
    public String policyFingerprint;
    /** The rail that refused, held or annotates the run ({@code RailReason}), and what it says. */
    public String reason;
    @Column(name = "reason_detail")
    public String reasonDetail;
    /** The date column's smallest and largest values when the run was checked, as the server gave them. */
    @Column(name = "date_min_value")
    public String dateMinValue;
    @Column(name = "date_max_value")
    public String dateMaxValue;
    /** The plan: the table's rows when planned, its oldest row's date and the newest eligible date (epoch ms). */
    @Column(name = "table_rows")
    public Long tableRows;
    @Column(name = "oldest_row_ms")
    public Long oldestRowMs;
    @Column(name = "newest_eligible_ms")
    public Long newestEligibleMs;
    /** When the run's batches were first published: from then on its export may begin. */
    @Column(name = "released_at_ms")
    public Long releasedAtMs;
    @Column(name = "confirmed_by")
    public String confirmedBy;
    @Column(name = "confirmed_at_ms")
    public Long confirmedAtMs;
}
