-- The table Archiver's first policy archives, as the local stack and the tests create it.
-- In production `run` already exists; Archiver needs only the primary key and the index on msg_sent_date.
CREATE TABLE IF NOT EXISTS run (
    id            BIGINT        NOT NULL AUTO_INCREMENT,
    msg_sent_date BIGINT        NOT NULL COMMENT 'epoch milliseconds',
    run_uuid      CHAR(36)      NOT NULL,
    status        VARCHAR(32)   NOT NULL,
    recipient     VARCHAR(255)  NULL,
    subject       VARCHAR(512)  NULL,
    body          TEXT          NULL,
    amount        DECIMAL(19,4) NULL,
    ratio         DOUBLE        NULL,
    attempts      INT           NULL,
    is_test       TINYINT(1)    NOT NULL DEFAULT 0,
    created_at    DATETIME(3)   NOT NULL,
    delivered_on  DATE          NULL,
    payload       JSON          NULL,
    checksum      VARBINARY(32) NULL,
    attachment    BLOB          NULL,
    PRIMARY KEY (id),
    KEY idx_run_msg_sent_date (msg_sent_date)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

-- Move mode copies archived rows here before deleting them from `run`, for short-term recovery.
CREATE TABLE IF NOT EXISTS run_archive LIKE run;
