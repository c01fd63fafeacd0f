package io.archiver.deleter.domain;

/** What {@link BatchRemoval} decided, and did, for one ArchiveUploaded. */
public sealed interface RemovalOutcome {

    /** The batch's rows were removed now ({@code rows} in all, with those of chunks an earlier delivery removed). */
    record Removed(long rows) implements RemovalOutcome {
    }

    /** The ledger already has the batch DELETED, with {@code rows} removed: nothing was done. */
    record AlreadyRemoved(long rows) implements RemovalOutcome {
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
