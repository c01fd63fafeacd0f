package io.archiver.exporter.messaging;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import io.archiver.events.ArchiveBatchReady;
import io.archiver.events.ArchiveEvent;
import io.archiver.events.ArchiveObjectKey;
import io.archiver.events.ArchiveShardExported;
import io.archiver.events.EventCodec;
import io.archiver.exporter.domain.ExportConfig;
import io.archiver.exporter.persistence.BatchLedgerView;
import io.archiver.exporter.persistence.BatchLedgerView.LedgerBatch;
import io.archiver.exporter.persistence.RangeReader;
import io.archiver.exporter.storage.ShardWriter;
import io.archiver.exporter.storage.StagedShard;
import io.archiver.rows.CanonicalEncoding;
import io.archiver.support.messaging.EventLog;
import io.archiver.support.messaging.HandlerGuard;
import io.archiver.support.messaging.EventPublisher;
import io.archiver.support.policy.ArchivePolicies;
import io.archiver.support.policy.PolicyGuard;
import io.archiver.support.policy.PolicyViolation;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.reactive.messaging.MutinyEmitter;

/**
 * Consumes ArchiveBatchReady: streams the batch's rows into a staged CSV shard and emits
 * ArchiveShardExported. Idempotent: a batch the ledger shows ended is skipped; a shard already
 * staged (with its manifest) is announced again rather than written twice.
 */
@ApplicationScoped
public class BatchExportHandler {

    private static final Logger LOG = Logger.getLogger(BatchExportHandler.class);

    private final HandlerGuard handling;
    private final PolicyGuard guard;
    private final BatchLedgerView ledger;
    private final RangeReader reader;
    private final ExportConfig config;
    private final MutinyEmitter<ArchiveEvent> shards;

    public BatchExportHandler(HandlerGuard handling, PolicyGuard guard, BatchLedgerView ledger, RangeReader reader, ExportConfig config,
            @Channel("shards-out") MutinyEmitter<ArchiveEvent> shards) throws IOException {
        this.handling = handling;
        this.guard = guard;
        this.ledger = ledger;
        this.reader = reader;
        this.config = config;
        this.shards = shards;
        Files.createDirectories(config.stagingDir());
    }

    @Incoming("batches")
    @Blocking
    public void onBatch(byte[] payload) throws Exception {
        handling.blocking(LOG, "batches", () -> handleBatch(payload));
    }

    private void handleBatch(byte[] payload) throws IOException {
        long start = System.nanoTime();
        ArchiveBatchReady event = EventCodec.decode(payload, ArchiveBatchReady.class);
        ArchivePolicies.Policy policy = guard.check(event.scope());
        LedgerBatch known = ledger.find(event.batchId(), config.dbTimeout()).orElseThrow(
                () -> new PolicyViolation("UNKNOWN_BATCH", "batch " + event.batchId() + " is not in the ledger"));
        if (!known.runId().equals(event.runId()) || known.firstId() != event.scope().firstId() || known.lastId() != event.scope().lastId()
                || known.cutoffEpochMs() != event.scope().cutoffEpochMs()) {
            throw new PolicyViolation("BATCH_MISMATCH", "batch " + event.batchId() + " has range " + known.firstId() + ".."
                    + known.lastId() + " in the ledger, not " + event.scope().firstId() + ".." + event.scope().lastId());
        }
        if (known.ended()) {
            EventLog.handled(LOG, event, "EXPORT", "ALREADY_ENDED", 0, 0, start, "batch is " + known.state());
            return;
        }
        if (known.deletionStarted()) {
            EventLog.handled(LOG, event, "EXPORT", "ALREADY_DELETING", 0, 0, start, "the deleter removed rows through id "
                    + known.removedThroughId() + "; the uploaded object stands, nothing is exported again");
            return;
        }
        Path target = config.stagingDir().resolve(ArchiveObjectKey.fileName(event.runId(), event.scope(), config.compression()));
        Optional<StagedShard> staged = StagedShard.find(target);
        String outcome = staged.isPresent() ? "ALREADY_STAGED" : "EXPORTED";
        StagedShard shard;
        try {
            shard = staged.isPresent() ? staged.get() : export(policy, event, target);
        } catch (RangeReader.DeletionStarted e) {
            // a redelivered batch whose rows the deleter is removing (or removed) chunk by chunk: its object is uploaded and verified
            EventLog.handled(LOG, event, "EXPORT", "ALREADY_DELETING", 0, 0, start, e.getMessage());
            return;
        }
        EventPublisher.publishAndWait(shards, new ArchiveShardExported(java.util.UUID.randomUUID().toString(), event.runId(),
                event.batchId(), java.time.Instant.now(), io.archiver.events.SchemaVersion.CURRENT, event.scope(), shard.rowCount(),
                shard.rowsDigest(), target.getFileName().toString(), shard.fileBytes(), shard.fileSha256(), config.compression()));
        EventLog.handled(LOG, event, "EXPORT", outcome, shard.rowCount(), shard.fileBytes(), start, null);
    }

    private StagedShard export(ArchivePolicies.Policy policy, ArchiveBatchReady event, Path target) throws IOException {
        try (ShardWriter writer = new ShardWriter(target, config.compression(), config.gzipLevel())) {
            reader.read(policy, event.batchId(), event.scope(), config.fetchSize(), config.dbTimeout(), new RangeReader.RowSink() {
                @Override
                public void columns(List<String> names) {
                    try {
                        writer.header(names);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }

                @Override
                public void row(CanonicalEncoding row) {
                    writer.row(row);
                }
            });
            return writer.commit(() -> reader.columns(policy, config.dbTimeout()));
        }
    }
}
