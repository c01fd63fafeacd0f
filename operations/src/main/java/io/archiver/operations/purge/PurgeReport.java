package io.archiver.operations.purge;

import java.time.Instant;
import java.util.List;

import io.archiver.operations.Texts;

/**
 * What a purge did (or, in a dry run, would do), per policy: the archive table's rows and the bucket's objects that are past
 * their retention, how many of those were purged, and which were kept and why (a hold, an Object Lock retention, a setting).
 */
public record PurgeReport(Instant at, boolean dryRun, List<PolicyPurge> policies) {

    /** One policy's purge. */
    public record PolicyPurge(String policy, Rows rows, Objects objects) {
    }

    /**
     * The MOVE table's rows: {@code due} past the archive-table retention, {@code purged} removed (in a dry run: would be),
     * {@code held} kept by a hold. {@code note} says why nothing was looked at (no retention, not a MOVE policy), else null.
     */
    public record Rows(String table, Instant cutoff, long due, long purged, long held, int batches, String note) {
        static Rows skipped(String table, String note) {
            return new Rows(table, null, 0, 0, 0, 0, note);
        }
    }

    /**
     * The bucket's objects: {@code notYetDue} within their object-retention; of those past it, {@code purged} (keys, removed
     * or would be), {@code held} (keys a hold covers) and {@code locked} (still under S3 Object Lock: never deleted).
     * {@code note} says why none was looked at, else null.
     */
    public record Objects(long notYetDue, List<String> purged, List<String> held, List<Locked> locked, String note) {
        static Objects skipped(String note) {
            return new Objects(0, List.of(), List.of(), List.of(), note);
        }
    }

    /** An object past its policy's retention but still locked in the bucket: until when, and how. */
    public record Locked(String key, Instant retainUntil, boolean legalHold) {
    }

    /** The report as archivectl's {@code --json} and the API show it: times as ISO-8601 text. */
    public java.util.Map<String, Object> toJson() {
        java.util.Map<String, Object> view = new java.util.LinkedHashMap<>();
        view.put("at", Texts.time(at));
        view.put("dryRun", dryRun);
        java.util.List<Object> each = new java.util.ArrayList<>();
        for (PurgeReport.PolicyPurge p : policies) {
            java.util.Map<String, Object> rows = new java.util.LinkedHashMap<>();
            rows.put("table", p.rows().table());
            rows.put("cutoff", p.rows().cutoff() == null ? null : Texts.time(p.rows().cutoff()));
            rows.put("due", p.rows().due());
            rows.put("purged", p.rows().purged());
            rows.put("held", p.rows().held());
            rows.put("batches", p.rows().batches());
            rows.put("note", p.rows().note());
            java.util.Map<String, Object> objects = new java.util.LinkedHashMap<>();
            objects.put("notYetDue", p.objects().notYetDue());
            objects.put("purged", p.objects().purged());
            objects.put("held", p.objects().held());
            objects.put("locked", p.objects().locked().stream().map(l -> java.util.Map.of("key", l.key(), "retainUntil",
                    l.retainUntil() == null ? "-" : Texts.time(l.retainUntil()), "legalHold", l.legalHold())).toList());
            objects.put("note", p.objects().note());
            each.add(java.util.Map.of("policy", p.policy(), "rows", rows, "objects", objects));
        }
        view.put("policies", each);
        return view;
    }
}
