-- ArchiveRunCompleted is published once per run: set when the broker acknowledged it, so that a
-- completion event processed after the run closed does not publish it again, while one redelivered
-- after a crash between closing the run and publishing still does.
ALTER TABLE archive_run ADD COLUMN completion_sent BOOLEAN NOT NULL DEFAULT FALSE;
