package io.archiver.uploader.domain;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HexFormat;

import jakarta.enterprise.context.ApplicationScoped;

import io.archiver.events.ArchiveObjectKey;
import io.archiver.events.ArchiveShardExported;
import io.archiver.manifest.ManifestKeys;
import io.archiver.objectstore.ObjectReadMismatch;
import io.archiver.objectstore.ObjectStore;
import io.archiver.objectstore.StoredObject;
import io.archiver.support.policy.ArchivePolicies;
import io.archiver.support.policy.PolicyGuard;
import io.archiver.uploader.domain.UploadOutcome.Refused;
import io.archiver.uploader.domain.UploadOutcome.Rejected;
import io.archiver.uploader.domain.UploadOutcome.Uploaded;
import io.archiver.uploader.storage.ObjectWriter;
import io.archiver.uploader.storage.StagedFiles;

/**
 * Decides whether a staged shard becomes a verified archive object (promises 1 and 6): the policy must allow the table and
 * cutoff ({@link PolicyGuard}, whose violations are thrown) and the staged file must be the batch's own shard, with the
 * size and SHA-256 the export announced. It is put under its deterministic key without ever overwriting other bytes,
 * then read back from S3: the size and the SHA-256 of the bytes received must be the shard's (and S3's own full-object
 * checksum, where it returns one). A key that held other bytes before is a conflict, never overwritten; a replay whose
 * shard is gone finds its object and has it verified the same way.
 */
@ApplicationScoped
public class ShardUpload {

    private final PolicyGuard policies;
    private final ObjectStore store;
    private final ObjectWriter objects;
    private final UploadConfig config;

    public ShardUpload(PolicyGuard policies, ObjectStore store, ObjectWriter objects, UploadConfig config) {
        this.policies = policies;
        this.store = store;
        this.objects = objects;
        this.config = config;
    }

    public UploadOutcome upload(ArchiveShardExported event) throws IOException {
        ArchivePolicies.Policy policy = policies.check(event.scope());
        if (!ArchiveObjectKey.isShardOf(event.stagedFile(), event.runId(), event.scope(), event.compression())) {
            return new Rejected(UploadReason.STAGED_FILE_NAME, "staged file '" + event.stagedFile() + "' is not the batch's shard "
                    + (event.scope().byKeys() ? "(range " + event.scope().rangeText() + ")"
                            : ArchiveObjectKey.fileName(event.runId(), event.scope(), event.compression())));
        }
        String fileName = event.stagedFile();
        String key = policy.keyPrefix() + fileName;
        Path file = config.stagingDir().resolve(fileName);
        if (!Files.isRegularFile(file)) {
            if (!objects.exists(key)) {
                return new Refused(UploadReason.STAGED_FILE_MISSING, "neither the staged shard " + fileName + " nor the object " + key + " exists");
            }
            return verify(event, key, true, null); // a replay after the shard was uploaded and removed
        }
        long size = Files.size(file);
        String sha256 = StagedFiles.sha256Hex(file);
        if (size != event.fileBytes() || !sha256.equals(event.fileSha256())) {
            return new Refused(UploadReason.STAGED_FILE_CORRUPT, "staged " + fileName + " has " + size + " bytes with SHA-256 " + sha256
                    + ", the export announced " + event.fileBytes() + " bytes with SHA-256 " + event.fileSha256());
        }
        boolean alreadyPresent = objects.exists(key) || objects.put(file, key, size, sha256) == ObjectWriter.Put.KEY_TAKEN;
        UploadOutcome verified = verify(event, key, alreadyPresent, file);
        return verified instanceof Uploaded ? describe(key, file, verified) : verified;
    }

    /**
     * Puts the object's manifest, as the exporter staged it, beside the verified object ({@code <key>.manifest.json}), before
     * the object is announced: every announced object can then be read with the bucket alone. Never over other bytes: a
     * manifest key holding another description is a conflict. A shard staged without one (by an exporter before manifests)
     * is uploaded without.
     */
    private UploadOutcome describe(String key, Path file, UploadOutcome uploaded) throws IOException {
        Path staged = StagedFiles.objectManifestOf(file);
        if (!Files.isRegularFile(staged)) {
            return uploaded;
        }
        byte[] json = Files.readAllBytes(staged);
        String manifestKey = ManifestKeys.ofObject(key);
        if (objects.putManifest(manifestKey, json) == ObjectWriter.Put.KEY_TAKEN && !java.util.Arrays.equals(objects.read(manifestKey), json)) {
            return new Refused(UploadReason.OBJECT_KEY_CONFLICT, "s3://" + store.bucket() + "/" + manifestKey
                    + " holds another description of the object; the key is never overwritten");
        }
        return uploaded;
    }

    /** Reads the object back and holds it to the shard; {@code preExisting}: the key held an object before this upload. */
    private UploadOutcome verify(ArchiveShardExported event, String key, boolean preExisting, Path stagedFile) {
        String where = "s3://" + store.bucket() + "/" + key;
        StoredObject stored;
        try {
            stored = store.read(key, null);
        } catch (ObjectReadMismatch e) {
            return new Refused(UploadReason.OBJECT_VERIFICATION_FAILED, e.getMessage());
        }
        if (stored.bytes() != event.fileBytes() || !stored.sha256Hex().equals(event.fileSha256())) {
            String what = where + " holds " + stored.bytes() + " bytes with SHA-256 " + stored.sha256Hex() + ", the shard "
                    + event.fileBytes() + " bytes with SHA-256 " + event.fileSha256();
            return preExisting ? new Refused(UploadReason.OBJECT_KEY_CONFLICT, what + "; the key is never overwritten")
                    : new Refused(UploadReason.OBJECT_VERIFICATION_FAILED, what);
        }
        if (stored.serverSha256Base64() != null
                && !HexFormat.of().formatHex(Base64.getDecoder().decode(stored.serverSha256Base64())).equals(event.fileSha256())) {
            return new Refused(UploadReason.OBJECT_VERIFICATION_FAILED, where + ": the server's SHA-256 " + stored.serverSha256Base64()
                    + " differs from the shard's");
        }
        return new Uploaded(store.bucket(), stored, preExisting, stagedFile);
    }

    /** Removes the staged shard of an upload whose announcement the broker acknowledged: a replay finds the object instead. */
    public void release(Uploaded uploaded) throws IOException {
        if (uploaded.stagedFile() != null) {
            StagedFiles.remove(uploaded.stagedFile());
        }
    }
}
