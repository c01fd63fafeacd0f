package io.archiver.deleter.domain;

import java.time.Duration;
import java.util.Optional;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.archiver.deleter.domain.RemovalOutcome.AlreadyFailed;
import io.archiver.deleter.domain.RemovalOutcome.AlreadyRemoved;
import io.archiver.deleter.domain.RemovalOutcome.Refused;
import io.archiver.deleter.domain.RemovalOutcome.Rejected;
import io.archiver.deleter.domain.RemovalOutcome.Removed;
import io.archiver.deleter.persistence.BatchDeletion;
import io.archiver.deleter.persistence.BatchDeletion.ArchivedObject;
import io.archiver.deleter.persistence.BatchDeletion.Chunk;
import io.archiver.deleter.storage.ArchivedShard;
import io.archiver.events.ArchiveMode;
import io.archiver.events.ArchiveObjectKey;
import io.archiver.events.ArchiveUploaded;
import io.archiver.events.BatchScope;
import io.archiver.events.ShardCompression;
import io.archiver.ledger.LedgerBatch;
import io.archiver.objectstore.ObjectReadMismatch;
import io.archiver.objectstore.ObjectStore;
import io.archiver.support.policy.ArchivePolicies;
import io.archiver.support.policy.PolicyGuard;
import io.quarkus.runtime.StartupEvent;

/**
 * Decides whether an uploaded batch may leave the table, and removes it if so (promises 1, 2 and 5). Trusts nothing the
 * event says: the policy must allow the table and cutoff ({@link PolicyGuard}, whose violations are thrown), the bucket
 * and key must be the batch's own, the ledger must know the batch with this range; the object must be in S3 with the
 * announced size and SHA-256 (read back) and hold exactly the announced rows, all within the batch's range. Then the
 * batch is removed in chunks ({@link AdaptiveChunkSize}, at most {@code archiver.delete.chunk-rows} rows), one short transaction
 * each, begun only while the database is healthy ({@link HealthThrottle}): each locks
 * the ledger's batch row and the chunk's eligible rows, compares them id by id and value by value with the archived rows
 * of that id range, and only on a match removes them (in MOVE mode after copying them into the archive table) and records
 * the progress in the same commit. A redelivered or resumed batch goes on after the recorded progress; a chunk that no
 * longer matches rolls back, and its rows and every row after it stay. Every refusal is a {@link RemovalReason}.
 */
@ApplicationScoped
public class BatchRemoval {

    private final PolicyGuard policies;
    private final ObjectStore store;
    private final ArchivedShard shards;
    private final BatchDeletion deletion;
    private final DeleteConfig config;
    private final HealthThrottle throttle;
    private final AdaptiveChunkSize chunkSize;

