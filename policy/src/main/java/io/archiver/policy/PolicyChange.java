package io.archiver.policy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One change a policy file or command makes (or would make, in a dry run) to one stored policy: its kind, the version it
 * makes, and the old and new settings ({@link PolicySpec#settings()}; no old value for a CREATE).
 */
public record PolicyChange(String name, Kind kind, int version, Map<String, Object> oldValue, Map<String, Object> newValue) {

    public enum Kind {
        CREATE, UPDATE, DISABLE, ENABLE
    }

    /** The changed settings, one line each: {@code min-age: P60D -> P90D}, or {@code + table: run} for a new policy. */
    public List<String> diff() {
        List<String> lines = new ArrayList<>();
        for (Map.Entry<String, Object> setting : newValue.entrySet()) {
            if (oldValue == null) {
                lines.add("+ " + setting.getKey() + ": " + setting.getValue());
            } else if (!Objects.equals(oldValue.get(setting.getKey()), setting.getValue())) {
                lines.add("~ " + setting.getKey() + ": " + oldValue.get(setting.getKey()) + " -> " + setting.getValue());
            }
        }
        return lines;
    }

    /** {@code policy events: UPDATE to version 3}. */
    public String headline() {
        return "policy " + name + ": " + kind + (kind == Kind.CREATE ? "" : " to") + " version " + version;
    }
}
