-- A key-range hold that also keeps its rows in the source table (issue 23 item 5, docs/archive.md#holds): while it is in
-- force the scanner plans none of its keys and the deleter deletes none of them, whatever an event says.
ALTER TABLE archive_hold ADD COLUMN keep_in_source BOOLEAN NOT NULL DEFAULT FALSE;
