package io.archiver.exporter.messaging;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import io.archiver.events.ArchiveBatchReady;
import io.archiver.events.ArchiveEvent;
import io.archiver.events.ArchiveShardExported;
import io.archiver.events.EventCodec;
import io.archiver.exporter.domain.BatchExport;
import io.archiver.exporter.domain.ExportConfig;
import io.archiver.exporter.domain.ExportOutcome;
import io.archiver.exporter.domain.ExportOutcome.AlreadyDeleting;
import io.archiver.exporter.domain.ExportOutcome.AlreadyEnded;
import io.archiver.exporter.domain.ExportOutcome.Exported;
import io.archiver.exporter.domain.ExportOutcome.Rejected;
import io.archiver.exporter.storage.StagedShard;
import io.archiver.support.messaging.EventPublisher;
import io.archiver.support.messaging.HandledEvents;
import io.archiver.support.messaging.HandlerGuard;
import io.archiver.support.policy.PolicyViolation;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.reactive.messaging.MutinyEmitter;

/**
 * The exporter's Kafka edge: decodes ArchiveBatchReady, has {@link BatchExport} write the batch's shard and put it in S3
 * (or find the batch past exporting), announces the object with ArchiveShardExported and then removes the scratch file;
 * an event not to be trusted is dead-lettered.
 */
@ApplicationScoped
public class BatchExportHandler {

    private static final Logger LOG = Logger.getLogger(BatchExportHandler.class);
    private static final String STAGE = "EXPORT";

    private final HandlerGuard guard;
    private final BatchExport export;
    private final EventPublisher publisher;
    private final HandledEvents events;
    private final ExportConfig config;
    private final MutinyEmitter<ArchiveEvent> shards;

    public BatchExportHandler(HandlerGuard guard, BatchExport export, EventPublisher publisher, HandledEvents events, ExportConfig config,
            @Channel("shards-out") MutinyEmitter<ArchiveEvent> shards) {
        this.guard = guard;
        this.export = export;
        this.publisher = publisher;
        this.events = events;
        this.config = config;
        this.shards = shards;
    }

    @Incoming("batches")
    @Blocking
    public void onBatch(byte[] payload) throws Exception {
        guard.blocking(LOG, "batches", () -> handle(payload));
    }

    private void handle(byte[] payload) throws Exception {
        long start = System.nanoTime();
        ArchiveBatchReady event = EventCodec.decode(payload, ArchiveBatchReady.class);
        ExportOutcome outcome = export.export(event);
        HandledEvents.Line line;
        if (outcome instanceof Rejected rejected) {
            throw new PolicyViolation(rejected.reason().name(), rejected.detail());
        } else if (outcome instanceof Exported exported) {
            line = announce(event, exported);
            export.release(exported);
        } else if (outcome instanceof AlreadyEnded ended) {
            line = new HandledEvents.Line(STAGE, "ALREADY_ENDED", 0, 0, "batch is " + ended.state());
        } else {
            line = new HandledEvents.Line(STAGE, "ALREADY_DELETING", 0, 0, ((AlreadyDeleting) outcome).detail());
        }
        events.handled(LOG, event, start, line);
    }

    private HandledEvents.Line announce(ArchiveBatchReady event, Exported exported) {
        StagedShard shard = exported.shard();
        publisher.publishAndWait(shards, ArchiveShardExported.of(event.runId(), event.batchId(), event.scope(), shard.rowCount(),
                shard.rowsDigest(), exported.objectKey(), shard.fileBytes(), shard.fileSha256(), config.compression()));
        // KEY_TAKEN: the key held an object before this put (a replay); the uploader verifies it holds these bytes
        return new HandledEvents.Line(STAGE, exported.keyTaken() ? "KEY_TAKEN" : "EXPORTED", shard.rowCount(), shard.fileBytes(),
                exported.objectKey());
    }
}
