-- A run's statistics are computed once, when its last batch ends, and kept: every later
-- announcement of the run (a replayed request, a redelivered completion) repeats the same figures.
ALTER TABLE archive_run ADD COLUMN statistics VARCHAR(512) NULL;
