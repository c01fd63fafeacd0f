package io.archiver.uploader.domain;

/**
 * Why the uploader announces no ArchiveUploaded for a shard: stable codes (the {@code reason} of ArchiveBatchFailed and of
 * a dead-lettered record's headers; tests and dashboards use them). The first rejects the event itself (dead-lettered,
 * nothing read); the others fail the batch (ArchiveBatchFailed: nothing is deleted, a later run plans the rows again).
 */
public enum UploadReason {

    /** The event names another object key than the batch's shard (its policy's prefix, run, scope and compression give it). Rejects the event. */
    OBJECT_KEY_NAME,
    /** No object under the key. */
    OBJECT_MISSING,
    /** No manifest beside the object. */
    OBJECT_MANIFEST_MISSING,
    /** What S3 returns for the key is not the shard: bytes read back other than announced, or not matching S3's own checksum. */
    OBJECT_VERIFICATION_FAILED,
    /** The key (or its manifest's) holds another object than the shard, by its size or its server-validated SHA-256: never overwritten (promise 6). */
    OBJECT_KEY_CONFLICT
}
