-- Exceptions of a batch of whole keys (docs/keys.md): key_text is the key's text (io.archiver.events.KeyValue#text) and key_id
-- its ordinal in the batch (the archived row's position in the object for CHANGED and MISSING, below zero for NOT_IN_OBJECT),
-- so that the primary key (batch_id, key_id) and the key order of the listings stay as they are. NULL for a one-integer key,
-- whose key_id is the row's id as before.
ALTER TABLE archive_batch_exception ADD COLUMN key_text TEXT NULL;
