-- The archival policies as data (docs/policies.md): one row per policy, its current settings and version, and an
-- append-only history of every change (who, when, old and new value). io.archiver.policy.PolicyStore is their one writer.
-- key_columns is a JSON array of column names (one column today; composite keys keep the same form).
CREATE TABLE archive_policy (
    name              VARCHAR(64)   NOT NULL,
    table_name        VARCHAR(64)   NOT NULL,
    key_columns       VARCHAR(1024) NOT NULL,
    date_column       VARCHAR(64)   NOT NULL,
    date_kind         VARCHAR(32)   NOT NULL,
    min_age           VARCHAR(64)   NOT NULL,
    batch_size        INT           NOT NULL,
    mode              VARCHAR(16)   NOT NULL,
    archive_table     VARCHAR(64)   NOT NULL,
    object_prefix     VARCHAR(255)  NOT NULL,
    max_share_per_run DOUBLE        NOT NULL,
    max_rows_per_run  BIGINT        NULL,
    allow_whole_table BOOLEAN       NOT NULL,
    confirm_first_run BOOLEAN       NOT NULL,
    enabled           BOOLEAN       NOT NULL,
    version           INT           NOT NULL,
    updated_by        VARCHAR(128)  NOT NULL,
    updated_at_ms     BIGINT        NOT NULL,
    PRIMARY KEY (name)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE archive_policy_history (
    id          BIGINT        NOT NULL AUTO_INCREMENT,
    name        VARCHAR(64)   NOT NULL,
    version     INT           NOT NULL,
    change_kind VARCHAR(16)   NOT NULL,
    old_value   TEXT          NULL,
    new_value   TEXT          NOT NULL,
    actor       VARCHAR(128)  NOT NULL,
    at_ms       BIGINT        NOT NULL,
    PRIMARY KEY (id),
    UNIQUE KEY uq_archive_policy_history_version (name, version)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- The run policy every service had in its application.properties until now, with the same settings, so that a
-- fresh install archives run out of the box as before; its history says where it came from.
INSERT INTO archive_policy (name, table_name, key_columns, date_column, date_kind, min_age, batch_size, mode, archive_table,
        object_prefix, max_share_per_run, max_rows_per_run, allow_whole_table, confirm_first_run, enabled, version, updated_by,
        updated_at_ms)
    VALUES ('run', 'run', '["id"]', 'msg_sent_date', 'EPOCH_MILLIS', 'P60D', 10000, 'DELETE', 'run_archive', 'run-archive', 0.9,
        NULL, FALSE, TRUE, TRUE, 1, 'migration V9', UNIX_TIMESTAMP() * 1000);

INSERT INTO archive_policy_history (name, version, change_kind, old_value, new_value, actor, at_ms)
    VALUES ('run', 1, 'CREATE', NULL, '{"table":"run","key":["id"],"date-column":"msg_sent_date","date-kind":"EPOCH_MILLIS","min-age":"P60D","batch-size":10000,"mode":"DELETE","archive-table":"run_archive","prefix":"run-archive","max-share-per-run":0.9,"max-rows-per-run":null,"allow-whole-table":false,"confirm-first-run":true,"enabled":true}',
        'migration V9', UNIX_TIMESTAMP() * 1000);
