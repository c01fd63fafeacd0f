package io.archiver.deleter.messaging;

import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import io.archiver.deleter.domain.DeleteConfig;
import io.archiver.deleter.persistence.BatchDeletion;
import io.archiver.deleter.persistence.BatchDeletion.AlreadyFailed;
import io.archiver.deleter.persistence.BatchDeletion.Mismatch;
import io.archiver.deleter.persistence.BatchDeletion.NotInLedger;
import io.archiver.deleter.persistence.BatchDeletion.Outcome;
import io.archiver.deleter.persistence.BatchDeletion.Removed;
import io.archiver.deleter.storage.ArchivedShard;
import io.archiver.events.ArchiveBatchDeleted;
import io.archiver.events.ArchiveBatchFailed;
import io.archiver.events.ArchiveEvent;
import io.archiver.events.ArchiveObjectKey;
import io.archiver.events.ArchiveUploaded;
import io.archiver.events.EventCodec;
import io.archiver.events.PipelineStage;
import io.archiver.events.SchemaVersion;
import io.archiver.events.ShardCompression;
import io.archiver.objectstore.ObjectReadMismatch;
import io.archiver.objectstore.ObjectStore;
import io.archiver.support.messaging.EventLog;
import io.archiver.support.messaging.HandlerGuard;
import io.archiver.support.messaging.EventPublisher;
import io.archiver.support.policy.ArchivePolicies;
import io.archiver.support.policy.PolicyGuard;
import io.archiver.support.policy.PolicyViolation;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.reactive.messaging.MutinyEmitter;

/**
 * Consumes ArchiveUploaded and trusts none of it: the policy must allow the table and cutoff, the
 * key must be the batch's own, the object must be in S3 with the announced size and SHA-256 and
 * hold exactly the announced rows; then {@link BatchDeletion} re-checks the rows under lock and
 * removes them. Emits ArchiveBatchDeleted, or ArchiveBatchFailed with the reason (rows kept).
 */
@ApplicationScoped
public class UploadedBatchHandler {

    private static final Logger LOG = Logger.getLogger(UploadedBatchHandler.class);

    private final HandlerGuard handling;
    private final PolicyGuard guard;
    private final ObjectStore store;
    private final ArchivedShard shards;
    private final BatchDeletion deletion;
    private final DeleteConfig config;
    private final MutinyEmitter<ArchiveEvent> completions;

    public UploadedBatchHandler(HandlerGuard handling, PolicyGuard guard, ObjectStore store, ArchivedShard shards, BatchDeletion deletion, DeleteConfig config,
            @Channel("completions-out") MutinyEmitter<ArchiveEvent> completions) {
        this.handling = handling;
        this.guard = guard;
        this.store = store;
        this.shards = shards;
        this.deletion = deletion;
        this.config = config;
        this.completions = completions;
    }

    /** Refuses to start with settings that would stop or break the deletes, naming the setting. */
    void checkSettings(@Observes StartupEvent start) {
        requireAtLeastOne("archiver.delete.concurrency", config.concurrency());
        requireAtLeastOne("archiver.delete.chunk-rows", config.chunkRows());
        requireAtLeastOne("archiver.delete.fetch-size", config.fetchSize());
    }

