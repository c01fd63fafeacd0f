-- The safety rails (docs/safety-rails.md). A run may be REFUSED before planning (its reason and what the date
-- column held), or wait in AWAITING_CONFIRMATION after planning (its plan and why) until it is confirmed.
-- policy_fingerprint names the policy's settings the run was requested under; released_at_ms is set when its
-- batches were first published: a fingerprint with no released run is a new or changed policy.
ALTER TABLE archive_run
    MODIFY COLUMN state VARCHAR(32) NOT NULL,
    ADD COLUMN policy_fingerprint CHAR(64) NULL,
    ADD COLUMN reason VARCHAR(64) NULL,
    ADD COLUMN reason_detail VARCHAR(1024) NULL,
    ADD COLUMN date_min_value VARCHAR(64) NULL,
    ADD COLUMN date_max_value VARCHAR(64) NULL,
    ADD COLUMN table_rows BIGINT NULL,
    ADD COLUMN oldest_row_ms BIGINT NULL,
    ADD COLUMN newest_eligible_ms BIGINT NULL,
    ADD COLUMN released_at_ms BIGINT NULL,
    ADD COLUMN confirmed_by VARCHAR(128) NULL,
    ADD COLUMN confirmed_at_ms BIGINT NULL,
    ADD KEY idx_archive_run_policy_fingerprint (policy, policy_fingerprint);
