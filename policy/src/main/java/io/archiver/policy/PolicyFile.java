package io.archiver.policy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import io.archiver.events.ArchiveMode;
import io.archiver.support.policy.DateKind;

/**
 * A policy file: YAML with one map {@code policies} of policy name to its settings ({@link PolicySpec#SETTINGS}); only
 * {@code table} is required, every other setting has the default of {@link PolicySpec#defaults}. Every problem of the file
 * is reported at once, each naming the setting and the fix (an unknown setting lists the known ones).
 */
public final class PolicyFile {

    private static final YAMLMapper YAML = new YAMLMapper();

    private PolicyFile() {
    }

    /**
     * {@code base} with some settings changed ({@link PolicySpec#SETTINGS} names to values as a file would give them), checked
     * as a file is.
     */
    public static PolicySpec withSettings(PolicySpec base, Map<String, ?> changes) {
        Map<String, Object> settings = new LinkedHashMap<>(base.settings());
        settings.putAll(changes);
        JsonNode node = YAML.valueToTree(Map.of("policies", Map.of(base.name(), settings)));
        try {
            return parse("policy " + base.name(), YAML.writeValueAsString(node)).get(0);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static List<PolicySpec> read(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new PolicyFileException(file.toString(), List.of("cannot read it: " + e.getMessage()));
        }
        return parse(file.toString(), text);
    }

    public static List<PolicySpec> parse(String where, String text) {
        List<String> problems = new ArrayList<>();
        List<PolicySpec> specs = new ArrayList<>();
        for (Map.Entry<String, JsonNode> policy : entries(where, text, "policies", "{run: {table: run}}", problems).entrySet()) {
            PolicySpec spec = spec(policy.getKey(), policy.getValue(), problems);
            if (spec != null) {
                problems.addAll(spec.problems());
                specs.add(spec);
            }
        }
        if (!problems.isEmpty()) {
            throw new PolicyFileException(where, problems);
        }
        return specs;
    }

    /**
     * The named entries of a YAML file with the one key {@code rootKey} (policies, sources), in file order; a file that is not
     * such a map is refused at once, an unknown top-level key is added to {@code problems}.
     */
    static Map<String, JsonNode> entries(String where, String text, String rootKey, String example, List<String> problems) {
        JsonNode root;
        try {
            root = YAML.readTree(text);
        } catch (JsonProcessingException e) {
            throw new PolicyFileException(where, List.of("not valid YAML: " + e.getOriginalMessage()
                    + (e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr())));
        }
        if (root == null || !root.isObject() || !root.has(rootKey)) {
            throw new PolicyFileException(where, List.of("expected a map with the key '" + rootKey + "' (" + rootKey + ": " + example + ")"));
        }
        for (Iterator<String> keys = root.fieldNames(); keys.hasNext();) {
            String key = keys.next();
            if (!key.equals(rootKey)) {
                problems.add(key + ": unknown key; this file has only '" + rootKey + "'");
            }
        }
        JsonNode named = root.get(rootKey);
        if (!named.isObject() || named.isEmpty()) {
            throw new PolicyFileException(where, List.of(rootKey + ": expected a map of name to settings (" + rootKey + ": " + example + ")"));
        }
        Map<String, JsonNode> entries = new LinkedHashMap<>();
        named.fields().forEachRemaining(e -> entries.put(e.getKey(), e.getValue()));
        return entries;
    }

    private static PolicySpec spec(String name, JsonNode node, List<String> problems) {
        String at = "policies." + name + ".";
        if (!node.isObject()) {
            problems.add("policies." + name + ": expected a map of settings (table: ..., date-column: ...)");
            return null;
        }
        Map<String, JsonNode> given = new LinkedHashMap<>();
        node.fields().forEachRemaining(e -> given.put(e.getKey(), e.getValue()));
        for (String setting : given.keySet()) {
            if (!PolicySpec.SETTINGS.contains(setting)) {
                problems.add(at + setting + ": unknown setting; the settings are " + String.join(", ", PolicySpec.SETTINGS));
            }
        }
        int before = problems.size();
        String table = text(given, "table", at, problems, null);
        if (table == null && !given.containsKey("table")) {
            problems.add(at + "table: missing; every policy names its table (table: " + name + ")");
            return null;
        }
        PolicySpec d = PolicySpec.defaults(name, table);
        List<String> key = d.key();
        JsonNode keyNode = given.get("key");
        if (keyNode != null) {
            if (keyNode.isTextual()) {
                key = List.of(keyNode.asText());
            } else if (keyNode.isArray() && keyNode.size() > 0 && allText(keyNode)) {
                key = new ArrayList<>();
                for (JsonNode column : keyNode) {
                    key.add(column.asText());
                }
            } else {
                problems.add(at + "key: expected a list of column names, e.g. key: [id]");
            }
        }
        String dateColumn = text(given, "date-column", at, problems, d.dateColumn());
        DateKind dateKind = choice(given, "date-kind", at, problems, DateKind.class, d.dateKind());
        ZoneId dateZone = d.dateZone();
        String zoneText = text(given, "date-zone", at, problems, null);
        if (zoneText != null) {
            try {
                dateZone = ZoneId.of(zoneText);
            } catch (DateTimeException e) {
                problems.add(at + "date-zone: '" + zoneText + "' is not a time zone; write a region such as Europe/Berlin, or UTC, or an"
                        + " offset such as +02:00");
            }
        }
        Duration minAge = d.minAge();
        String minAgeText = text(given, "min-age", at, problems, null);
        if (minAgeText != null) {
            try {
                minAge = Duration.parse(minAgeText);
            } catch (DateTimeParseException e) {
                problems.add(at + "min-age: '" + minAgeText + "' is not an ISO-8601 duration; write e.g. P60D (60 days) or PT36H");
            }
        }
        int batchSize = (int) number(given, "batch-size", at, problems, d.batchSize(), true);
        ArchiveMode mode = choice(given, "mode", at, problems, ArchiveMode.class, d.mode());
        String archiveTable = text(given, "archive-table", at, problems, d.archiveTable());
        String prefix = text(given, "prefix", at, problems, d.prefix());
        double maxShare = number(given, "max-share-per-run", at, problems, d.maxSharePerRun(), false);
        Long maxRows = null;
        if (given.containsKey("max-rows-per-run") && !given.get("max-rows-per-run").isNull()) {
            maxRows = (long) number(given, "max-rows-per-run", at, problems, 0, true);
        }
        boolean wholeTable = bool(given, "allow-whole-table", at, problems, d.allowWholeTable());
        boolean confirmFirst = bool(given, "confirm-first-run", at, problems, d.confirmFirstRun());
        boolean enabled = bool(given, "enabled", at, problems, d.enabled());
        String source = text(given, "source", at, problems, d.source());
        Duration tableRetention = duration(given, "archive-table-retention", at, problems, null, "P365D");
        Duration objectRetention = duration(given, "object-retention", at, problems, d.objectRetention(), "P730D");
        String schedule = schedule(given, at, problems);
        if (problems.size() > before) {
            return null;
        }
        return new PolicySpec(name, table, key, dateColumn, dateKind, dateZone, minAge, batchSize, mode, archiveTable, prefix, maxShare, maxRows,
                wholeTable, confirmFirst, enabled, source, tableRetention, objectRetention, schedule);
    }

    /** The cron text, or null for none; YAML 1.1 reads a bare {@code off} as false, which means off here too. */
    private static String schedule(Map<String, JsonNode> given, String at, List<String> problems) {
        JsonNode node = given.get("schedule");
        if (node != null && node.isBoolean()) {
            if (node.asBoolean()) {
                problems.add(at + "schedule: expected " + CronSchedule.FORM + ", not true");
            }
            return null;
        }
        return text(given, "schedule", at, problems, null);
    }

    private static Duration duration(Map<String, JsonNode> given, String setting, String at, List<String> problems, Duration fallback,
            String example) {
        String value = text(given, setting, at, problems, null);
        if (value == null) {
            return fallback;
        }
        try {
            return Duration.parse(value);
        } catch (DateTimeParseException e) {
            problems.add(at + setting + ": '" + value + "' is not an ISO-8601 duration; write e.g. " + example);
            return fallback;
        }
    }

    private static boolean allText(JsonNode array) {
        for (JsonNode item : array) {
            if (!item.isTextual()) {
                return false;
            }
        }
        return true;
    }

    static String text(Map<String, JsonNode> given, String setting, String at, List<String> problems, String fallback) {
        JsonNode node = given.get(setting);
        if (node == null || node.isNull()) {
            return fallback;
        }
        if (!node.isValueNode() || node.asText().isBlank()) {
            problems.add(at + setting + ": expected a single value, not " + node);
            return fallback;
        }
        return node.asText();
    }

    static <E extends Enum<E>> E choice(Map<String, JsonNode> given, String setting, String at, List<String> problems, Class<E> type,
            E fallback) {
        String value = text(given, setting, at, problems, null);
        if (value == null) {
            return fallback;
        }
        try {
            return Enum.valueOf(type, value.toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            List<String> names = new ArrayList<>();
            for (E constant : type.getEnumConstants()) {
                names.add(constant.name());
            }
            problems.add(at + setting + ": '" + value + "' is not one of " + String.join(", ", names));
            return fallback;
        }
    }

    static double number(Map<String, JsonNode> given, String setting, String at, List<String> problems, double fallback,
            boolean whole) {
        JsonNode node = given.get(setting);
        if (node == null || node.isNull()) {
            return fallback;
        }
        if (!node.isNumber() || (whole && !(node.isIntegralNumber() && node.canConvertToLong()))) {
            problems.add(at + setting + ": expected " + (whole ? "a whole number" : "a number") + ", not " + node);
            return fallback;
        }
        if (whole && setting.equals("batch-size") && !node.canConvertToInt()) {
            problems.add(at + setting + ": " + node + " is too large for a batch");
            return fallback;
        }
        return whole ? node.asLong() : node.asDouble();
    }

    static boolean bool(Map<String, JsonNode> given, String setting, String at, List<String> problems, boolean fallback) {
        JsonNode node = given.get(setting);
        if (node == null || node.isNull()) {
            return fallback;
        }
        if (!node.isBoolean()) {
            problems.add(at + setting + ": expected true or false, not " + node);
            return fallback;
        }
        return node.asBoolean();
    }
}
