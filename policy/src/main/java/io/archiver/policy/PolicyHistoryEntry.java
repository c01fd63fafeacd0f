package io.archiver.policy;

/** One row of a policy's append-only history: the version a change made, its kind, the old and new settings as JSON, who and when. */
public record PolicyHistoryEntry(String name, int version, PolicyChange.Kind kind, String oldValue, String newValue, String actor,
        long atMs) {
}
