package io.archiver.scanner.messaging;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import io.archiver.events.ArchiveBatchDeleted;
import io.archiver.events.ArchiveBatchFailed;
import io.archiver.events.ArchiveEvent;
import io.archiver.events.ArchiveRunCompleted;
import io.archiver.events.ArchiveShardExported;
import io.archiver.events.ArchiveUploaded;
import io.archiver.events.EventCodec;
import io.archiver.scanner.persistence.RunLedger;
import io.archiver.support.messaging.EventLog;
import io.archiver.support.messaging.HandlerGuard;
import io.smallrye.mutiny.Uni;

/**
 * Follows every batch through the stages (shards, uploads, completions) into the ledger, and closes
 * a run with ArchiveRunCompleted when its last batch has ended. Statistics are computed from the
 * ledger, never by counting events, so a replayed event counts nothing twice.
 */
@ApplicationScoped
public class BatchProgressHandler {

    private static final Logger LOG = Logger.getLogger(BatchProgressHandler.class);

    private final HandlerGuard handling;
    private final RunLedger ledger;
    private final RunAnnouncer announce;

    public BatchProgressHandler(HandlerGuard handling, RunLedger ledger, RunAnnouncer announce) {
        this.handling = handling;
        this.ledger = ledger;
        this.announce = announce;
    }

    @Incoming("shards")
    public Uni<Void> onShard(byte[] payload) {
        return handling.reactiveWithTimeout(LOG, "shards", () -> handleShard(payload));
    }

    private Uni<Void> handleShard(byte[] payload) {
        long start = System.nanoTime();
        ArchiveShardExported event = EventCodec.decode(payload, ArchiveShardExported.class);
        return ledger.recordExported(event)
                .invoke(() -> EventLog.handled(LOG, event, "EXPORT", "RECORDED", event.rowCount(), event.fileBytes(), start, null));
    }

    @Incoming("uploads")
    public Uni<Void> onUpload(byte[] payload) {
        return handling.reactiveWithTimeout(LOG, "uploads", () -> handleUpload(payload));
    }

    private Uni<Void> handleUpload(byte[] payload) {
        long start = System.nanoTime();
        ArchiveUploaded event = EventCodec.decode(payload, ArchiveUploaded.class);
        return ledger.recordUploaded(event)
                .invoke(() -> EventLog.handled(LOG, event, "UPLOAD", "RECORDED", event.rowCount(), event.objectBytes(), start, null));
    }

    @Incoming("completions")
    public Uni<Void> onCompletion(byte[] payload) {
        return handling.reactiveWithTimeout(LOG, "completions", () -> handleCompletion(payload));
    }

    private Uni<Void> handleCompletion(byte[] payload) {
        long start = System.nanoTime();
        ArchiveEvent event = EventCodec.decode(payload);
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
                EventLog.handled(LOG, event, "COMPLETE", "RECORDED", 0, 0, start, null);
                return Uni.createFrom().voidItem();
            }
            ArchiveRunCompleted done = completion.get();
            return announce.completion(done).invoke(() -> EventLog.handled(LOG, event, "COMPLETE", "RUN_" + done.outcome(),
                    done.stats().rowsRemoved(), done.stats().bytesUploaded(), start, done.stats().toString()));
        });
    }
}
