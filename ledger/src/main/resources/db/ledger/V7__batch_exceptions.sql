-- Live tables (docs/live-tables.md): the deleter handles each row of a chunk alone. A row whose values changed since the
-- export, or that the object does not hold, stays; an archived row no longer in the table is counted missing. The batch
-- keeps these counts (found = removed + kept + missing + failed) and every such key in archive_batch_exception, written in
-- the chunk's own transaction. exceptions_key names the object's sidecar that lists the keys whose version in the object
-- was not removed (CHANGED and MISSING): that version is not the archived one.
ALTER TABLE archive_batch
    ADD COLUMN rows_kept_changed BIGINT NULL,
    ADD COLUMN rows_kept_not_in_object BIGINT NULL,
    ADD COLUMN rows_missing BIGINT NULL,
    ADD COLUMN exceptions_key VARCHAR(600) NULL;

CREATE TABLE archive_batch_exception (
    batch_id        VARCHAR(160) NOT NULL,
    key_id          BIGINT       NOT NULL,
    run_id          VARCHAR(128) NOT NULL,
    reason          VARCHAR(16)  NOT NULL,
    object_key      VARCHAR(512) NOT NULL,
    recorded_at_ms  BIGINT       NOT NULL,
    PRIMARY KEY (batch_id, key_id),
    KEY idx_archive_batch_exception_key (key_id),
    KEY idx_archive_batch_exception_object (object_key(191)),
    CONSTRAINT fk_archive_batch_exception_batch FOREIGN KEY (batch_id) REFERENCES archive_batch (batch_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