    private static void requireAtLeastOne(String setting, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(setting + " must be at least 1, was " + value);
        }
    }

    @Incoming("uploads")
    @Blocking
    public void onUploaded(byte[] payload) throws Exception {
        handling.blocking(LOG, "uploads", () -> handleUploaded(payload));
    }

    private void handleUploaded(byte[] payload) throws InterruptedException {
        long start = System.nanoTime();
        ArchiveUploaded event = EventCodec.decode(payload, ArchiveUploaded.class);
        ArchivePolicies.Policy policy = guard.check(event.scope());
        if (!store.bucket().equals(event.bucket())) {
            throw new PolicyViolation("FOREIGN_BUCKET", "bucket " + event.bucket() + " is not the archive bucket " + store.bucket());
        }
        String plainKey = store.prefix() + ArchiveObjectKey.fileName(event.runId(), event.scope(), ShardCompression.NONE);
        String gzipKey = store.prefix() + ArchiveObjectKey.fileName(event.runId(), event.scope(), ShardCompression.GZIP);
        if (!event.objectKey().equals(plainKey) && !event.objectKey().equals(gzipKey)) {
            throw new PolicyViolation("FOREIGN_KEY", "object " + event.objectKey() + " is not the key of batch " + event.batchId());
        }
        Outcome known = deletion.peek(event.batchId(), event.scope(), config.dbTimeout());
        if (known instanceof NotInLedger notInLedger) {
            throw new PolicyViolation("UNKNOWN_BATCH", notInLedger.detail());
        }
        if (known != null) {
            finish(event, known, start);
            return;
        }
        ArchivedShard.Contents contents;
        try {
            contents = shards.read(event.objectKey(), policy.idColumn(), event.rowCount());
        } catch (ObjectReadMismatch e) {
            fail(event, "OBJECT_MISMATCH", e.getMessage(), start);
            return;
        } catch (UncheckedIOException e) {
            fail(event, "OBJECT_UNREADABLE", "s3://" + store.bucket() + "/" + event.objectKey() + " cannot be parsed: " + e.getMessage(), start);
            return;
        }
        if (contents == null) {
            fail(event, "OBJECT_MISSING", "s3://" + store.bucket() + "/" + event.objectKey() + " does not exist", start);
            return;
        }
        if (contents.object().bytes() != event.objectBytes() || !contents.object().sha256Hex().equals(event.objectSha256())) {
            fail(event, "OBJECT_MISMATCH", "s3://" + store.bucket() + "/" + event.objectKey() + " holds " + contents.object().bytes()
                    + " bytes with SHA-256 " + contents.object().sha256Hex() + ", announced " + event.objectBytes() + " bytes with SHA-256 "
                    + event.objectSha256(), start);
            return;
        }
        if (contents.rows() != event.rowCount() || !contents.rowsDigest().equals(event.rowsDigest())) {
            fail(event, "OBJECT_ROWS_MISMATCH", "the object holds " + contents.rows() + " rows with digest " + contents.rowsDigest()
                    + ", the export announced " + event.rowCount() + " with digest " + event.rowsDigest(), start);
            return;
        }
        Outcome outcome = deletion.delete(policy, event.batchId(), event.scope(), contents.fingerprints(), contents.rowsDigest(),
                event.objectKey(), contents.object().bytes(), config.fetchSize(), config.chunkRows(), config.dbTimeout());
        if (outcome instanceof NotInLedger notInLedger) {
            throw new PolicyViolation("UNKNOWN_BATCH", notInLedger.detail());
        }
        finish(event, outcome, start);
        if (outcome instanceof Removed removed && !removed.already() && !config.pauseBetweenBatches().isZero()) {
            Thread.sleep(config.pauseBetweenBatches().toMillis());
        }
    }

    private void finish(ArchiveUploaded event, Outcome outcome, long start) {
        if (outcome instanceof Removed removed) {
            EventPublisher.publishAndWait(completions, new ArchiveBatchDeleted(UUID.randomUUID().toString(), event.runId(), event.batchId(),
                    Instant.now(), SchemaVersion.CURRENT, event.scope(), removed.rows(), event.objectKey()));
            EventLog.handled(LOG, event, "DELETE", removed.already() ? "ALREADY_DELETED" : event.scope().mode() + "D", removed.rows(),
                    event.objectBytes(), start, event.objectKey());
        } else if (outcome instanceof Mismatch mismatch) {
            fail(event, mismatch.reason(), mismatch.detail(), start);
        } else if (outcome instanceof AlreadyFailed) {
            EventLog.handled(LOG, event, "DELETE", "ALREADY_FAILED", 0, 0, start, null);
        }
    }

    private void fail(ArchiveUploaded event, String reason, String detail, long start) {
        EventPublisher.publishAndWait(completions, ArchiveBatchFailed.of(event.runId(), event.batchId(), event.scope(), PipelineStage.DELETE,
                reason, detail));
        EventLog.handled(LOG, event, "DELETE", reason, event.rowCount(), event.objectBytes(), start, detail);
    }
}