    public BatchRemoval(PolicyGuard policies, ObjectStore store, ArchivedShard shards, BatchDeletion deletion, DeleteConfig config,
            HealthThrottle throttle, AdaptiveChunkSize chunkSize) {
        this.policies = policies;
        this.store = store;
        this.shards = shards;
        this.deletion = deletion;
        this.config = config;
        this.throttle = throttle;
        this.chunkSize = chunkSize;
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

    public RemovalOutcome remove(ArchiveUploaded event) {
        // the policy as the control database holds it now, not as last refreshed: a policy changed a moment ago binds this batch
        ArchivePolicies.Policy policy = policies.checkFresh(event.scope());
        String where = "s3://" + store.bucket() + "/" + event.objectKey();
        if (!store.bucket().equals(event.bucket())) {
            return new Rejected(RemovalReason.FOREIGN_BUCKET, "bucket " + event.bucket() + " is not the archive bucket " + store.bucket());
        }
        Set<String> ownKeys = Set.of(ArchiveObjectKey.of(store.prefix(), event.runId(), event.scope(), ShardCompression.NONE),
                ArchiveObjectKey.of(store.prefix(), event.runId(), event.scope(), ShardCompression.GZIP));
        if (!ownKeys.contains(event.objectKey())) {
            return new Rejected(RemovalReason.FOREIGN_KEY, "object " + event.objectKey() + " is not the key of batch " + event.batchId());
        }
        RemovalOutcome known = ledgerSays(event, deletion.find(event.batchId()));
        if (known != null) {
            return known;
        }
        ArchivedShard.Contents contents;
        try {
            contents = shards.read(event.objectKey(), policy.idColumn(), event.rowCount());
        } catch (ObjectReadMismatch e) {
            return new Refused(RemovalReason.OBJECT_MISMATCH, e.getMessage());
        } catch (ArchivedShard.Unreadable e) {
            return new Refused(RemovalReason.OBJECT_UNREADABLE, where + " cannot be parsed: " + e.getMessage());
        }
        if (contents == null) {
            return new Refused(RemovalReason.OBJECT_MISSING, where + " does not exist");
        }
        if (contents.object().bytes() != event.objectBytes() || !contents.object().sha256Hex().equals(event.objectSha256())) {
            return new Refused(RemovalReason.OBJECT_MISMATCH, where + " holds " + contents.object().bytes() + " bytes with SHA-256 "
                    + contents.object().sha256Hex() + ", announced " + event.objectBytes() + " bytes with SHA-256 " + event.objectSha256());
        }
        if (contents.rows() != event.rowCount() || !contents.rowsDigest().equals(event.rowsDigest())) {
            return new Refused(RemovalReason.OBJECT_ROWS_MISMATCH, "the object holds " + contents.rows() + " rows with digest "
                    + contents.rowsDigest() + ", the export announced " + event.rowCount() + " with digest " + event.rowsDigest());
        }
        RowFingerprints archived = contents.fingerprints();
        BatchScope scope = event.scope();
        if (archived.size() > 0 && (archived.id(0) < scope.firstId() || archived.id(archived.size() - 1) > scope.lastId())) {
            // every chunk's range comes from the archive's ids: none may reach outside the batch (promise 2)
            return new Refused(RemovalReason.OBJECT_OUT_OF_RANGE, "the archive holds ids " + archived.id(0) + ".."
                    + archived.id(archived.size() - 1) + ", outside the batch's range " + scope.firstId() + ".." + scope.lastId()
                    + "; nothing removed");
        }
        return removeInChunks(policy, event, archived,
                new ArchivedObject(event.objectKey(), contents.object().bytes(), archived.size(), contents.rowsDigest()));
    }

    /** Where the ledger has the batch ended, or rejects the event (a batch it does not know); null while the batch is open. */
    private static RemovalOutcome ledgerSays(ArchiveUploaded event, Optional<LedgerBatch> found) {
        BatchScope scope = event.scope();
        if (found.isEmpty()) {
            return new Rejected(RemovalReason.UNKNOWN_BATCH, "batch " + event.batchId() + " is not in the ledger");
        }
        LedgerBatch batch = found.get();
        if (batch.firstId() != scope.firstId() || batch.lastId() != scope.lastId() || batch.cutoffEpochMs() != scope.cutoffEpochMs()) {
            return new Rejected(RemovalReason.UNKNOWN_BATCH, "batch " + event.batchId() + " has range " + batch.firstId() + ".."
                    + batch.lastId() + " and cutoff " + batch.cutoffEpochMs() + " in the ledger");
        }
        Long through = batch.removedThroughId();
        if (through != null && (through < scope.firstId() || through >= scope.lastId())) {
            throw new IllegalStateException("batch " + event.batchId() + " records removal through id " + through + ", outside its range "
                    + scope.firstId() + ".." + scope.lastId());
        }
        if (batch.deleted()) {
            return new AlreadyRemoved(batch.rowsRemoved());
        }
        if (batch.failed()) {
            return new AlreadyFailed();
        }
        return null;
    }

    private RemovalOutcome removeInChunks(ArchivePolicies.Policy policy, ArchiveUploaded event, RowFingerprints archived,
            ArchivedObject object) {
        BatchScope scope = event.scope();
        try (BatchDeletion.Session session = deletion.open(policy, scope)) {
            for (int transaction = 1;; transaction++) {
                Optional<String> unhealthy = throttle.awaitHealthy(event.runId(), event.batchId());
                if (unhealthy.isPresent()) {
                    return new Refused(RemovalReason.DATABASE_UNHEALTHY, unhealthy.get() + "; the batch's remaining rows stay and a later run"
                            + " archives them");
                }
                long began = System.nanoTime();
                try (Chunk chunk = session.begin(event.batchId())) {
                    RemovalOutcome ended = ledgerSays(event, chunk.ledger());
                    if (ended instanceof AlreadyRemoved done && transaction > 1) {
                        return new Removed(done.rows()); // another delivery finished what this one began
                    }
                    if (ended != null) {
                        return ended;
                    }
                    LedgerBatch ledger = chunk.ledger().orElseThrow();
                    long after = ledger.removedThroughId() != null ? ledger.removedThroughId() : scope.firstId() - 1;
                    int from = archived.firstAfter(after);
                    int to = Math.min(archived.size(), from + chunkSize.rows());
                    boolean last = to == archived.size();
                    long through = last ? scope.lastId() : archived.id(to - 1);
                    RowFingerprints current = chunk.lockRows(after, through, to - from);
                    if (!archived.sameRows(from, to, current)) {
                        return new Refused(RemovalReason.ROWS_CHANGED_SINCE_EXPORT, "the table now has " + current.size()
                                + " eligible rows in " + (after + 1) + ".." + through + ", the archive " + (to - from) + " ("
                                + archived.firstDifference(from, to, current) + "); the rows are kept from id " + (after + 1)
                                + " on and a later run archives them again" + (ledger.rowsRemoved() > 0 ? "; the " + ledger.rowsRemoved()
                                        + " rows before them, equal to the archive, were removed" : ""));
                    }
                    long rows = current.size();
                    chunk.markArchival(event.runId(), transaction);
                    if (scope.mode() == ArchiveMode.MOVE) {
                        int copied = chunk.copyToArchive(after, through);
                        if (copied != rows) {
                            return new Refused(RemovalReason.MOVE_COUNT_MISMATCH, "copied " + copied + " rows of " + (after + 1) + ".."
                                    + through + " into " + policy.archiveTable() + ", expected " + rows + "; rolled back");
                        }
                    }
                    int deleted = chunk.delete(after, through);
                    if (deleted != rows) {
                        return new Refused(RemovalReason.DELETE_COUNT_MISMATCH, "the delete of " + (after + 1) + ".." + through
                                + " matched " + deleted + " rows, expected " + rows + "; rolled back");
                    }
                    long removed = ledger.rowsRemoved() + rows;
                    if (last) {
                        chunk.recordDeleted(removed, object);
                        chunk.commit();
                        chunkSize.observed(to - from, Duration.ofNanos(System.nanoTime() - began));
                        return new Removed(removed);
                    }
                    chunk.recordProgress(removed, through);
                    chunk.commit();
                    chunkSize.observed(to - from, Duration.ofNanos(System.nanoTime() - began));
                }
            }
        }
    }
}
