package io.archiver.uploader.storage;

/** The object in S3 is not the shard that was put: no ArchiveUploaded, no delete. */
public final class VerificationFailed extends RuntimeException {
    public VerificationFailed(String message) {
        super(message);
    }
}
