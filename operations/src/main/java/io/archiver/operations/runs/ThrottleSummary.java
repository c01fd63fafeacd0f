package io.archiver.operations.runs;

import java.util.LinkedHashMap;
import java.util.Map;

/** A run's pauses of the deleter's health throttle for one reason (archive_throttle_pause): how many, how long, the last detail. */
public record ThrottleSummary(String reason, long pauses, long pausedMs, String detail) {

    public Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("reason", reason);
        json.put("pauses", pauses);
        json.put("pausedMs", pausedMs);
        json.put("detail", detail);
        return json;
    }
}
