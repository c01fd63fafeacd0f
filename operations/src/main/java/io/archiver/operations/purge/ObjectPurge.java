package io.archiver.operations.purge;

import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.archiver.manifest.ArchiveManifest;
import io.archiver.manifest.ManifestKeys;
import io.archiver.objectstore.ArchiveReader;
import io.archiver.objectstore.ObjectStore;
import io.archiver.operations.OperationFailed;
import io.archiver.operations.audit.AuditTrail;
import io.archiver.operations.holds.Hold;
import io.archiver.policy.PolicySpec;
import software.amazon.awssdk.services.s3.model.DefaultRetention;
import software.amazon.awssdk.services.s3.model.GetObjectRetentionResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectVersionsResponse;
import software.amazon.awssdk.services.s3.model.ObjectLockEnabled;
import software.amazon.awssdk.services.s3.model.ObjectLockLegalHoldStatus;
import software.amazon.awssdk.services.s3.model.ObjectLockRule;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Purges a policy's objects from the bucket: an object is due when it was written (its Last-Modified) longer ago than the
 * policy's object-retention. A due object that a hold covers is kept; one still under S3 Object Lock (a retain-until date
 * after now, or a legal hold, on the object or its manifest) is never deleted: it is skipped and reported. Each removal is
 * audited after the object and its sidecar are gone and before its manifest, the last trace that lists it, is removed: a
 * purge killed in between finds the manifest again, sees the object gone, and completes (audited once).
 */
final class ObjectPurge {

    private static final String EXCEPTIONS_SUFFIX = ".exceptions.json";

    private final Connection control;
    private final ObjectStore store;
    private final String actor;
    private Boolean lockEnabled;
    private Duration bucketRetention;

    ObjectPurge(Connection control, ObjectStore store, String actor) {
        this.control = control;
        this.store = store;
        this.actor = actor;
    }

    PurgeReport.Objects purge(PolicySpec policy, Instant now, List<Hold> holds, boolean dryRun) throws SQLException {
        readBucketLock();
        if (bucketRetention != null && policy.objectRetention().compareTo(bucketRetention) < 0) {
            // the bucket would refuse the deletes anyway; a policy that says otherwise is a mistake to fix, not to work around
            return PurgeReport.Objects.skipped("object-retention " + PolicySpec.text(policy.objectRetention())
                    + " is shorter than the bucket's Object Lock default retention " + PolicySpec.text(bucketRetention)
                    + "; set policies." + policy.name() + ".object-retention to at least that");
        }
        List<ArchiveManifest> manifests;
        try {
            manifests = new ArchiveReader(store).objectManifests(policy.prefix() + "/");
        } catch (IOException e) {
            throw new OperationFailed("cannot read the manifests of policy " + policy.name() + ": " + e.getMessage(), e);
        }
        long notYetDue = 0;
        List<String> purged = new ArrayList<>();
        List<String> held = new ArrayList<>();
        List<PurgeReport.Locked> locked = new ArrayList<>();
        for (ArchiveManifest manifest : manifests) {
            if (!policy.name().equals(manifest.policy())) {
                continue;
            }
            for (ArchiveManifest.ObjectEntry entry : manifest.objects()) {
                HeadObjectResponse head = head(entry.key());
                if (head != null && head.lastModified().plus(policy.objectRetention()).isAfter(now)) {
                    notYetDue++;
                    continue;
                }
                if (holds.stream().anyMatch(h -> h.covers(manifest, entry))) {
                    held.add(entry.key());
                    continue;
                }
                PurgeReport.Locked lock = lock(entry.key(), head != null, now);
                if (lock != null) {
                    locked.add(lock);
                    continue;
                }
                if (!dryRun) {
                    try {
                        remove(policy, manifest, entry, now);
                    } catch (S3Exception e) {
                        if (e.statusCode() != 403) {
                            throw e;
                        }
                        // the server's own lock refused it (locked after the check above, or a rule this purge cannot read)
                        locked.add(new PurgeReport.Locked(entry.key(), null, false));
                        continue;
                    }
                }
                purged.add(entry.key());
            }
        }
        return new PurgeReport.Objects(notYetDue, purged, held, locked, null);
    }

    /** The first lock found on the object (if present) or its manifest, or null when both may be deleted now. */
    private PurgeReport.Locked lock(String key, boolean objectPresent, Instant now) {
        if (!lockEnabled) {
            return null;
        }
        for (String k : objectPresent ? List.of(key, ManifestKeys.ofObject(key)) : List.of(ManifestKeys.ofObject(key))) {
            Instant until = retainUntil(k);
            boolean legalHold = legalHold(k);
            if (legalHold || until != null && until.isAfter(now)) {
                return new PurgeReport.Locked(k, until, legalHold);
            }
        }
        return null;
    }

