package io.archiver.uploader.messaging;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import io.archiver.events.ArchiveBatchFailed;
import io.archiver.events.ArchiveEvent;
import io.archiver.events.ArchiveShardExported;
import io.archiver.events.ArchiveUploaded;
import io.archiver.events.EventCodec;
import io.archiver.events.PipelineStage;
import io.archiver.support.messaging.EventPublisher;
import io.archiver.support.messaging.HandledEvents;
import io.archiver.support.messaging.HandlerGuard;
import io.archiver.support.policy.PolicyViolation;
import io.archiver.uploader.domain.ShardUpload;
import io.archiver.uploader.domain.UploadOutcome;
import io.archiver.uploader.domain.UploadOutcome.Refused;
import io.archiver.uploader.domain.UploadOutcome.Rejected;
import io.archiver.uploader.domain.UploadOutcome.Uploaded;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.reactive.messaging.MutinyEmitter;

/**
 * The uploader's Kafka edge: decodes ArchiveShardExported, has {@link ShardUpload} verify the object the exporter put, and
 * announces ArchiveUploaded only on verified success, else ArchiveBatchFailed with the reason; an event not to be trusted
 * is dead-lettered.
 */
@ApplicationScoped
public class ShardUploadHandler {

    private static final Logger LOG = Logger.getLogger(ShardUploadHandler.class);
    private static final String STAGE = "UPLOAD";

    private final HandlerGuard guard;
    private final ShardUpload upload;
    private final EventPublisher publisher;
    private final HandledEvents events;
    private final MutinyEmitter<ArchiveEvent> uploads;
    private final MutinyEmitter<ArchiveEvent> completions;

    public ShardUploadHandler(HandlerGuard guard, ShardUpload upload, EventPublisher publisher, HandledEvents events,
            @Channel("uploads-out") MutinyEmitter<ArchiveEvent> uploads, @Channel("completions-out") MutinyEmitter<ArchiveEvent> completions) {
        this.guard = guard;
        this.upload = upload;
        this.publisher = publisher;
        this.events = events;
        this.uploads = uploads;
        this.completions = completions;
    }

    @Incoming("shards")
    @Blocking
    public void onShard(byte[] payload) throws Exception {
        guard.blocking(LOG, "shards", () -> handle(payload));
    }

    private void handle(byte[] payload) throws Exception {
        long start = System.nanoTime();
        ArchiveShardExported event = EventCodec.decode(payload, ArchiveShardExported.class);
        UploadOutcome outcome = upload.upload(event);
        HandledEvents.Line line;
        if (outcome instanceof Rejected rejected) {
            throw new PolicyViolation(rejected.reason().name(), rejected.detail());
        } else if (outcome instanceof Uploaded uploaded) {
            publisher.publishAndWait(uploads, ArchiveUploaded.of(event.runId(), event.batchId(), event.scope(), event.rowCount(),
                    event.rowsDigest(), uploaded.bucket(), uploaded.object().key(), uploaded.object().bytes(), uploaded.object().sha256Hex()));
            line = new HandledEvents.Line(STAGE, "UPLOADED", event.rowCount(), uploaded.object().bytes(),
                    uploaded.object().key() + (uploaded.readBack() ? " (read back)" : " (server checksum)"));
        } else {
            Refused refused = (Refused) outcome;
            publisher.publishAndWait(completions, ArchiveBatchFailed.of(event.runId(), event.batchId(), event.scope(), PipelineStage.UPLOAD,
                    refused.reason().name(), refused.detail()));
            line = new HandledEvents.Line(STAGE, refused.reason().name(), event.rowCount(), event.fileBytes(), refused.detail());
        }
        events.handled(LOG, event, start, line);
    }
}
