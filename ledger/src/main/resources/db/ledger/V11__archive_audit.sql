-- The audit trail (issue 23, docs/archive.md#audit): one row per deleted or moved batch, and later per restore, purge, hold
-- and policy change: who, when, what, how many rows, which objects and their digests. Append-only: the services' user is
-- granted INSERT and SELECT on this table and nothing else (docs/archive.md gives the grants; AuditTrailTest holds a real
-- MariaDB user to them). object_keys is a JSON array of keys, digests a JSON object (objectSha256, rowsDigest, ...).
CREATE TABLE archive_audit (
    id            BIGINT        NOT NULL AUTO_INCREMENT,
    at_ms         BIGINT        NOT NULL,
    actor         VARCHAR(128)  NOT NULL,
    action        VARCHAR(32)   NOT NULL,
    policy        VARCHAR(64)   NULL,
    table_name    VARCHAR(64)   NULL,
    run_id        VARCHAR(128)  NULL,
    batch_id      VARCHAR(160)  NULL,
    row_count     BIGINT        NOT NULL DEFAULT 0,
    object_keys   TEXT          NULL,
    digests       TEXT          NULL,
    detail        VARCHAR(1024) NULL,
    PRIMARY KEY (id),
    -- a batch is deleted (or moved) once: its audit row is written in the commit that marks it so
    UNIQUE KEY uk_archive_audit_batch_action (batch_id, action),
    KEY idx_archive_audit_policy_at (policy, at_ms),
    KEY idx_archive_audit_at (at_ms)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
