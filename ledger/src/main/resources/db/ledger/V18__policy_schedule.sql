-- A policy's cron schedule (issue 21 item 4, docs/policies.md): a Quartz cron expression in UTC as io.archiver.policy.CronSchedule
-- reads it; NULL: no schedule (the policy runs when archivectl, the API or a CronJob triggers it). The scanner fires each enabled
-- policy's schedule, one run per policy and slot (uk_archive_run_slot).
ALTER TABLE archive_policy ADD COLUMN schedule VARCHAR(128) NULL;
