-- Ranges of a whole key (docs/keys.md): a batch of a table whose key is not one integer column has its range as the texts of
-- its first and last key (io.archiver.events.KeyValue#text, a JSON array of the parts' texts), with first_id and last_id 0;
-- the deleter's progress is then the text of the last key it handled. All three stay NULL for a batch of a one-integer key,
-- whose range is first_id..last_id as before. Compared as written: the same key always has the same text.
ALTER TABLE archive_batch
    ADD COLUMN first_key TEXT NULL,
    ADD COLUMN last_key TEXT NULL,
    ADD COLUMN removed_through_key TEXT NULL;
