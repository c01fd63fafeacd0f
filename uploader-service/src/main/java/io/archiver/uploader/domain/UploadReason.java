package io.archiver.uploader.domain;

/**
 * Why the uploader announces no ArchiveUploaded for a shard: stable codes (the {@code reason} of ArchiveBatchFailed and of
 * a dead-lettered record's headers; tests and dashboards use them). The first rejects the event itself (dead-lettered,
 * nothing read or written); the others fail the batch (ArchiveBatchFailed: nothing is deleted, a later run plans the rows again).
 */
public enum UploadReason {

    /** The event names a staged file other than the batch's own shard (its run, scope and compression give the name). Rejects the event. */
    STAGED_FILE_NAME,
    /** The staged file's size or SHA-256 is not what the export announced. */
    STAGED_FILE_CORRUPT,
    /** Neither the staged shard nor the object exists. */
    STAGED_FILE_MISSING,
    /** What S3 returns for the key is not the shard just written: other size or SHA-256, or bytes not matching S3's own checksum. */
    OBJECT_VERIFICATION_FAILED,
    /** The key already held other bytes than the shard: it is never overwritten (promise 6). */
    OBJECT_KEY_CONFLICT
}
