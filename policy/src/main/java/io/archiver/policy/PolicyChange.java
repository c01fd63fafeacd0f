package io.archiver.policy;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * One change a file or command makes (or would make, in a dry run) to one stored policy or source (its {@code subject}): its
 * kind, the version it makes, and the old and new settings ({@link PolicySpec#settings()}, {@link SourceSpec#settings()}; no old
 * value for a CREATE).
 */
public record PolicyChange(String subject, String name, Kind kind, int version, Map<String, Object> oldValue,
        Map<String, Object> newValue) {

    public enum Kind {
        CREATE, UPDATE, DISABLE, ENABLE
    }

    /** A change of a policy. */
    public PolicyChange(String name, Kind kind, int version, Map<String, Object> oldValue, Map<String, Object> newValue) {
        this("policy", name, kind, version, oldValue, newValue);
    }

    /**
     * The change from {@code old} (absent: none stored yet) at {@code oldVersion} to {@code now}, or none when they are equal.
     * A change of {@code enabled} alone is an ENABLE or DISABLE, any other an UPDATE.
     */
    static java.util.Optional<PolicyChange> between(String subject, String name, Map<String, Object> old, int oldVersion,
            Map<String, Object> now) {
        if (old == null) {
            return java.util.Optional.of(new PolicyChange(subject, name, Kind.CREATE, 1, null, now));
        }
        if (old.equals(now)) {
            return java.util.Optional.empty();
        }
        Map<String, Object> oldRest = new java.util.LinkedHashMap<>(old);
        Map<String, Object> nowRest = new java.util.LinkedHashMap<>(now);
        oldRest.remove("enabled");
        nowRest.remove("enabled");
        Kind kind = !oldRest.equals(nowRest) ? Kind.UPDATE : Boolean.TRUE.equals(now.get("enabled")) ? Kind.ENABLE : Kind.DISABLE;
        return java.util.Optional.of(new PolicyChange(subject, name, kind, oldVersion + 1, old, now));
    }

    /**
     * The changed settings, one line each: {@code min-age: P60D -> P90D}, or {@code + table: run} for a new policy; a setting
     * left out (at its default) on one side shows as {@code (default)}.
     */
    public List<String> diff() {
        List<String> lines = new ArrayList<>();
        if (oldValue == null) {
            newValue.forEach((setting, value) -> lines.add("+ " + setting + ": " + value));
            return lines;
        }
        Set<String> settings = new LinkedHashSet<>(newValue.keySet());
        settings.addAll(oldValue.keySet());
        for (String setting : settings) {
            if (!Objects.equals(oldValue.get(setting), newValue.get(setting))) {
                lines.add("~ " + setting + ": " + shown(oldValue, setting) + " -> " + shown(newValue, setting));
            }
        }
        return lines;
    }

    private static Object shown(Map<String, Object> value, String setting) {
        return value.containsKey(setting) ? value.get(setting) : "(default)";
    }

    /** {@code policy events: UPDATE to version 3}. */
    public String headline() {
        return subject + " " + name + ": " + kind + (kind == Kind.CREATE ? "" : " to") + " version " + version;
    }
}
