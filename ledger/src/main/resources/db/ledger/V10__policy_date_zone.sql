-- The time zone a policy's DATE and DATETIME date column is read in (issue 22: date columns): a region ID or offset
-- as java.time.ZoneId takes it. The cutoff instant is turned into the column's own type in this zone; TIMESTAMP and
-- epoch columns are instants already and ignore it. Policies stored before it read their columns in UTC, as before.
ALTER TABLE archive_policy ADD COLUMN date_zone VARCHAR(64) NOT NULL DEFAULT 'UTC' AFTER date_kind;
