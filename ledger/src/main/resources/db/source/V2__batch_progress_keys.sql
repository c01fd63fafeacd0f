-- Ranges of a whole key (docs/keys.md) for a policy of this database: removed_through_key is the text of the last key a
-- committed chunk handled (io.archiver.events.KeyValue#text, as archive_batch.removed_through_key in the control ledger),
-- NULL before the first chunk and for a batch of a one-integer key, whose progress stays removed_through_id.
-- Applied by io.archiver.ledger.SourceProgress#ensure after V1, only where the column is absent (a V1 table is upgraded in
-- place; MySQL 8 has no ADD COLUMN IF NOT EXISTS), so applying it again changes nothing.
ALTER TABLE archiver_batch_progress
    ADD COLUMN removed_through_key TEXT NULL AFTER removed_through_id,
    COMMENT 'Archiver: deleter progress, schema 2'