    private void remove(PolicySpec policy, ArchiveManifest manifest, ArchiveManifest.ObjectEntry entry, Instant now) throws SQLException {
        String sidecar = entry.key() + EXCEPTIONS_SUFFIX;
        boolean hasSidecar = head(sidecar) != null;
        deleteEveryVersion(entry.key());
        if (hasSidecar) {
            deleteEveryVersion(sidecar);
        }
        List<String> keys = new ArrayList<>(List.of(entry.key(), ManifestKeys.ofObject(entry.key())));
        if (hasSidecar) {
            keys.add(sidecar);
        }
        AuditTrail audit = new AuditTrail(control);
        if (!audit.records(AuditTrail.OBJECT_PURGED, List.of(entry.key()))) {
            Map<String, Object> digests = new LinkedHashMap<>();
            digests.put("objectSha256", entry.sha256());
            digests.put("rowsDigest", entry.rowsDigest());
            digests.put("objectBytes", entry.bytes());
            // the object's key alone in object_keys, so that a resumed purge finds this row (records() above); the rest in detail
            audit.append(new AuditTrail.Entry(now.toEpochMilli(), actor, AuditTrail.OBJECT_PURGED, policy.name(), manifest.table(),
                    manifest.runId(), entry.rows(), List.of(entry.key()), digests, "keys " + entry.firstKey() + ".." + entry.lastKey()
                            + " past the object-retention " + PolicySpec.text(policy.objectRetention()) + "; removed with "
                            + String.join(", ", keys.subList(1, keys.size()))));
        }
        deleteEveryVersion(ManifestKeys.ofObject(entry.key()));
    }

    /**
     * Deletes the key for good. In a bucket with Object Lock (always versioned) a plain delete only adds a delete marker and
     * keeps the bytes, so each version is deleted by its id, without bypassing any governance retention: the server still
     * refuses a locked version.
     */
    private void deleteEveryVersion(String key) {
        if (lockEnabled) {
            ListObjectVersionsResponse versions = store.client().listObjectVersions(b -> b.bucket(store.bucket()).prefix(key));
            List<String> ids = new ArrayList<>();
            versions.versions().stream().filter(v -> v.key().equals(key)).forEach(v -> ids.add(v.versionId()));
            versions.deleteMarkers().stream().filter(m -> m.key().equals(key)).forEach(m -> ids.add(m.versionId()));
            if (!ids.isEmpty() && ids.stream().noneMatch(id -> id == null || id.equals("null"))) {
                for (String id : ids) {
                    store.client().deleteObject(b -> b.bucket(store.bucket()).key(key).versionId(id));
                }
                return;
            }
        }
        store.client().deleteObject(b -> b.bucket(store.bucket()).key(key));
    }

    private HeadObjectResponse head(String key) {
        try {
            return store.client().headObject(b -> b.bucket(store.bucket()).key(key));
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return null;
            }
            throw e;
        }
    }

    private Instant retainUntil(String key) {
        try {
            GetObjectRetentionResponse retention = store.client().getObjectRetention(b -> b.bucket(store.bucket()).key(key));
            return retention.retention() == null ? null : retention.retention().retainUntilDate();
        } catch (S3Exception e) {
            if (e.statusCode() == 404 || e.statusCode() == 400) {
                return null; // no retention on it
            }
            throw e;
        }
    }

    private boolean legalHold(String key) {
        try {
            return store.client().getObjectLegalHold(b -> b.bucket(store.bucket()).key(key)).legalHold().status() == ObjectLockLegalHoldStatus.ON;
        } catch (S3Exception e) {
            if (e.statusCode() == 404 || e.statusCode() == 400) {
                return false;
            }
            throw e;
        }
    }

    private void readBucketLock() {
        if (lockEnabled != null) {
            return;
        }
        try {
            var configuration = store.client().getObjectLockConfiguration(b -> b.bucket(store.bucket())).objectLockConfiguration();
            lockEnabled = configuration.objectLockEnabled() == ObjectLockEnabled.ENABLED;
            ObjectLockRule rule = configuration.rule();
            DefaultRetention retention = rule == null ? null : rule.defaultRetention();
            if (retention != null) {
                bucketRetention = retention.days() != null ? Duration.ofDays(retention.days())
                        : retention.years() != null ? Duration.ofDays(365L * retention.years()) : null;
            }
        } catch (S3Exception e) {
            lockEnabled = false; // no Object Lock configuration (404), or none at all (S3Proxy: 501)
        }
    }
}
