-- The deleter removes a batch in chunks, one short transaction each; each records how far it got
-- (the last id removed and the rows removed so far), so a redelivered or resumed batch goes on from there.
-- NULL once the batch is DELETED, and before its first chunk.
ALTER TABLE archive_batch ADD COLUMN removed_through_id BIGINT NULL;
