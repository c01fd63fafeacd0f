package io.archiver.deleter.domain;

import java.util.List;

import io.archiver.events.ArchiveBatchDeleted;
import io.archiver.events.RowCounts;
import io.archiver.events.RowException;

/** What {@link BatchRemoval} decided, and did, for one ArchiveUploaded. */
public sealed interface RemovalOutcome {

    /**
     * How a batch that got through ended: its counts (found = removed + kept + missing), its first
     * {@link ArchiveBatchDeleted#MAX_EXCEPTIONS} kept or missing keys, and its exceptions sidecar's key (null: none).
     */
    record BatchEnd(RowCounts counts, List<RowException> firstExceptions, String exceptionsKey) {

        public BatchEnd {
            firstExceptions = List.copyOf(firstExceptions);
        }

        /** A batch whose every row was removed. */
        public static BatchEnd allRemoved(long rows) {
            return new BatchEnd(new RowCounts(rows, 0, 0, 0, 0), List.of(), null);
        }
    }

    /** The batch got through now (with the chunks an earlier delivery handled): its matching rows were removed, the others counted. */
    record Removed(BatchEnd end) implements RemovalOutcome {
        public long rows() {
            return end.counts().removed();
        }
    }

    /** The ledger already has the batch DELETED, ending so: nothing was done. */
    record AlreadyRemoved(BatchEnd end) implements RemovalOutcome {
        public long rows() {
            return end.counts().removed();
        }
    }

    /** The ledger already has the batch FAILED: nothing was done. */
    record AlreadyFailed() implements RemovalOutcome {
    }

    /**
     * The batch may not be removed (any more): its remaining rows stay. Chunks removed before, each verified under lock,
     * stay removed.
     */
    record Refused(RemovalReason reason, String detail) implements RemovalOutcome {
    }

    /** The event is not to be trusted: nothing was read or touched, and the event goes to the dead-letter topic. */
    record Rejected(RemovalReason reason, String detail) implements RemovalOutcome {
    }
}
