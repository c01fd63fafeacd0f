-- Legal holds and retention (issue 23 items 4 and 5, docs/archive.md#holds and #purge).
-- A hold keeps archived data from being purged: every object and MOVE-table row of a policy (scope POLICY), of one run
-- (RUN: the run's objects and the keys of its batches), one object (OBJECT) or a key range (KEY_RANGE, inclusive). It is
-- active from placed_at_ms until released (released_at_ms set) or until until_ms passes. io.archiver.operations.holds.Holds
-- is its one writer; every place and release is audited in archive_audit in the same transaction.
CREATE TABLE archive_hold (
    id             BIGINT        NOT NULL AUTO_INCREMENT,
    policy         VARCHAR(64)   NOT NULL,
    scope          VARCHAR(16)   NOT NULL,
    run_id         VARCHAR(128)  NULL,
    object_key     VARCHAR(1024) NULL,
    first_key      BIGINT        NULL,
    last_key       BIGINT        NULL,
    reason         VARCHAR(1024) NOT NULL,
    placed_by      VARCHAR(128)  NOT NULL,
    placed_at_ms   BIGINT        NOT NULL,
    until_ms       BIGINT        NULL,
    released_by    VARCHAR(128)  NULL,
    released_at_ms BIGINT        NULL,
    PRIMARY KEY (id),
    KEY idx_archive_hold_policy (policy, released_at_ms)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- A policy's retentions, ISO-8601 durations as a policy file writes them: how long rows stay in the MOVE table after they were
-- moved, by the policy's date column (NULL: kept until someone decides), and how long an object stays in the bucket after it
-- was written (two years unless the policy says otherwise; never less than the bucket's Object Lock retention).
ALTER TABLE archive_policy ADD COLUMN archive_table_retention VARCHAR(64) NULL;
ALTER TABLE archive_policy ADD COLUMN object_retention VARCHAR(64) NOT NULL DEFAULT 'P730D';
