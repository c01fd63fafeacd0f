package io.archiver.uploader.domain;

import java.nio.file.Path;

import io.archiver.objectstore.StoredObject;

/** What {@link ShardUpload} decided, and did, for one ArchiveShardExported. */
public sealed interface UploadOutcome {

    /**
     * The shard is in S3 under its key, verified as read back: written now, or {@code alreadyPresent} (a replay found it).
     * {@code stagedFile} (null when it was gone already) is removed once the announcement is acknowledged.
     */
    record Uploaded(String bucket, StoredObject object, boolean alreadyPresent, Path stagedFile) implements UploadOutcome {
    }

    /** The shard cannot be archived: no ArchiveUploaded, the batch fails and its rows stay. */
    record Refused(UploadReason reason, String detail) implements UploadOutcome {
    }

    /** The event is not to be trusted: nothing was read or written, and the event goes to the dead-letter topic. */
    record Rejected(UploadReason reason, String detail) implements UploadOutcome {
    }
}
