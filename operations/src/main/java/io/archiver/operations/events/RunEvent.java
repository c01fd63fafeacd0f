package io.archiver.operations.events;

import io.archiver.events.ArchiveEvent;

/** One event of a run's log and where it is on the topics. */
public record RunEvent(ArchiveEvent event, String topic, int partition, long offset) {

    /** {@link EventSummary#kind}: REQUESTED, PLANNED, EXPORTED, UPLOADED, DELETED or MOVED, FAILED, AWAITING, CONFIRMED, COMPLETED. */
    public String kind() {
        return EventSummary.kind(event);
    }

    public String details() {
        return EventSummary.details(event);
    }
}
