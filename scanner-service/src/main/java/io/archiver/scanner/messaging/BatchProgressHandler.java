package io.archiver.scanner.messaging;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import io.archiver.events.ArchiveEvent;
import io.archiver.events.ArchiveShardExported;
import io.archiver.events.ArchiveUploaded;
import io.archiver.events.EventCodec;
import io.archiver.scanner.domain.BatchProgress;
import io.archiver.support.messaging.HandledEvents;
import io.archiver.support.messaging.HandlerGuard;
import io.smallrye.mutiny.Uni;

/**
 * The scanner's progress edge: archive.shards, archive.uploads and archive.completions, each decoded and handed to
 * {@link BatchProgress}, which records it in the ledger and closes the run after its last batch; one log line each.
 */
@ApplicationScoped
public class BatchProgressHandler {

    private static final Logger LOG = Logger.getLogger(BatchProgressHandler.class);

    private final HandlerGuard handling;
    private final BatchProgress progress;
    private final HandledEvents events;

    public BatchProgressHandler(HandlerGuard handling, BatchProgress progress, HandledEvents events) {
        this.handling = handling;
        this.progress = progress;
        this.events = events;
    }

    @Incoming("shards")
    public Uni<Void> onShard(byte[] payload) {
        return handling.reactiveWithTimeout(LOG, "shards", () -> {
            long start = System.nanoTime();
            ArchiveShardExported event = EventCodec.decode(payload, ArchiveShardExported.class);
            return progress.exported(event).invoke(recorded -> log(event, start, recorded)).replaceWithVoid();
        });
    }

    @Incoming("uploads")
    public Uni<Void> onUpload(byte[] payload) {
        return handling.reactiveWithTimeout(LOG, "uploads", () -> {
            long start = System.nanoTime();
            ArchiveUploaded event = EventCodec.decode(payload, ArchiveUploaded.class);
            return progress.uploaded(event).invoke(recorded -> log(event, start, recorded)).replaceWithVoid();
        });
    }

    @Incoming("completions")
    public Uni<Void> onCompletion(byte[] payload) {
        return handling.reactiveWithTimeout(LOG, "completions", () -> {
            long start = System.nanoTime();
            ArchiveEvent event = EventCodec.decode(payload);
            return progress.ended(event).invoke(recorded -> log(event, start, recorded)).replaceWithVoid();
        });
    }

    private void log(ArchiveEvent event, long start, BatchProgress.Recorded recorded) {
        String outcome = recorded.completion().map(done -> "RUN_" + done.outcome()).orElse("RECORDED");
        String detail = recorded.completion().map(done -> done.stats().toString()).orElse(null);
        events.handled(LOG, event, start, new HandledEvents.Line(recorded.stage(), outcome, recorded.rows(), recorded.bytes(), detail));
    }
}
