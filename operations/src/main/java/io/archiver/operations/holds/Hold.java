package io.archiver.operations.holds;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import io.archiver.manifest.ArchiveManifest;
import io.archiver.operations.Texts;

/**
 * A legal hold as stored ({@code archive_hold}): what it covers ({@link HoldScope}, with the run, the object key or the key
 * range), why, who placed it and when, until when (null: until released), whether it was released, and whether it also keeps
 * its key range in the source table ({@code keepInSource}: the scanner plans none of those keys, the deleter deletes none).
 */
public record Hold(long id, String policy, HoldScope scope, String runId, String objectKey, Long firstKey, Long lastKey, String reason,
        String placedBy, Instant placedAt, Instant until, String releasedBy, Instant releasedAt, boolean keepInSource) {

    /** In force at {@code now}: not released and not past its end. */
    public boolean activeAt(Instant now) {
        return releasedAt == null && (until == null || now.isBefore(until));
    }

    /** Whether it covers an object of its policy, described by its manifest (the object's run and key range). */
    public boolean covers(ArchiveManifest manifest, ArchiveManifest.ObjectEntry object) {
        if (!policy.equals(manifest.policy())) {
            return false;
        }
        return switch (scope) {
            case POLICY -> true;
            case RUN -> runId.equals(manifest.runId());
            case OBJECT -> objectKey.equals(object.key());
            case KEY_RANGE -> overlaps(object.firstKey(), object.lastKey());
        };
    }

    private boolean overlaps(String objectFirst, String objectLast) {
        try {
            return Long.parseLong(objectFirst) <= lastKey && Long.parseLong(objectLast) >= firstKey;
        } catch (NumberFormatException e) {
            return true; // a key this hold cannot compare: held, rather than purged by mistake
        }
    }

    /** What it covers, as people read it: {@code policy run, keys 100..199}. */
    public String what() {
        return "policy " + policy + switch (scope) {
            case POLICY -> " (all of it)";
            case RUN -> ", run " + runId;
            case OBJECT -> ", object " + objectKey;
            case KEY_RANGE -> ", keys " + firstKey + ".." + lastKey;
        } + (keepInSource ? ", kept in the source table" : "");
    }

    /** The hold as archivectl's {@code --json} and the API show it: times as ISO-8601 text. */
    public Map<String, Object> toJson() {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", id);
        view.put("policy", policy);
        view.put("scope", scope.name());
        view.put("runId", runId);
        view.put("objectKey", objectKey);
        view.put("firstKey", firstKey);
        view.put("lastKey", lastKey);
        view.put("keepInSource", keepInSource);
        view.put("reason", reason);
        view.put("placedBy", placedBy);
        view.put("placedAt", Texts.time(placedAt));
        view.put("until", until == null ? null : Texts.time(until));
        view.put("releasedBy", releasedBy);
        view.put("releasedAt", releasedAt == null ? null : Texts.time(releasedAt));
        return view;
    }
}
