package io.archiver.operations.events;

import io.archiver.events.ArchiveBatchDeleted;
import io.archiver.events.ArchiveBatchFailed;
import io.archiver.events.ArchiveBatchReady;
import io.archiver.events.ArchiveEvent;
import io.archiver.events.ArchiveRequested;
import io.archiver.events.ArchiveRunAwaitingConfirmation;
import io.archiver.events.ArchiveRunCompleted;
import io.archiver.events.ArchiveRunConfirmed;
import io.archiver.events.ArchiveShardExported;
import io.archiver.events.ArchiveUploaded;
import io.archiver.events.RunStatistics;
import io.archiver.operations.Texts;

/** What an event says, in one word ({@link #kind}) and one line ({@link #details}): archivectl's event log and the API's alike. */
public final class EventSummary {

    private EventSummary() {
    }

    public static String kind(ArchiveEvent event) {
        if (event instanceof ArchiveRequested) {
            return "REQUESTED";
        } else if (event instanceof ArchiveBatchReady) {
            return "PLANNED";
        } else if (event instanceof ArchiveShardExported) {
            return "EXPORTED";
        } else if (event instanceof ArchiveUploaded) {
            return "UPLOADED";
        } else if (event instanceof ArchiveBatchDeleted deleted) {
            return deleted.scope().mode() == io.archiver.events.ArchiveMode.MOVE ? "MOVED" : "DELETED";
        } else if (event instanceof ArchiveBatchFailed) {
            return "FAILED";
        } else if (event instanceof ArchiveRunAwaitingConfirmation) {
            return "AWAITING";
        } else if (event instanceof ArchiveRunConfirmed) {
            return "CONFIRMED";
        } else {
            return "COMPLETED";
        }
    }

    public static String details(ArchiveEvent event) {
        if (event instanceof ArchiveRequested r) {
            return "policy=" + r.policy() + " table=" + r.table() + " mode=" + r.mode() + " cutoff=" + Texts.time(r.cutoffEpochMs())
                    + (r.dryRun() ? " dryRun=true" : "") + (r.scheduleSlot() != null ? " slot=" + r.scheduleSlot() : "") + " by="
                    + r.requestedBy();
        } else if (event instanceof ArchiveBatchReady b) {
            return "ids=" + b.scope().firstId() + ".." + b.scope().lastId() + " expectedRows=" + b.expectedRows();
        } else if (event instanceof ArchiveShardExported s) {
            return "rows=" + s.rowCount() + " bytes=" + s.fileBytes() + " key=" + s.objectKey();
        } else if (event instanceof ArchiveUploaded u) {
            return "rows=" + u.rowCount() + " bytes=" + u.objectBytes() + " key=" + u.objectKey();
        } else if (event instanceof ArchiveBatchDeleted d) {
            return "rows=" + d.rowsRemoved() + " key=" + d.objectKey() + (d.rowsFound() == d.rowsRemoved() ? ""
                    : " keptChanged=" + d.rowsKeptChanged() + " keptNotInObject=" + d.rowsKeptNotInObject() + " missing=" + d.rowsMissing()
                            + (d.exceptionsKey() != null ? " exceptions=" + d.exceptionsKey() : ""));
        } else if (event instanceof ArchiveBatchFailed f) {
            return "stage=" + f.stage() + " reason=" + f.reason() + " detail=\"" + Texts.oneLine(f.detail(), 200) + "\"";
        } else if (event instanceof ArchiveRunAwaitingConfirmation a) {
            return "reason=" + a.reason() + " eligible=" + a.plan().eligibleRows() + " tableRows=" + a.plan().tableRows() + " batches="
                    + a.plan().batches() + " detail=\"" + Texts.oneLine(a.detail(), 200) + "\"";
        } else if (event instanceof ArchiveRunConfirmed c) {
            return "by=" + c.requestedBy();
        } else {
            ArchiveRunCompleted c = (ArchiveRunCompleted) event;
            RunStatistics s = c.stats();
            return "outcome=" + c.outcome() + " found=" + s.rowsFound() + " exported=" + s.rowsExported() + " uploaded=" + s.rowsUploaded()
                    + " removed=" + s.rowsRemoved() + " failed=" + s.rowsFailed() + " keptChanged=" + s.rowsKeptChanged() + " keptNotInObject="
                    + s.rowsKeptNotInObject() + " missing=" + s.rowsMissing() + " batches=" + s.batches() + " objects=" + s.objects()
                    + " bytes=" + s.bytesUploaded() + " ms=" + s.durationMs() + (c.manifestKey() != null ? " manifest=" + c.manifestKey() : "")
                    + (c.reason() != null ? " reason=" + c.reason() + " detail=\"" + Texts.oneLine(c.detail(), 200) + "\"" : "");
        }
    }
}
