package io.archiver.uploader.storage;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.archiver.objectstore.ObjectReadMismatch;
import io.archiver.objectstore.ObjectStore;
import io.archiver.objectstore.StoredObject;
import io.archiver.uploader.domain.UploadConfig;
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
 * Puts a staged shard under its key without ever overwriting other bytes ({@code If-None-Match: *};
 * the same bytes already there count as success), then verifies what S3 holds: the size, and the
 * SHA-256 of the bytes read back (or the server's full-object checksum where it returns one).
 */
@ApplicationScoped
public class VerifiedUploader {

    private static final Logger LOG = Logger.getLogger(VerifiedUploader.class);

    /** What was verified in S3. {@code alreadyPresent}: the key held these bytes before this upload. */
    public record Verified(StoredObject object, boolean alreadyPresent) {
    }

    private final ObjectStore store;
    private final UploadConfig config;
    private volatile Boolean objectLockEnabled;

    public VerifiedUploader(ObjectStore store, UploadConfig config) {
        this.store = store;
        this.config = config;
    }

    public Verified upload(Path file, String key, long expectedBytes, String expectedSha256Hex) throws IOException {
        boolean alreadyPresent = false;
        Optional<Long> existing = store.size(key);
        if (existing.isPresent()) {
            alreadyPresent = true;
        } else {
            try {
                if (expectedBytes >= config.multipartThreshold()) {
                    putMultipart(file, key);
                } else {
                    put(file, key, expectedSha256Hex);
                }
            } catch (S3Exception e) {
                if (e.statusCode() != 412) {
                    throw e;
                }
                alreadyPresent = true; // someone (a replay) wrote the key first: check what it holds
            }
        }
        StoredObject stored = verify(key, expectedBytes, expectedSha256Hex, alreadyPresent);
        return new Verified(stored, alreadyPresent);
    }

    /** Reads the object back and checks size and SHA-256; throws {@link ObjectConflict} or {@link VerificationFailed}. */
    public StoredObject verify(String key, long expectedBytes, String expectedSha256Hex, boolean preExisting) {
        StoredObject stored;
        try {
            stored = store.read(key, null);
        } catch (ObjectReadMismatch e) {
            throw new VerificationFailed(e.getMessage());
        }
        if (stored.bytes() != expectedBytes || !stored.sha256Hex().equals(expectedSha256Hex)) {
            String what = "s3://" + store.bucket() + "/" + key + " holds " + stored.bytes() + " bytes with SHA-256 " + stored.sha256Hex()
                    + ", the shard " + expectedBytes + " bytes with SHA-256 " + expectedSha256Hex;
            if (preExisting) {
                throw new ObjectConflict(what + "; the key is never overwritten");
            }
            throw new VerificationFailed(what);
        }
        if (stored.serverSha256Base64() != null
                && !HexFormat.of().formatHex(Base64.getDecoder().decode(stored.serverSha256Base64())).equals(expectedSha256Hex)) {
            throw new VerificationFailed("s3://" + store.bucket() + "/" + key + ": the server's SHA-256 " + stored.serverSha256Base64()
                    + " differs from the shard's");
        }
        return stored;
    }

    private void put(Path file, String key, String sha256Hex) {
        PutObjectRequest.Builder request = PutObjectRequest.builder().bucket(store.bucket()).key(key).ifNoneMatch("*")
                .contentType("text/csv").checksumSHA256(Base64.getEncoder().encodeToString(HexFormat.of().parseHex(sha256Hex)));
        retention(request);
        store.client().putObject(request.build(), RequestBody.fromFile(file));
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
            if (lockEnabled()) {
                // not every S3 implementation carries the retention of CreateMultipartUpload to the object: set it on the object
                s3.putObjectRetention(b -> b.bucket(store.bucket()).key(key).retention(r -> r
                        .mode(ObjectLockRetentionMode.fromValue(config.retentionMode())).retainUntilDate(Instant.now().plus(config.retention()))));
            }
        } catch (IOException | RuntimeException e) {
            try {
                s3.abortMultipartUpload(b -> b.bucket(store.bucket()).key(key).uploadId(uploadId));
            } catch (RuntimeException abort) {
                e.addSuppressed(abort);
            }
            throw e;
        }
    }

    private void retention(PutObjectRequest.Builder request) {
        if (lockEnabled()) {
            request.objectLockMode(ObjectLockMode.fromValue(config.retentionMode()))
                    .objectLockRetainUntilDate(Instant.now().plus(config.retention()));
        }
    }

    /** Whether objects get a retention date: per {@code archiver.upload.object-lock}, probing the bucket once in AUTO. */
    boolean lockEnabled() {
        if (config.objectLock() == UploadConfig.ObjectLock.OFF) {
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
            if (!enabled && config.objectLock() == UploadConfig.ObjectLock.ON) {
                throw new IllegalStateException("archiver.upload.object-lock=ON but bucket " + store.bucket() + " has no Object Lock");
            }
            LOG.infof("bucket %s Object Lock %s: objects %s", store.bucket(), enabled ? "enabled" : "not available",
                    enabled ? "are retained " + config.retention() + " (" + config.retentionMode() + ")" : "rely on the bucket lifecycle rule");
            objectLockEnabled = enabled;
        }
        return objectLockEnabled;
    }
}
