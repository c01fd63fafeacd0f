package io.archiver.deleter.domain;

/**
 * Why the deleter removes nothing of a batch: stable codes (the {@code reason} of ArchiveBatchFailed and of a dead-lettered
 * record's headers; tests and dashboards use them). The first three reject the event itself (it is dead-lettered, nothing
 * is read or touched); the others fail the batch (ArchiveBatchFailed: its rows stay and a later run plans them again).
 */
public enum RemovalReason {

    /** The event names a bucket other than the archive's. Rejects the event. */
    FOREIGN_BUCKET,
    /** The object key is not the one the batch's run, scope and compression give. Rejects the event. */
    FOREIGN_KEY,
    /** The ledger has no such batch, or has it with another range or cutoff. Rejects the event. */
    UNKNOWN_BATCH,
    /** No object under the key. */
    OBJECT_MISSING,
    /** The object's size or SHA-256, as read back from S3, is not what the upload announced (or not what S3's checksum says). */
    OBJECT_MISMATCH,
    /** The object's rows (count or digest, as parsed from its bytes) are not what the export announced. */
    OBJECT_ROWS_MISMATCH,
    /** The object's bytes are not a shard: not gzip where gzip is named, not the CSV format, no id column, ids out of order. */
    OBJECT_UNREADABLE,
    /** The object holds ids outside the batch's range: no chunk is removed. */
    OBJECT_OUT_OF_RANGE,
    /**
     * No longer given: since each row of a chunk is handled alone (docs/live-tables.md), a changed row stays by itself and its
     * batch ends DELETED with it counted. Kept so that failures recorded before read as they were.
     */
    ROWS_CHANGED_SINCE_EXPORT,
    /** MOVE mode: the copy into the archive table copied another number of rows than were checked; rolled back. */
    MOVE_COUNT_MISMATCH,
    /** The delete removed another number of rows than were checked; rolled back. */
    DELETE_COUNT_MISMATCH,
    /** A hold in force keeps keys of the batch's range in the source table (docs/archive.md#holds): nothing is removed. */
    HELD_IN_SOURCE,
    /** The database stayed above a health limit (replica lag, history length, threads running) for the throttle's max pause. */
    DATABASE_UNHEALTHY
}
