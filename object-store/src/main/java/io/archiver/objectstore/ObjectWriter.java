package io.archiver.objectstore;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.ObjectLockEnabled;
import software.amazon.awssdk.services.s3.model.ObjectLockMode;
import software.amazon.awssdk.services.s3.model.ObjectLockRetentionMode;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;

/**
 * Writes shards and their manifests into the archive bucket, never over other bytes: {@code If-None-Match: *} on the put
 * (and on the completion of a multipart upload, from {@code archiver.s3.multipart-threshold} on), so that a key someone
 * wrote first is reported, not replaced (promise 6). A single put carries the shard's SHA-256
 * ({@code x-amz-checksum-sha256}) for the server to validate the bytes it receives and keep with the object. Sets Object
 * Lock retention where the bucket has it ({@code archiver.s3.object-lock}). Whether what the key holds is the shard is the
 * uploader's to check. One owner: the exporter writes with it; the uploader only verifies.
 */
@ApplicationScoped
public class ObjectWriter {

    private static final Logger LOG = Logger.getLogger(ObjectWriter.class);

    /** What a put came to. */
    public enum Put {
        /** The shard's bytes are under the key now. */
        WRITTEN,
        /** The key already held an object (412 Precondition Failed): nothing was written. */
        KEY_TAKEN
    }

    private final ObjectStore store;
    private final ObjectStoreConfig config;
    private volatile Boolean objectLockEnabled;

    public ObjectWriter(ObjectStore store, ObjectStoreConfig config) {
        this.store = store;
        this.config = config;
    }

    /** Puts {@code file} under {@code key} unless the key holds an object; {@code sha256Hex} is sent for S3 to validate. */
    public Put put(Path file, String key, long bytes, String sha256Hex) throws IOException {
        try {
            if (bytes >= config.multipartThreshold()) {
                putMultipart(file, key);
            } else {
                put(file, key, sha256Hex);
            }
            return Put.WRITTEN;
        } catch (S3Exception e) {
            if (e.statusCode() == 412) {
                return Put.KEY_TAKEN; // someone (a replay) wrote the key first
            }
            throw e;
        }
    }

    /**
     * Puts an object's manifest (JSON) under {@code key} unless the key holds one, with its SHA-256 for S3 to validate and
     * the object's retention where the bucket has Object Lock; whether what the key holds is these bytes is the caller's to check.
     */
    public Put putManifest(String key, byte[] json) {
        byte[] sha256;
        try {
            sha256 = java.security.MessageDigest.getInstance("SHA-256").digest(json);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        PutObjectRequest.Builder request = PutObjectRequest.builder().bucket(store.bucket()).key(key).ifNoneMatch("*")
                .contentType("application/json").checksumSHA256(Base64.getEncoder().encodeToString(sha256));
        retention(request);
        try {
            store.client().putObject(request.build(), RequestBody.fromBytes(json));
            retain(key);
            return Put.WRITTEN;
        } catch (S3Exception e) {
            if (e.statusCode() == 412) {
                return Put.KEY_TAKEN;
            }
            throw e;
        }
    }

    private void put(Path file, String key, String sha256Hex) {
        PutObjectRequest.Builder request = PutObjectRequest.builder().bucket(store.bucket()).key(key).ifNoneMatch("*")
                .contentType("text/csv").checksumSHA256(Base64.getEncoder().encodeToString(HexFormat.of().parseHex(sha256Hex)));
        retention(request);
        store.client().putObject(request.build(), RequestBody.fromFile(file));
        retain(key);
    }

    private void putMultipart(Path file, String key) throws IOException {
        S3Client s3 = store.client();
        String uploadId = s3.createMultipartUpload(b -> {
            b.bucket(store.bucket()).key(key).contentType("text/csv").checksumAlgorithm(ChecksumAlgorithm.SHA256);
            if (lockEnabled()) {
                b.objectLockMode(ObjectLockMode.fromValue(config.retentionMode()))
                        .objectLockRetainUntilDate(Instant.now().plus(config.retention()));
            }
        }).uploadId();
        try (InputStream in = Files.newInputStream(file)) {
            List<CompletedPart> parts = new ArrayList<>();
            long remaining = Files.size(file);
            int number = 1;
            while (remaining > 0) {
                long size = Math.min(config.partSize(), remaining);
                byte[] part = in.readNBytes((int) size);
                int partNumber = number;
                UploadPartResponse uploaded = s3.uploadPart(b -> b.bucket(store.bucket()).key(key).uploadId(uploadId).partNumber(partNumber)
                        .checksumAlgorithm(ChecksumAlgorithm.SHA256), RequestBody.fromBytes(part));
                // an upload created with SHA-256 checksums must name each part's checksum when it completes
                parts.add(CompletedPart.builder().partNumber(partNumber).eTag(uploaded.eTag()).checksumSHA256(uploaded.checksumSHA256())
                        .build());
                remaining -= size;
                number++;
            }
            s3.completeMultipartUpload(b -> b.bucket(store.bucket()).key(key).uploadId(uploadId).ifNoneMatch("*")
                    .multipartUpload(m -> m.parts(parts)));
            retain(key);
        } catch (IOException | RuntimeException e) {
            try {
                s3.abortMultipartUpload(b -> b.bucket(store.bucket()).key(key).uploadId(uploadId));
            } catch (RuntimeException abort) {
                e.addSuppressed(abort);
            }
            throw e;
        }
    }

    /**
     * Sets the retention on the object itself as well: not every S3 implementation carries the retention a put or
     * CreateMultipartUpload names to the object (S3Mock kept none on a manifest's put), and a later date than the put's only extends it.
     */
    private void retain(String key) {
        if (lockEnabled()) {
            store.client().putObjectRetention(b -> b.bucket(store.bucket()).key(key).retention(r -> r
                    .mode(ObjectLockRetentionMode.fromValue(config.retentionMode())).retainUntilDate(Instant.now().plus(config.retention()))));
        }
    }

    private void retention(PutObjectRequest.Builder request) {
        if (lockEnabled()) {
            request.objectLockMode(ObjectLockMode.fromValue(config.retentionMode()))
                    .objectLockRetainUntilDate(Instant.now().plus(config.retention()));
        }
    }

    /** Whether objects get a retention date: per {@code archiver.s3.object-lock}, probing the bucket once in AUTO. */
    boolean lockEnabled() {
        if (config.objectLock() == ObjectStoreConfig.ObjectLock.OFF) {
            return false;
        }
        if (objectLockEnabled == null) {
            boolean enabled;
            try {
                enabled = store.client().getObjectLockConfiguration(b -> b.bucket(store.bucket())).objectLockConfiguration()
                        .objectLockEnabled() == ObjectLockEnabled.ENABLED;
            } catch (S3Exception e) {
                enabled = false;
            }
            if (!enabled && config.objectLock() == ObjectStoreConfig.ObjectLock.ON) {
                throw new IllegalStateException("archiver.s3.object-lock=ON but bucket " + store.bucket() + " has no Object Lock");
            }
            LOG.infof("bucket %s Object Lock %s: objects %s", store.bucket(), enabled ? "enabled" : "not available",
                    enabled ? "are retained " + config.retention() + " (" + config.retentionMode() + ")" : "rely on the bucket lifecycle rule");
            objectLockEnabled = enabled;
        }
        return objectLockEnabled;
    }
}
