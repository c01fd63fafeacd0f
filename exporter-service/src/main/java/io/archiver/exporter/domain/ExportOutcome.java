package io.archiver.exporter.domain;

import io.archiver.exporter.storage.StagedShard;
import io.archiver.ledger.BatchState;

/** What {@link BatchExport} decided, and did, for one ArchiveBatchReady. */
public sealed interface ExportOutcome {

    /** The batch's rows were written to a staged shard now. */
    record Exported(StagedShard shard) implements ExportOutcome {
    }

    /** A shard of the batch was already staged, complete with its manifest (a redelivery): it is announced again, not rewritten. */
    record AlreadyStaged(StagedShard shard) implements ExportOutcome {
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
