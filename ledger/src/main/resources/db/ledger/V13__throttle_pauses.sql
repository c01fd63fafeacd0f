-- Protecting the primary (docs/live-tables.md): every pause of the deleter's health throttle, so a run's progress says how
-- long it waited for the database and why. Written by the deleter when the pause ends (resumed, gave up, interrupted);
-- observability only: a batch's rows and state never depend on it.
CREATE TABLE archive_throttle_pause (
    pause_id        BIGINT       NOT NULL AUTO_INCREMENT,
    run_id          VARCHAR(128) NOT NULL,
    batch_id        VARCHAR(160) NOT NULL,
    reason          VARCHAR(160) NOT NULL,
    detail          VARCHAR(1000) NOT NULL,
    outcome         VARCHAR(16)  NOT NULL,
    began_at_ms     BIGINT       NOT NULL,
    paused_ms       BIGINT       NOT NULL,
    PRIMARY KEY (pause_id),
    KEY idx_archive_throttle_pause_run (run_id, reason),
    CONSTRAINT chk_archive_throttle_pause_outcome CHECK (outcome IN ('RESUMED', 'GAVE_UP', 'INTERRUPTED'))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
