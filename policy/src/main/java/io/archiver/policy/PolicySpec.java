package io.archiver.policy;

import java.time.Duration;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import io.archiver.events.ArchiveMode;
import io.archiver.support.policy.DateKind;

/**
 * One named policy as it is stored and applied: every setting a policy has ({@link #SETTINGS}, in the file's and the
 * history's order). The key is a list of columns even though only one BIGINT column is archived today, so that composite
 * keys keep the stored form. {@link #problems()} says what is wrong with it, naming the setting and the fix.
 */
public record PolicySpec(String name, String table, List<String> key, String dateColumn, DateKind dateKind, ZoneId dateZone, Duration minAge,
        int batchSize, ArchiveMode mode, String archiveTable, String prefix, double maxSharePerRun, Long maxRowsPerRun,
        boolean allowWholeTable, boolean confirmFirstRun, boolean enabled, String source, Duration archiveTableRetention,
        Duration objectRetention, String schedule) {

    /** How long an object stays in the bucket unless a policy says otherwise: two years, what the run table's owners asked for. */
    public static final Duration DEFAULT_OBJECT_RETENTION = Duration.ofDays(730);

    /** The settings' names, as written in a policy file and in the history's values. */
    public static final List<String> SETTINGS = List.of("table", "key", "date-column", "date-kind", "date-zone", "min-age", "batch-size", "mode",
            "archive-table", "prefix", "max-share-per-run", "max-rows-per-run", "allow-whole-table", "confirm-first-run", "enabled",
            "source", "archive-table-retention", "object-retention", "schedule");

    private static final ZoneId UTC = ZoneId.of("UTC");
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,63}");
    // a policy's name travels in every event, which takes SQL identifiers only: so no '-' (a source's name stays in the database)
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]{0,63}");
    private static final Pattern SOURCE_NAME = Pattern.compile("[a-z][a-z0-9-]{0,63}");
    private static final Pattern PREFIX = Pattern.compile("[A-Za-z0-9!_.*'()-]+(/[A-Za-z0-9!_.*'()-]+)*");

    public PolicySpec {
        key = List.copyOf(key);
        // UTC, Etc/UTC, Z and +00:00 are one zone, stored and shown as UTC (the column's default)
        dateZone = dateZone == null || dateZone.normalized().equals(ZoneOffset.UTC) ? UTC : dateZone;
        source = source == null ? SourceSpec.CONTROL : source;
        objectRetention = objectRetention == null ? DEFAULT_OBJECT_RETENTION : objectRetention;
        // no schedule is null, however it was written (off, as archiver.schedule.cron writes it)
        schedule = schedule == null || schedule.isBlank() || schedule.trim().equalsIgnoreCase(CronSchedule.OFF) ? null : schedule.trim();
    }

    /** A policy without a schedule (started by archivectl, the API or a CronJob only). */
    public PolicySpec(String name, String table, List<String> key, String dateColumn, DateKind dateKind, ZoneId dateZone, Duration minAge,
            int batchSize, ArchiveMode mode, String archiveTable, String prefix, double maxSharePerRun, Long maxRowsPerRun,
            boolean allowWholeTable, boolean confirmFirstRun, boolean enabled, String source, Duration archiveTableRetention,
            Duration objectRetention) {
        this(name, table, key, dateColumn, dateKind, dateZone, minAge, batchSize, mode, archiveTable, prefix, maxSharePerRun, maxRowsPerRun,
                allowWholeTable, confirmFirstRun, enabled, source, archiveTableRetention, objectRetention, null);
    }

    /** A policy with the default retentions: MOVE-table rows kept until someone decides, objects {@link #DEFAULT_OBJECT_RETENTION}. */
    public PolicySpec(String name, String table, List<String> key, String dateColumn, DateKind dateKind, ZoneId dateZone, Duration minAge,
            int batchSize, ArchiveMode mode, String archiveTable, String prefix, double maxSharePerRun, Long maxRowsPerRun,
            boolean allowWholeTable, boolean confirmFirstRun, boolean enabled, String source) {
        this(name, table, key, dateColumn, dateKind, dateZone, minAge, batchSize, mode, archiveTable, prefix, maxSharePerRun, maxRowsPerRun,
                allowWholeTable, confirmFirstRun, enabled, source, null, null);
    }

    /** A policy of a table in the control database (source {@value SourceSpec#CONTROL}). */
    public PolicySpec(String name, String table, List<String> key, String dateColumn, DateKind dateKind, ZoneId dateZone, Duration minAge,
            int batchSize, ArchiveMode mode, String archiveTable, String prefix, double maxSharePerRun, Long maxRowsPerRun,
            boolean allowWholeTable, boolean confirmFirstRun, boolean enabled) {
        this(name, table, key, dateColumn, dateKind, dateZone, minAge, batchSize, mode, archiveTable, prefix, maxSharePerRun, maxRowsPerRun,
                allowWholeTable, confirmFirstRun, enabled, SourceSpec.CONTROL);
    }

    /**
     * Rows per batch (= rows per object) where a policy names none: 50,000 cost the services, Kafka and the S3 server a fifth to
     * a half less per row than 10,000 (docs/performance.md); a run's first batches are smaller (the scanner's first-batch-rows).
     */
    public static final int DEFAULT_BATCH_SIZE = 50_000;

    /** A policy of {@code name} on {@code table} with every other setting at its default (as the run policy had them). */
    public static PolicySpec defaults(String name, String table) {
        return new PolicySpec(name, table, List.of("id"), "msg_sent_date", DateKind.EPOCH_MILLIS, ZoneOffset.UTC, Duration.ofDays(60), DEFAULT_BATCH_SIZE,
                ArchiveMode.DELETE, table + "_archive", table + "-archive", 0.9, null, false, true, true);
    }

    /** The key's first column (the whole key of a one-column key such as the run table's id). */
    public String keyColumn() {
        return key.get(0);
    }

    public PolicySpec withEnabled(boolean on) {
        return new PolicySpec(name, table, key, dateColumn, dateKind, dateZone, minAge, batchSize, mode, archiveTable, prefix, maxSharePerRun,
                maxRowsPerRun, allowWholeTable, confirmFirstRun, on, source, archiveTableRetention, objectRetention, schedule);
    }

    /** The policy with this cron {@code schedule} ({@link CronSchedule}; null or off: none). */
    public PolicySpec withSchedule(String cron) {
        return new PolicySpec(name, table, key, dateColumn, dateKind, dateZone, minAge, batchSize, mode, archiveTable, prefix, maxSharePerRun,
                maxRowsPerRun, allowWholeTable, confirmFirstRun, enabled, source, archiveTableRetention, objectRetention, cron);
    }

    /** This policy of {@code other} where it names no source (the control database): how archiver-demo points a file at the database it is given. */
    public PolicySpec inSourceIfNone(String other) {
        if (!SourceSpec.CONTROL.equals(source)) {
            return this;
        }
        return new PolicySpec(name, table, key, dateColumn, dateKind, dateZone, minAge, batchSize, mode, archiveTable, prefix, maxSharePerRun,
                maxRowsPerRun, allowWholeTable, confirmFirstRun, enabled, other, archiveTableRetention, objectRetention);
    }

    /** The settings by name, in {@link #SETTINGS} order: the value kept in the history and compared by a diff. */
    public Map<String, Object> settings() {
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("table", table);
        settings.put("key", key);
        settings.put("date-column", dateColumn);
        settings.put("date-kind", dateKind.name());
        settings.put("date-zone", dateZone.getId());
        settings.put("min-age", text(minAge));
        settings.put("batch-size", batchSize);
        settings.put("mode", mode.name());
        settings.put("archive-table", archiveTable);
        settings.put("prefix", prefix);
        settings.put("max-share-per-run", maxSharePerRun);
        settings.put("max-rows-per-run", maxRowsPerRun);
        settings.put("allow-whole-table", allowWholeTable);
        settings.put("confirm-first-run", confirmFirstRun);
        settings.put("enabled", enabled);
        // left out at its default, so that the settings (and history) of a policy on the control database stay as before sources
        if (!SourceSpec.CONTROL.equals(source)) {
            settings.put("source", source);
        }
        // likewise the retentions at their defaults, so that the settings of a policy stored before retentions stay as they were
        if (archiveTableRetention != null) {
            settings.put("archive-table-retention", text(archiveTableRetention));
        }
        if (!DEFAULT_OBJECT_RETENTION.equals(objectRetention)) {
            settings.put("object-retention", text(objectRetention));
        }
        // and no schedule, so that the policies from before schedules read as they did
        if (schedule != null) {
            settings.put("schedule", schedule);
        }
        return settings;
    }

    /** A duration as written in a policy file: whole days as {@code P60D}, else {@code PT36H} and the like. */
    public static String text(Duration duration) {
        return !duration.isZero() && duration.toSeconds() % 86_400 == 0 && duration.getNano() == 0 ? "P" + duration.toDays() + "D"
                : duration.toString();
    }

    /** The name with what a policy name may not hold replaced, for the error that refuses it. */
    private String suggestedName() {
        String suggested = name == null ? "" : name.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
        return suggested.isEmpty() || !Character.isLetter(suggested.charAt(0)) ? "p_" + suggested : suggested;
    }

    /** What is wrong with this policy, each naming {@code policies.<name>.<setting>} and the fix; empty when it may be stored. */
    public List<String> problems() {
        List<String> problems = new ArrayList<>();
        String at = "policies." + name + ".";
        if (name == null || !NAME.matcher(name).matches()) {
            problems.add("policies." + name + ": a policy name is 1 to 64 of a-z, 0-9 and '_', starting with a letter (it travels in"
                    + " every event as an identifier); write e.g. " + suggestedName());
            at = "policies." + name + ".";
        }
        identifier(problems, at + "table", table);
        if (key.isEmpty() || key.size() > 16) {
            problems.add(at + "key: the table's whole primary key, 1 to 16 columns in key order, not " + key + "; write e.g. key: [id]");
        }
        for (String column : key) {
            identifier(problems, at + "key", column);
        }
        identifier(problems, at + "date-column", dateColumn);
        identifier(problems, at + "archive-table", archiveTable);
        if (mode == ArchiveMode.MOVE && archiveTable != null && archiveTable.equals(table)) {
            problems.add(at + "archive-table: a MOVE policy's archive table must not be its table '" + table + "'");
        }
        if (minAge == null || minAge.isNegative() || minAge.isZero()) {
            problems.add(at + "min-age: must be a positive ISO-8601 duration such as P60D, not " + minAge);
        }
        if (batchSize < 1) {
            problems.add(at + "batch-size: must be at least 1 (rows per batch and object), not " + batchSize);
        }
        if (!(maxSharePerRun > 0 && maxSharePerRun <= 1)) {
            problems.add(at + "max-share-per-run: must be above 0 and at most 1 (a share of the table's rows, 0.9 for 90%), not "
                    + maxSharePerRun);
        }
        if (maxRowsPerRun != null && maxRowsPerRun < 1) {
            problems.add(at + "max-rows-per-run: must be at least 1, or left out for no limit, not " + maxRowsPerRun);
        }
        if (archiveTableRetention != null) {
            if (archiveTableRetention.isNegative() || archiveTableRetention.isZero()) {
                problems.add(at + "archive-table-retention: must be a positive ISO-8601 duration such as P365D, or left out to keep the"
                        + " archive table's rows, not " + text(archiveTableRetention));
            } else if (mode != ArchiveMode.MOVE) {
                problems.add(at + "archive-table-retention: only a MOVE policy has an archive table to purge; leave it out, or set"
                        + " mode: MOVE");
            }
        }
        if (objectRetention.isNegative() || objectRetention.isZero()) {
            problems.add(at + "object-retention: must be a positive ISO-8601 duration such as P730D, not " + text(objectRetention));
        } else if ("run".equals(table) && objectRetention.compareTo(DEFAULT_OBJECT_RETENTION) < 0) {
            // the run table's archive is kept at least two years (issue 23): a shorter setting is a mistake, not a choice
            problems.add(at + "object-retention: the run table's objects are kept at least P730D (two years), not "
                    + text(objectRetention) + "; write object-retention: P730D or longer");
        }
        if (!SOURCE_NAME.matcher(source).matches()) {
            problems.add(at + "source: '" + source + "' is not a source name (1 to 64 of a-z, 0-9 and '-', starting with a letter);"
                    + " leave it out for the control database");
        }
        if (schedule != null && schedule.length() > 128) {
            problems.add(at + "schedule: at most 128 characters; write " + CronSchedule.FORM);
        } else if (schedule != null) {
            String where = at;
            CronSchedule.problem(schedule).ifPresent(why -> problems.add(where + "schedule: '" + schedule + "' is not a schedule (" + why
                    + "); write " + CronSchedule.FORM));
        }
        if (prefix == null || prefix.length() > 255 || !PREFIX.matcher(prefix).matches()) {
            problems.add(at + "prefix: the objects' key prefix is path segments of letters, digits and !_.*'()- joined by '/', with no"
                    + " leading or trailing '/' (e.g. run-archive), not '" + prefix + "'");
        }
        return problems;
    }

    private static void identifier(List<String> problems, String where, String value) {
        if (value == null || !IDENTIFIER.matcher(value).matches()) {
            problems.add(where + ": '" + value + "' is not a plain SQL identifier (letters, digits and _, at most 64, not starting"
                    + " with a digit)");
        }
    }
}
