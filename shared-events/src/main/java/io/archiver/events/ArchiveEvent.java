package io.archiver.events;

import java.time.Instant;

/**
 * An event of the archival flow. Every event names itself ({@link #eventId()}), the run it
 * belongs to, the batch where it has one, when it happened and the schema version of its JSON form.
 */
public sealed interface ArchiveEvent
        permits ArchiveRequested, ArchiveBatchReady, ArchiveShardExported, ArchiveUploaded,
        ArchiveBatchDeleted, ArchiveBatchFailed, ArchiveRunCompleted, ArchiveRunAwaitingConfirmation, ArchiveRunConfirmed,
        RestoreRequested {

    String eventId();

    String runId();

    /** The batch this event is about, or {@code null} for run-level events. */
    default String batchId() {
        return null;
    }

    Instant occurredAt();

    int schemaVersion();

    /**
     * The Kafka record key: the batch id for batch events, so that every event of one batch lands
     * on the same partition of its topic and keeps its order; the run id otherwise.
     */
    default String key() {
        return batchId() != null ? batchId() : runId();
    }
}
