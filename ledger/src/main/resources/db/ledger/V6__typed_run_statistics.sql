-- A run's statistics in typed columns, one per figure of RunStatistics (V3 kept them as one string of ten comma-separated
-- numbers, in this order). NULL until the run completes; then fixed, so every later announcement repeats them.
ALTER TABLE archive_run
    ADD COLUMN stats_rows_found BIGINT NULL,
    ADD COLUMN stats_rows_exported BIGINT NULL,
    ADD COLUMN stats_rows_uploaded BIGINT NULL,
    ADD COLUMN stats_rows_removed BIGINT NULL,
    ADD COLUMN stats_rows_failed BIGINT NULL,
    ADD COLUMN stats_batches BIGINT NULL,
    ADD COLUMN stats_batches_failed BIGINT NULL,
    ADD COLUMN stats_bytes_uploaded BIGINT NULL,
    ADD COLUMN stats_objects BIGINT NULL,
    ADD COLUMN stats_duration_ms BIGINT NULL;

-- The n-th number of the old string is SUBSTRING_INDEX(SUBSTRING_INDEX(statistics, ',', n), ',', -1).
UPDATE archive_run SET
    stats_rows_found = CAST(SUBSTRING_INDEX(statistics, ',', 1) AS SIGNED),
    stats_rows_exported = CAST(SUBSTRING_INDEX(SUBSTRING_INDEX(statistics, ',', 2), ',', -1) AS SIGNED),
    stats_rows_uploaded = CAST(SUBSTRING_INDEX(SUBSTRING_INDEX(statistics, ',', 3), ',', -1) AS SIGNED),
    stats_rows_removed = CAST(SUBSTRING_INDEX(SUBSTRING_INDEX(statistics, ',', 4), ',', -1) AS SIGNED),
    stats_rows_failed = CAST(SUBSTRING_INDEX(SUBSTRING_INDEX(statistics, ',', 5), ',', -1) AS SIGNED),
    stats_batches = CAST(SUBSTRING_INDEX(SUBSTRING_INDEX(statistics, ',', 6), ',', -1) AS SIGNED),
    stats_batches_failed = CAST(SUBSTRING_INDEX(SUBSTRING_INDEX(statistics, ',', 7), ',', -1) AS SIGNED),
    stats_bytes_uploaded = CAST(SUBSTRING_INDEX(SUBSTRING_INDEX(statistics, ',', 8), ',', -1) AS SIGNED),
    stats_objects = CAST(SUBSTRING_INDEX(SUBSTRING_INDEX(statistics, ',', 9), ',', -1) AS SIGNED),
    stats_duration_ms = CAST(SUBSTRING_INDEX(SUBSTRING_INDEX(statistics, ',', 10), ',', -1) AS SIGNED)
WHERE statistics IS NOT NULL;

ALTER TABLE archive_run DROP COLUMN statistics;

-- The states the code knows (io.archiver.ledger.RunState, BatchState) are the only ones the tables take; LedgerSchemaTest
-- holds the two lists equal.
ALTER TABLE archive_run ADD CONSTRAINT ck_archive_run_state
    CHECK (state IN ('PLANNING', 'AWAITING_CONFIRMATION', 'RUNNING', 'COMPLETED'));
ALTER TABLE archive_batch ADD CONSTRAINT ck_archive_batch_state
    CHECK (state IN ('PLANNED', 'EXPORTED', 'UPLOADED', 'DELETED', 'FAILED'));
