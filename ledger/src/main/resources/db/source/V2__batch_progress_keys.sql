-- Schema 2 of the Archiver's tables in a source database (not the control one). Two statements, applied by
-- io.archiver.ledger.SourceProgress#ensure after V1; applying them again changes nothing.
--
-- 1. A restore's progress per object (docs/archive.md#restore) when its target table is in this database: written in the
--    same transaction as the chunk of rows it inserts, as archive_restore_object is in the control database for a target
--    there, since one transaction cannot span two servers; the control database's archive_restore_object is brought up to
--    it after each commit. records_done: the object's CSV records handled so far; done: 1 once its last chunk committed.
CREATE TABLE IF NOT EXISTS archiver_restore_progress (
    restore_id        VARCHAR(128)  NOT NULL,
    object_key        VARCHAR(512)  NOT NULL,
    records_done      BIGINT        NOT NULL DEFAULT 0,
    rows_restored     BIGINT        NOT NULL DEFAULT 0,
    rows_skipped      BIGINT        NOT NULL DEFAULT 0,
    rows_conflicting  BIGINT        NOT NULL DEFAULT 0,
    done              TINYINT(1)    NOT NULL DEFAULT 0,
    updated_at_ms     BIGINT        NOT NULL,
    PRIMARY KEY (restore_id, object_key)
) ENGINE=InnoDB DEFAULT CHARSET=ascii COLLATE=ascii_bin COMMENT 'Archiver: restore progress, schema 2';

-- 2. Ranges of a whole key (docs/keys.md): removed_through_key is the text of the last key a committed chunk handled
--    (io.archiver.events.KeyValue#text, as archive_batch.removed_through_key in the control ledger), NULL before the first
--    chunk and for a batch of a one-integer key, whose progress stays removed_through_id. Applied only where the column is
--    absent (a V1 table is upgraded in place; MySQL 8 has no ADD COLUMN IF NOT EXISTS).
ALTER TABLE archiver_batch_progress
    ADD COLUMN removed_through_key TEXT NULL AFTER removed_through_id,
    COMMENT 'Archiver: deleter progress, schema 2'
