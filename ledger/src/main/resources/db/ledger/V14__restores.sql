-- Restores (issue 23 item 3, docs/archive.md#restore): one record per RestoreRequested, written by the deleter's restore
-- handler. archive_restore holds its state and figures (what status shows); archive_restore_object its progress per object,
-- updated in the same transaction as the chunk of rows it inserts (the target table is in this database: the control
-- database is the source's), so a replayed or resumed restore goes on after the last committed chunk; archive_restore_conflict
-- lists the keys whose row in the target holds other values than the archive (reported, never overwritten: promise 8).
CREATE TABLE archive_restore (
    restore_id        VARCHAR(128)  NOT NULL,
    policy            VARCHAR(64)   NOT NULL,
    table_name        VARCHAR(64)   NOT NULL,
    target_table      VARCHAR(64)   NOT NULL,
    scope             VARCHAR(1024) NOT NULL,
    into_source       TINYINT(1)    NOT NULL,
    dry_run           TINYINT(1)    NOT NULL,
    requested_by      VARCHAR(128)  NOT NULL,
    state             VARCHAR(16)   NOT NULL,
    objects_total     INT           NOT NULL DEFAULT 0,
    objects_done      INT           NOT NULL DEFAULT 0,
    rows_restored     BIGINT        NOT NULL DEFAULT 0,
    rows_skipped      BIGINT        NOT NULL DEFAULT 0,
    rows_conflicting  BIGINT        NOT NULL DEFAULT 0,
    error             VARCHAR(1024) NULL,
    requested_at_ms   BIGINT        NOT NULL,
    updated_at_ms     BIGINT        NOT NULL,
    completed_at_ms   BIGINT        NULL,
    PRIMARY KEY (restore_id),
    KEY idx_archive_restore_policy (policy, requested_at_ms),
    CONSTRAINT ck_archive_restore_state CHECK (state IN ('RUNNING', 'COMPLETED', 'FAILED'))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE archive_restore_object (
    restore_id        VARCHAR(128)  NOT NULL,
    object_key        VARCHAR(512)  NOT NULL,
    done              TINYINT(1)    NOT NULL DEFAULT 0,
    -- the object's records (CSV rows, in file order) handled so far: a resumed restore skips them
    records_done      BIGINT        NOT NULL DEFAULT 0,
    rows_restored     BIGINT        NOT NULL DEFAULT 0,
    rows_skipped      BIGINT        NOT NULL DEFAULT 0,
    rows_conflicting  BIGINT        NOT NULL DEFAULT 0,
    sha256            CHAR(64)      NOT NULL,
    updated_at_ms     BIGINT        NOT NULL,
    PRIMARY KEY (restore_id, object_key)
) ENGINE=InnoDB DEFAULT CHARSET=ascii COLLATE=ascii_bin;

CREATE TABLE archive_restore_conflict (
    restore_id        VARCHAR(128)  NOT NULL,
    key_value         VARCHAR(255)  NOT NULL,
    object_key        VARCHAR(512)  NOT NULL,
    recorded_at_ms    BIGINT        NOT NULL,
    PRIMARY KEY (restore_id, key_value)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
