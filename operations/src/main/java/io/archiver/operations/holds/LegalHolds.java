package io.archiver.operations.holds;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import io.archiver.manifest.ArchiveManifest;
import io.archiver.manifest.ManifestKeys;
import io.archiver.objectstore.ArchiveReader;
import io.archiver.objectstore.ObjectStore;
import software.amazon.awssdk.services.s3.model.ObjectLockEnabled;
import software.amazon.awssdk.services.s3.model.ObjectLockLegalHoldStatus;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * S3 Object Lock legal holds on the objects a hold covers, where the bucket has Object Lock: the server itself then refuses
 * to delete them, whoever asks. The ledger's hold is what purge honours everywhere; this is the bucket's own lock on top.
 */
public final class LegalHolds {

    /** An object a hold covers: the data object and its manifest, both locked so that the archive stays readable. */
    public record Covered(ArchiveManifest manifest, ArchiveManifest.ObjectEntry entry) {
        public List<String> keys() {
            return List.of(entry.key(), ManifestKeys.ofObject(entry.key()));
        }
    }

    private final ObjectStore store;
    private Boolean supported;

    public LegalHolds(ObjectStore store) {
        this.store = store;
    }

    /** Whether the bucket has Object Lock, so takes legal holds (asked once). */
    public boolean supported() {
        if (supported == null) {
            try {
                supported = store.client().getObjectLockConfiguration(b -> b.bucket(store.bucket())).objectLockConfiguration()
                        .objectLockEnabled() == ObjectLockEnabled.ENABLED;
            } catch (S3Exception e) {
                // no Object Lock configuration (404), or a server without Object Lock at all (S3Proxy answers 501)
                supported = false;
            }
        }
        return supported;
    }

    /** The objects under {@code prefix} that any of {@code holds} covers. */
    public List<Covered> covered(String prefix, List<Hold> holds) {
        List<Covered> covered = new ArrayList<>();
        try {
            for (ArchiveManifest manifest : new ArchiveReader(store).objectManifests(prefix)) {
                for (ArchiveManifest.ObjectEntry entry : manifest.objects()) {
                    if (holds.stream().anyMatch(h -> h.covers(manifest, entry))) {
                        covered.add(new Covered(manifest, entry));
                    }
                }
            }
        } catch (IOException e) {
            throw new io.archiver.operations.OperationFailed("cannot read the manifests under s3://" + store.bucket() + "/" + prefix + ": "
                    + e.getMessage(), e);
        }
        return covered;
    }

    /** Sets the legal hold of {@code key} on or off. */
    public void set(String key, boolean on) {
        store.client().putObjectLegalHold(b -> b.bucket(store.bucket()).key(key)
                .legalHold(h -> h.status(on ? ObjectLockLegalHoldStatus.ON : ObjectLockLegalHoldStatus.OFF)));
    }

    /** Whether {@code key} has its legal hold on (false where the bucket keeps none). */
    public boolean isOn(String key) {
        try {
            return store.client().getObjectLegalHold(b -> b.bucket(store.bucket()).key(key)).legalHold().status() == ObjectLockLegalHoldStatus.ON;
        } catch (S3Exception e) {
            if (e.statusCode() == 404 || e.statusCode() == 400 || e.statusCode() == 501) {
                return false;
            }
            throw e;
        }
    }
}
