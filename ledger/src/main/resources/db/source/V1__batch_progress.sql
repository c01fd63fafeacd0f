-- The deleter's per-batch progress in a source database (not the control one): written in the same transaction as the
-- chunk's deletes (and copies, in MOVE mode), so that a batch's rows and its progress leave or stay together. One row per
-- batch of a policy archiving from this database; removed_through_id is the last id a committed chunk handled, completed
-- is 1 once the batch's last chunk committed (then the control database's ledger marks the batch DELETED).
-- Created by the scanner before it plans a run of a policy of this source (CREATE TABLE IF NOT EXISTS: idempotent).
CREATE TABLE IF NOT EXISTS archiver_batch_progress (
    batch_id                VARCHAR(160) NOT NULL PRIMARY KEY,
    run_id                  VARCHAR(128) NOT NULL,
    removed_through_id      BIGINT       NULL,
    completed               TINYINT(1)   NOT NULL DEFAULT 0,
    rows_removed            BIGINT       NOT NULL DEFAULT 0,
    rows_kept_changed       BIGINT       NOT NULL DEFAULT 0,
    rows_kept_not_in_object BIGINT       NOT NULL DEFAULT 0,
    rows_missing            BIGINT       NOT NULL DEFAULT 0,
    updated_at_ms           BIGINT       NOT NULL
) COMMENT 'Archiver: deleter progress, schema 1'
