package io.archiver.uploader.domain;

import io.archiver.objectstore.StoredObject;

/** What {@link ShardUpload} decided for one ArchiveShardExported. */
public sealed interface UploadOutcome {

    /**
     * The shard is in S3 under its key, verified with its manifest beside it: by the SHA-256 the server validated on the put,
     * or, where it returns none, {@code readBack} whole.
     */
    record Uploaded(String bucket, StoredObject object, boolean readBack) implements UploadOutcome {
    }

    /** The object cannot be archived: no ArchiveUploaded, the batch fails and its rows stay. */
    record Refused(UploadReason reason, String detail) implements UploadOutcome {
    }

    /** The event is not to be trusted: nothing was read, and the event goes to the dead-letter topic. */
    record Rejected(UploadReason reason, String detail) implements UploadOutcome {
    }
}
