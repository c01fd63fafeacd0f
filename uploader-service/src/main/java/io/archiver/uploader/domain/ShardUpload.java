package io.archiver.uploader.domain;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.archiver.events.ArchiveObjectKey;
import io.archiver.events.ArchiveShardExported;
import io.archiver.manifest.ArchiveManifest;
import io.archiver.objectstore.ObjectHead;
import io.archiver.objectstore.ObjectReadMismatch;
import io.archiver.objectstore.ObjectManifest;
import io.archiver.objectstore.ObjectStore;
import io.archiver.objectstore.StoredObject;
import io.archiver.support.policy.ArchivePolicies;
import io.archiver.support.policy.PolicyGuard;
import io.archiver.uploader.domain.UploadOutcome.Refused;
import io.archiver.uploader.domain.UploadOutcome.Rejected;
import io.archiver.uploader.domain.UploadOutcome.Uploaded;

/**
 * Decides whether the object the exporter put becomes a verified archive object (promises 1 and 6): the policy must allow
 * the table and cutoff ({@link PolicyGuard}, whose violations are thrown), the key must be the batch's own (its policy's
 * prefix and the name its run, scope and compression give), and the key must hold the shard the export announced: its
 * size by HEAD, and its SHA-256 as the server validated it on the put and returns it (checksum mode), with no byte read;
 * where the server returns no such checksum (an object put without one, a multipart object's composite checksum, a server
 * that keeps none) the object is read back whole through a SHA-256, as before. Then the object's manifest must be beside it
 * and name the object's SHA-256. A key holding other bytes is a conflict: nothing here writes, so nothing is overwritten.
 */
@ApplicationScoped
public class ShardUpload {

    private final PolicyGuard policies;
    private final ObjectStore store;

    public ShardUpload(PolicyGuard policies, ObjectStore store) {
        this.policies = policies;
        this.store = store;
    }

    public UploadOutcome upload(ArchiveShardExported event) {
        ArchivePolicies.Policy policy = policies.check(event.scope());
        String key = event.objectKey();
        String prefix = policy.keyPrefix();
        if (!key.startsWith(prefix) || !ArchiveObjectKey.isShardOf(key.substring(prefix.length()), event.runId(), event.scope(), event.compression())) {
            return new Rejected(UploadReason.OBJECT_KEY_NAME, "object key '" + key + "' is not the batch's shard "
                    + (event.scope().byKeys() ? "(range " + event.scope().rangeText() + ")"
                            : prefix + ArchiveObjectKey.fileName(event.runId(), event.scope(), event.compression())));
        }
        String where = "s3://" + store.bucket() + "/" + key;
        Optional<ObjectHead> found = store.head(key);
        if (found.isEmpty()) {
            return new Refused(UploadReason.OBJECT_MISSING, where + " does not exist");
        }
        ObjectHead head = found.get();
        if (head.bytes() != event.fileBytes()) {
            return new Refused(UploadReason.OBJECT_KEY_CONFLICT, where + " holds " + head.bytes() + " bytes, the shard " + event.fileBytes()
                    + "; the key is never overwritten");
        }
        UploadOutcome verified = head.hasValidatedSha256() ? byServerChecksum(event, head, where) : byReadBack(event, key, where);
        return verified instanceof Uploaded ? described(event, key, verified) : verified;
    }

    /** The server validated the SHA-256 on the put and keeps it with the object: its figure is compared, no byte read. */
    private UploadOutcome byServerChecksum(ArchiveShardExported event, ObjectHead head, String where) {
        if (!head.serverSha256Hex().equals(event.fileSha256())) {
            return new Refused(UploadReason.OBJECT_KEY_CONFLICT, where + " holds an object with SHA-256 " + head.serverSha256Hex()
                    + " (validated by the server), the shard " + event.fileSha256() + "; the key is never overwritten");
        }
        return new Uploaded(store.bucket(), new StoredObject(head.key(), head.bytes(), head.serverSha256Hex(), null), false);
    }

    /** No validated checksum from the server: the bytes are read back and hashed, as S3 returns them. */
    private UploadOutcome byReadBack(ArchiveShardExported event, String key, String where) {
        StoredObject stored;
        try {
            stored = store.read(key, null);
        } catch (ObjectReadMismatch e) {
            return new Refused(UploadReason.OBJECT_VERIFICATION_FAILED, e.getMessage());
        }
        if (stored.bytes() != event.fileBytes() || !stored.sha256Hex().equals(event.fileSha256())) {
            // the HEAD gave the shard's size: other bytes of that size under the key, or bytes changed on the way back
            return new Refused(UploadReason.OBJECT_VERIFICATION_FAILED, where + " read back has " + stored.bytes() + " bytes with SHA-256 "
                    + stored.sha256Hex() + ", the shard " + event.fileBytes() + " bytes with SHA-256 " + event.fileSha256());
        }
        return new Uploaded(store.bucket(), stored, true);
    }

    /**
     * The object's manifest ({@code <key>.manifest.json}, put by the exporter after the object) must be there and describe this
     * object: every announced object can then be read with the bucket alone. A small read.
     */
    private UploadOutcome described(ArchiveShardExported event, String key, UploadOutcome uploaded) {
        ObjectManifest found = store.manifestOf(key);
        String where = "s3://" + store.bucket() + "/" + found.manifestKey();
        if (found instanceof ObjectManifest.Missing) {
            return new Refused(UploadReason.OBJECT_MANIFEST_MISSING, where + " does not exist: the object is not announced without it");
        }
        if (found instanceof ObjectManifest.Unreadable unreadable) {
            return new Refused(UploadReason.OBJECT_KEY_CONFLICT, where + " is not an object's manifest (" + unreadable.problem()
                    + "); the key is never overwritten");
        }
        ArchiveManifest manifest = ((ObjectManifest.Found) found).manifest();
        boolean describesIt = manifest.objects().size() == 1 && manifest.objects().get(0).key().equals(key)
                && manifest.objects().get(0).sha256().equals(event.fileSha256());
        if (!describesIt) {
            return new Refused(UploadReason.OBJECT_KEY_CONFLICT, where + " holds another description than of the object with SHA-256 "
                    + event.fileSha256() + "; the key is never overwritten");
        }
        return uploaded;
    }
}
