package io.archiver.uploader.messaging;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import io.archiver.events.ArchiveBatchFailed;
import io.archiver.events.ArchiveEvent;
import io.archiver.events.ArchiveObjectKey;
import io.archiver.events.ArchiveShardExported;
import io.archiver.events.ArchiveUploaded;
import io.archiver.events.EventCodec;
import io.archiver.events.PipelineStage;
import io.archiver.events.SchemaVersion;
import io.archiver.objectstore.ObjectStore;
import io.archiver.objectstore.StoredObject;
import io.archiver.support.messaging.EventLog;
import io.archiver.support.messaging.HandlerGuard;
import io.archiver.support.messaging.EventPublisher;
import io.archiver.support.policy.PolicyGuard;
import io.archiver.support.policy.PolicyViolation;
import io.archiver.uploader.domain.UploadConfig;
import io.archiver.uploader.storage.ObjectConflict;
import io.archiver.uploader.storage.StagedFiles;
import io.archiver.uploader.storage.VerificationFailed;
import io.archiver.uploader.storage.VerifiedUploader;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.reactive.messaging.MutinyEmitter;

/**
 * Consumes ArchiveShardExported: checks the staged shard against its SHA-256, puts it in S3 under
 * its deterministic key, verifies it there and only then emits ArchiveUploaded; the staged file is
 * removed once the broker has acknowledged that event. A replay whose shard is gone finds the
 * object and announces it again. A shard that cannot be verified yields ArchiveBatchFailed.
 */
@ApplicationScoped
public class ShardUploadHandler {

    private static final Logger LOG = Logger.getLogger(ShardUploadHandler.class);

    private final HandlerGuard handling;
    private final PolicyGuard guard;
    private final VerifiedUploader uploader;
    private final ObjectStore store;
    private final UploadConfig config;
    private final MutinyEmitter<ArchiveEvent> uploads;
    private final MutinyEmitter<ArchiveEvent> completions;

    public ShardUploadHandler(HandlerGuard handling, PolicyGuard guard, VerifiedUploader uploader, ObjectStore store, UploadConfig config,
            @Channel("uploads-out") MutinyEmitter<ArchiveEvent> uploads, @Channel("completions-out") MutinyEmitter<ArchiveEvent> completions) {
        this.handling = handling;
        this.guard = guard;
        this.uploader = uploader;
        this.store = store;
        this.config = config;
        this.uploads = uploads;
        this.completions = completions;
    }

    @Incoming("shards")
    @Blocking
    public void onShard(byte[] payload) throws Exception {
        handling.blocking(LOG, "shards", () -> handleShard(payload));
    }

    private void handleShard(byte[] payload) throws IOException {
        long start = System.nanoTime();
        ArchiveShardExported event = EventCodec.decode(payload, ArchiveShardExported.class);
        guard.check(event.scope());
        String fileName = ArchiveObjectKey.fileName(event.runId(), event.scope(), event.compression());
        if (!fileName.equals(event.stagedFile())) {
            throw new PolicyViolation("STAGED_FILE_NAME", "staged file '" + event.stagedFile() + "' is not the batch's shard " + fileName);
        }
        String key = store.prefix() + fileName;
        Path file = config.stagingDir().resolve(fileName);
        try {
            if (Files.isRegularFile(file)) {
                long size = Files.size(file);
                String sha256 = StagedFiles.sha256Hex(file);
                if (size != event.fileBytes() || !sha256.equals(event.fileSha256())) {
                    fail(event, "STAGED_FILE_CORRUPT", "staged " + fileName + " has " + size + " bytes with SHA-256 " + sha256
                            + ", the export announced " + event.fileBytes() + " bytes with SHA-256 " + event.fileSha256(), start);
                    return;
                }
                VerifiedUploader.Verified verified = uploader.upload(file, key, event.fileBytes(), event.fileSha256());
                announce(event, key, verified.object());
                StagedFiles.remove(file);
                EventLog.handled(LOG, event, "UPLOAD", verified.alreadyPresent() ? "ALREADY_PRESENT" : "UPLOADED", event.rowCount(),
                        verified.object().bytes(), start, key);
                return;
            }
            Optional<Long> existing = store.size(key);
            if (existing.isEmpty()) {
                fail(event, "STAGED_FILE_MISSING", "neither the staged shard " + fileName + " nor the object " + key + " exists", start);
                return;
            }
            StoredObject stored = uploader.verify(key, event.fileBytes(), event.fileSha256(), true);
            announce(event, key, stored);
            EventLog.handled(LOG, event, "UPLOAD", "ALREADY_PRESENT", event.rowCount(), stored.bytes(), start, key);
        } catch (VerificationFailed e) {
            fail(event, "OBJECT_VERIFICATION_FAILED", e.getMessage(), start);
        } catch (ObjectConflict e) {
            fail(event, "OBJECT_KEY_CONFLICT", e.getMessage(), start);
        }
    }

    private void announce(ArchiveShardExported event, String key, StoredObject stored) {
        EventPublisher.publishAndWait(uploads, new ArchiveUploaded(UUID.randomUUID().toString(), event.runId(), event.batchId(),
                Instant.now(), SchemaVersion.CURRENT, event.scope(), event.rowCount(), event.rowsDigest(), store.bucket(), key,
                stored.bytes(), stored.sha256Hex()));
    }

    private void fail(ArchiveShardExported event, String reason, String detail, long start) {
        EventPublisher.publishAndWait(completions, ArchiveBatchFailed.of(event.runId(), event.batchId(), event.scope(),
                PipelineStage.UPLOAD, reason, detail));
        EventLog.handled(LOG, event, "UPLOAD", reason, event.rowCount(), event.fileBytes(), start, detail);
    }
}
