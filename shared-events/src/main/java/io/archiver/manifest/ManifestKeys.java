package io.archiver.manifest;

import java.time.LocalDate;
import java.time.format.DateTimeFormatter;

/**
 * Where manifests live: {@code <object key>.manifest.json} beside each object, and
 * {@code <prefix><table>_archive_<yyyyMMdd>_<policy>_<runId>.manifest.json} beside a run's objects (deterministic, and
 * beginning like the run's object keys, promise 6).
 */
public final class ManifestKeys {

    public static final String SUFFIX = ".manifest.json";

    private ManifestKeys() {
    }

    public static String ofObject(String objectKey) {
        return objectKey + SUFFIX;
    }

    public static String ofRun(String prefix, String table, LocalDate runDate, String policy, String runId) {
        return prefix + table + "_archive_" + DateTimeFormatter.BASIC_ISO_DATE.format(runDate) + "_" + policy + "_" + runId + SUFFIX;
    }

    /** Whether {@code key} names an object's manifest (not a run's): {@code ....csv.manifest.json} or {@code ....csv.gz.manifest.json}. */
    public static boolean isObjectManifest(String key) {
        return key.endsWith(".csv" + SUFFIX) || key.endsWith(".csv.gz" + SUFFIX);
    }

    /** Whether {@code key} names a run's manifest. */
    public static boolean isRunManifest(String key) {
        return key.endsWith(SUFFIX) && !isObjectManifest(key);
    }

    /** Whether {@code key} names an archive object itself (its CSV), not a sidecar. */
    public static boolean isArchiveObject(String key) {
        return key.endsWith(".csv") || key.endsWith(".csv.gz");
    }
}
