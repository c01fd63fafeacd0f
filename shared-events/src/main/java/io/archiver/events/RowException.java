package io.archiver.events;

import static io.archiver.events.Require.present;

/**
 * A key of a batch's range that the deleter did not remove although the batch ended, and why (docs/live-tables.md). The
 * first {@link ArchiveBatchDeleted#MAX_EXCEPTIONS} travel in ArchiveBatchDeleted; the ledger's exceptions table has all.
 */
public record RowException(long id, Reason reason,
        @AddedLater("issue 22: the key of a batch of whole keys, whose id is then its ordinal in the batch") KeyValue key) {

    /** An exception of a one-integer key: {@code id} is the row's id. */
    public RowException(long id, Reason reason) {
        this(id, reason, null);
    }

    public enum Reason {
        /** The row's values in the table differ from the batch's object: it stays, and the object's version is stale. */
        CHANGED,
        /** An eligible row of the range that the object does not hold (inserted, or dated under the cutoff, after the export): it stays. */
        NOT_IN_OBJECT,
        /** The object holds the row but the table no longer has it as an eligible row (deleted, or dated at or after the cutoff, since). */
        MISSING;

        /** Whether the object holds a version of the key that the archiver never removed (it is named in the object's sidecar). */
        public boolean objectVersionNotRemoved() {
            return this != NOT_IN_OBJECT;
        }
    }

    public RowException {
        present(reason, "reason");
    }
}
