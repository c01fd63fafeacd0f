-- The run ledger: runs and their batches, with state, counts, checksums and object keys.
-- The scanner writes it; the deleter marks a batch DELETED in the transaction that deletes its rows;
-- the exporter reads it to answer "already done" to a replayed batch.
CREATE TABLE archive_run (
    run_id           VARCHAR(128) NOT NULL PRIMARY KEY,
    policy           VARCHAR(64)  NOT NULL,
    table_name       VARCHAR(64)  NOT NULL,
    cutoff_epoch_ms  BIGINT       NOT NULL,
    mode             VARCHAR(8)   NOT NULL,
    run_date         DATE         NOT NULL,
    dry_run          BOOLEAN      NOT NULL,
    schedule_slot    VARCHAR(128) NULL,
    requested_by     VARCHAR(128) NOT NULL,
    state            VARCHAR(16)  NOT NULL,
    outcome          VARCHAR(16)  NULL,
    batches_planned  INT          NOT NULL DEFAULT 0,
    rows_found       BIGINT       NOT NULL DEFAULT 0,
    requested_at_ms  BIGINT       NOT NULL,
    planned_at_ms    BIGINT       NULL,
    completed_at_ms  BIGINT       NULL,
    UNIQUE KEY uk_archive_run_slot (policy, schedule_slot),
    KEY idx_archive_run_policy_state (policy, state)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE archive_batch (
    batch_id         VARCHAR(160) NOT NULL PRIMARY KEY,
    run_id           VARCHAR(128) NOT NULL,
    seq              INT          NOT NULL,
    first_id         BIGINT       NOT NULL,
    last_id          BIGINT       NOT NULL,
    expected_rows    BIGINT       NOT NULL,
    state            VARCHAR(16)  NOT NULL,
    rows_exported    BIGINT       NULL,
    rows_digest      CHAR(64)     NULL,
    file_bytes       BIGINT       NULL,
    object_key       VARCHAR(512) NULL,
    object_bytes     BIGINT       NULL,
    rows_uploaded    BIGINT       NULL,
    rows_removed     BIGINT       NULL,
    failed_stage     VARCHAR(16)  NULL,
    failure_reason   VARCHAR(64)  NULL,
    failure_detail   VARCHAR(1024) NULL,
    updated_at_ms    BIGINT       NOT NULL,
    UNIQUE KEY uk_archive_batch_run_seq (run_id, seq),
    KEY idx_archive_batch_run_state (run_id, state),
    CONSTRAINT fk_archive_batch_run FOREIGN KEY (run_id) REFERENCES archive_run (run_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
