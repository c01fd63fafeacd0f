package io.archiver.exporter.domain;

import io.archiver.exporter.storage.StagedShard;
import io.archiver.ledger.BatchState;

/** What {@link BatchExport} decided, and did, for one ArchiveBatchReady. */
public sealed interface ExportOutcome {

    /**
     * The batch's rows were written to a shard in the scratch directory and put in S3 under {@code objectKey}, its manifest
     * beside it. {@code keyTaken}: the key held an object already (a replay, or another object: the uploader's verification
     * decides), and nothing was written over it. The scratch file is removed once the shard is announced.
     */
    record Exported(StagedShard shard, String objectKey, boolean keyTaken) implements ExportOutcome {
    }

    /** The ledger has the batch DELETED or FAILED: nothing to do. */
    record AlreadyEnded(BatchState state) implements ExportOutcome {
    }

    /**
     * The deleter has begun removing the batch (it committed a chunk): its object is uploaded and verified, and a new export
     * would miss the rows already removed, so there is none.
     */
    record AlreadyDeleting(String detail) implements ExportOutcome {
    }

    /** The event is not to be trusted: nothing was read or written, and the event goes to the dead-letter topic. */
    record Rejected(ExportReason reason, String detail) implements ExportOutcome {
    }
}
