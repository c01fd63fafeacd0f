-- When the scanner first published a batch's ArchiveBatchReady (docs/policies.md, fairness): a run has at most
-- archiver.scan.batches-in-flight batches published and not ended, and the next is published as one ends. NULL: not published
-- yet (or published before this column existed).
ALTER TABLE archive_batch ADD COLUMN published_at_ms BIGINT NULL;
