package io.archiver.scanner.domain;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.archiver.events.ArchiveBatchDeleted;
import io.archiver.events.ArchiveBatchFailed;
import io.archiver.events.ArchiveEvent;
import io.archiver.events.ArchiveRunCompleted;
import io.archiver.events.ArchiveShardExported;
import io.archiver.events.ArchiveUploaded;
import io.archiver.scanner.messaging.RunAnnouncer;
import io.archiver.scanner.persistence.RunLedger;
import io.smallrye.mutiny.Uni;

/**
 * A batch's progress through the stages into the ledger, and the run's close: what each stage reported is recorded
 * ({@link RunLedger}: states only move forward, the first end of a batch is its end), and when the last batch has ended
 * the run's completion, with statistics from the ledger, is announced ({@link RunAnnouncer}: once, marked sent when the
 * broker acknowledged it). A replayed event finds its effect recorded and counts nothing twice.
 */
@ApplicationScoped
public class BatchProgress {

    /** What recording an event did, for its log line: the run's completion when it closed the run (or the run's closing was not yet announced). */
    public record Recorded(String stage, long rows, long bytes, Optional<ArchiveRunCompleted> completion) {
    }

    private final RunLedger ledger;
    private final RunAnnouncer announce;

    public BatchProgress(RunLedger ledger, RunAnnouncer announce) {
        this.ledger = ledger;
        this.announce = announce;
    }

    public Uni<Recorded> exported(ArchiveShardExported event) {
        return ledger.recordExported(event).replaceWith(new Recorded("EXPORT", event.rowCount(), event.fileBytes(), Optional.empty()));
    }

    public Uni<Recorded> uploaded(ArchiveUploaded event) {
        return ledger.recordUploaded(event).replaceWith(new Recorded("UPLOAD", event.rowCount(), event.objectBytes(), Optional.empty()));
    }

    /** A batch's end (ArchiveBatchDeleted or ArchiveBatchFailed, what archive.completions carries); closes its run when it was the last. */
    public Uni<Recorded> ended(ArchiveEvent event) {
        Uni<Optional<ArchiveRunCompleted>> recorded;
        if (event instanceof ArchiveBatchDeleted deleted) {
            recorded = ledger.recordDeleted(deleted);
        } else if (event instanceof ArchiveBatchFailed failed) {
            recorded = ledger.recordFailed(failed);
        } else {
            throw new IllegalArgumentException("archive.completions carries ArchiveBatchDeleted or ArchiveBatchFailed, not "
                    + event.getClass().getSimpleName());
        }
        return recorded.chain(completion -> {
            if (completion.isEmpty()) {
                // the batch's end frees a place in its run's window: the next batch goes out (again, for a redelivered end whose
                // publishing was cut short; the offset is committed only after this)
                return announce.nextBatches(event.runId()).replaceWith(new Recorded("COMPLETE", 0, 0, completion));
            }
            ArchiveRunCompleted done = completion.get();
            return announce.completion(done).replaceWith(new Recorded("COMPLETE", done.stats().rowsRemoved(), done.stats().bytesUploaded(),
                    completion));
        });
    }
}
