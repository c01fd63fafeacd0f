package io.archiver.scanner.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.archiver.ledger.BatchState;
import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;

/** A batch of a run in the ledger: its id range, state, and what each step reported. */
@Entity
@Table(name = "archive_batch")
public class ArchiveBatchEntity extends PanacheEntityBase {

    @Id
    @Column(name = "batch_id")
    public String batchId;
    @Column(name = "run_id")
    public String runId;
    public int seq;
    @Column(name = "first_id")
    public long firstId;
    @Column(name = "last_id")
    public long lastId;
    /** The range of a whole key ({@link io.archiver.events.KeyValue#text}); null for a one-integer key's firstId..lastId (docs/keys.md). */
    @Column(name = "first_key")
    public String firstKey;
    @Column(name = "last_key")
    public String lastKey;
    @Column(name = "expected_rows")
    public long expectedRows;
    @Enumerated(EnumType.STRING)
    public BatchState state;
    @Column(name = "rows_exported")
    public Long rowsExported;
    @Column(name = "rows_digest")
    public String rowsDigest;
    @Column(name = "file_bytes")
    public Long fileBytes;
    @Column(name = "object_key")
    public String objectKey;
    @Column(name = "object_bytes")
    public Long objectBytes;
    @Column(name = "rows_uploaded")
    public Long rowsUploaded;
    @Column(name = "rows_removed")
    public Long rowsRemoved;
    /** What the deleter left in the table, and why, and the archived rows it no longer found (docs/live-tables.md). */
    @Column(name = "rows_kept_changed")
    public Long rowsKeptChanged;
    @Column(name = "rows_kept_not_in_object")
    public Long rowsKeptNotInObject;
    @Column(name = "rows_missing")
    public Long rowsMissing;
    @Column(name = "exceptions_key")
    public String exceptionsKey;
    @Column(name = "failed_stage")
    public String failedStage;
    @Column(name = "failure_reason")
    public String failureReason;
    @Column(name = "failure_detail")
    public String failureDetail;
    @Column(name = "updated_at_ms")
    public long updatedAtMs;
    /** When its ArchiveBatchReady was first published; null before (the run's window, {@link io.archiver.scanner.domain.BatchWindow}). */
    @Column(name = "published_at_ms")
    public Long publishedAtMs;

    /** The batch's rows by what became of them, as {@link io.archiver.events.RowCounts#ofBatch} counts them. */
    public io.archiver.events.RowCounts counts() {
        return io.archiver.events.RowCounts.ofBatch(state == BatchState.FAILED, expectedRows, rowsExported, rowsRemoved, rowsKeptChanged,
                rowsKeptNotInObject, rowsMissing);
    }
}
