-- The run's kept and missing rows (docs/live-tables.md) beside its other statistics (V6); NULL for a run completed before
-- them, read as 0. A migration of its own: V7 was applied in test databases before these columns existed.
ALTER TABLE archive_run
    ADD COLUMN stats_rows_kept_changed BIGINT NULL,
    ADD COLUMN stats_rows_kept_not_in_object BIGINT NULL,
    ADD COLUMN stats_rows_missing BIGINT NULL;
