package io.archiver.deleter.domain;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.archiver.deleter.domain.RemovalOutcome.AlreadyFailed;
import io.archiver.deleter.domain.RemovalOutcome.BatchEnd;
import io.archiver.deleter.domain.RemovalOutcome.AlreadyRemoved;
import io.archiver.deleter.domain.RemovalOutcome.Refused;
import io.archiver.deleter.domain.RemovalOutcome.Rejected;
import io.archiver.deleter.domain.RemovalOutcome.Removed;
import io.archiver.deleter.persistence.BatchDeletion;
import io.archiver.deleter.persistence.BatchDeletion.ArchivedObject;
import io.archiver.deleter.persistence.BatchDeletion.Chunk;
import io.archiver.deleter.storage.ArchivedShard;
import io.archiver.deleter.storage.ExceptionsSidecar;
import io.archiver.events.ArchiveBatchDeleted;
import io.archiver.events.ArchiveMode;
import io.archiver.events.ArchiveObjectKey;
import io.archiver.events.ArchiveUploaded;
import io.archiver.events.BatchScope;
import io.archiver.events.KeyColumns;
import io.archiver.events.KeyValue;
import io.archiver.events.RowCounts;
import io.archiver.events.RowException;
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
 * of that id range key by key, removes exactly the keys whose rows match (in MOVE mode after copying them into the archive
 * table) and records the other keys with their reason (changed, not in the object, missing) and the progress in the same
 * commit: a changed row keeps only itself (promise 5, docs/live-tables.md). A redelivered or resumed batch goes on after the
 * recorded progress. Every refusal is a {@link RemovalReason}.
 */
@ApplicationScoped
public class BatchRemoval {

    private final PolicyGuard policies;
    private final ObjectStore store;
    private final ArchivedShard shards;
    private final BatchDeletion deletion;
    private final DeleteConfig config;
    private final ExceptionsSidecar sidecars;
    private final HealthThrottle throttle;
    private final AdaptiveChunkSize chunkSize;
    private final HeldRanges held;

    public BatchRemoval(PolicyGuard policies, ObjectStore store, ArchivedShard shards, BatchDeletion deletion, DeleteConfig config,
            HealthThrottle throttle, AdaptiveChunkSize chunkSize, ExceptionsSidecar sidecars, HeldRanges held) {
        this.held = held;
        this.sidecars = sidecars;
        this.throttle = throttle;
        this.chunkSize = chunkSize;
        this.policies = policies;
        this.store = store;
        this.shards = shards;
        this.deletion = deletion;
        this.config = config;
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
        KeyColumns key = deletion.key(policy);
        if (key.isSingleInteger() == event.scope().byKeys()) {
            // an id range of a key that is not one integer column (or the reverse) would compare the wrong values: nothing is read
            return new Rejected(RemovalReason.UNKNOWN_BATCH, "batch " + event.batchId() + " has range " + event.scope().rangeText()
                    + " but the key of " + policy.table() + " is " + key.names() + (key.isSingleInteger() ? ", one integer column"
                            : ": its batches are ranges of the whole key"));
        }
        Set<String> ownKeys = Set.of(ArchiveObjectKey.of(policy.keyPrefix(), event.runId(), event.scope(), key, ShardCompression.NONE),
                ArchiveObjectKey.of(policy.keyPrefix(), event.runId(), event.scope(), key, ShardCompression.GZIP));
        if (!ownKeys.contains(event.objectKey())) {
            return new Rejected(RemovalReason.FOREIGN_KEY, "object " + event.objectKey() + " is not the key of batch " + event.batchId());
        }
        RemovalOutcome known = ledgerSays(event, deletion.find(event.batchId()));
        if (known != null) {
            return known;
        }
        Optional<Refused> heldInSource = held.refusal(event.scope());
        if (heldInSource.isPresent()) {
            return heldInSource.get();
        }
        if (event.scope().byKeys()) {
            return removeKeys(policy, key, event, where);
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
        Refused differs = differsFromAnnounced(contents.object(), contents.rows(), contents.rowsDigest(), event, where);
        if (differs != null) {
            return differs;
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
                new ArchivedObject(event.objectKey(), contents.object().bytes(), archived.size(), contents.rowsDigest(),
                        contents.object().sha256Hex()));
    }

    /** The object as read back against what the upload announced (promise 6): null when they agree, else why not. */
    private static Refused differsFromAnnounced(io.archiver.objectstore.StoredObject object, long rows, String rowsDigest, ArchiveUploaded event,
            String where) {
        if (object.bytes() != event.objectBytes() || !object.sha256Hex().equals(event.objectSha256())) {
            return new Refused(RemovalReason.OBJECT_MISMATCH, where + " holds " + object.bytes() + " bytes with SHA-256 " + object.sha256Hex()
                    + ", announced " + event.objectBytes() + " bytes with SHA-256 " + event.objectSha256());
        }
        if (rows != event.rowCount() || !rowsDigest.equals(event.rowsDigest())) {
            return new Refused(RemovalReason.OBJECT_ROWS_MISMATCH, "the object holds " + rows + " rows with digest " + rowsDigest
                    + ", the export announced " + event.rowCount() + " with digest " + event.rowsDigest());
        }
        return null;
    }

    /**
     * {@link #remove} for a batch of whole keys (docs/keys.md): the object read back and checked as for an id range, each row's
     * key read from the key columns; the chunks are the object's rows in their (the table's key) order, each compared under lock
     * with the table's rows of its range by whole key, only equal rows removed by their exact key, every statement bounded by the
     * batch's range and cutoff in SQL: an archived key outside the range, or a forged range, never removes a row outside the
     * ledger's range.
     */
    private RemovalOutcome removeKeys(ArchivePolicies.Policy policy, KeyColumns key, ArchiveUploaded event, String where) {
        ArchivedShard.KeyContents contents;
        try {
            contents = shards.readKeys(event.objectKey(), key, event.rowCount());
        } catch (ObjectReadMismatch e) {
            return new Refused(RemovalReason.OBJECT_MISMATCH, e.getMessage());
        } catch (ArchivedShard.Unreadable e) {
            return new Refused(RemovalReason.OBJECT_UNREADABLE, where + " cannot be parsed: " + e.getMessage());
        }
        if (contents == null) {
            return new Refused(RemovalReason.OBJECT_MISSING, where + " does not exist");
        }
        Refused differs = differsFromAnnounced(contents.object(), contents.rows(), contents.rowsDigest(), event, where);
        if (differs != null) {
            return differs;
        }
        KeyFingerprints archived = contents.fingerprints();
        ArchivedObject object = new ArchivedObject(event.objectKey(), contents.object().bytes(), archived.size(), contents.rowsDigest(),
                contents.object().sha256Hex());
        BatchScope scope = event.scope();
        try (BatchDeletion.Session session = deletion.open(policy, scope, key)) {
            for (int transaction = 1;; transaction++) {
                Optional<String> unhealthy = throttle.awaitHealthy(event.runId(), event.batchId());
                if (unhealthy.isPresent()) {
                    return new Refused(RemovalReason.DATABASE_UNHEALTHY, unhealthy.get() + "; the batch's remaining rows stay and a later run"
                            + " archives them");
                }
                long began = System.nanoTime();
                try (Chunk chunk = session.begin(event.batchId(), event.runId())) {
                    if (chunk.removedButUnmarked()) {
                        return markOnly(chunk, event, object);
                    }
                    RemovalOutcome ended = ledgerSays(event, chunk.ledger());
                    if (ended instanceof AlreadyRemoved done && transaction > 1) {
                        return new Removed(done.end());
                    }
                    if (ended != null) {
                        return ended;
                    }
                    LedgerBatch ledger = chunk.ledger().orElseThrow();
                    KeyValue after = ledger.removedThroughKey() == null ? null : KeyValue.parse(ledger.removedThroughKey(),
                            "archive_batch.removed_through_key");
                    int from = archived.firstAfter(after);
                    int to = Math.min(archived.size(), from + chunkSize.rows());
                    boolean last = to == archived.size();
                    // the last chunk reaches the batch's last key, so that rows inserted after the object's last row are met too
                    KeyValue through = last ? scope.last() : archived.key(to - 1);
                    KeyFingerprints current = chunk.lockKeys(after, through, to - from);
                    RowCounts before = BatchDeletion.counts(ledger);
                    KeyFingerprints.Comparison compared = archived.compare(from, to, current, before.keptNotInObject());
                    chunk.markArchival(event.runId(), transaction);
                    List<KeyValue> matching = compared.matching();
                    if (!matching.isEmpty()) {
                        if (scope.mode() == ArchiveMode.MOVE) {
                            int copied = chunk.copyKeysToArchive(matching);
                            if (copied != matching.size()) {
                                return new Refused(RemovalReason.MOVE_COUNT_MISMATCH, "copied " + copied + " rows of " + matching.size()
                                        + " keys through " + through + " into " + policy.archiveTable() + "; rolled back");
                            }
                        }
                        int deleted = chunk.deleteKeys(matching);
                        if (deleted != matching.size()) {
                            return new Refused(RemovalReason.DELETE_COUNT_MISMATCH, "the delete of " + matching.size() + " keys through "
                                    + through + " matched " + deleted + " rows; rolled back");
                        }
                    }
                    chunk.recordExceptions(compared.exceptions(), event.runId(), object.key());
                    RowCounts counts = before.plus(compared.counts());
                    if (last) {
                        boolean staleVersions = counts.keptChanged() + counts.missing() > 0;
                        String sidecar = staleVersions ? ExceptionsSidecar.keyOf(object.key()) : null;
                        chunk.recordDeleted(counts, object, sidecar, event.runId(), scope);
                        chunk.commit();
                        chunkSize.observed(to - from, Duration.ofNanos(System.nanoTime() - began));
                        return new Removed(ended(event, deletion.find(event.batchId()).orElseThrow()));
                    }
                    chunk.recordProgress(counts, through);
                    chunk.commit();
                    chunkSize.observed(to - from, Duration.ofNanos(System.nanoTime() - began));
                }
            }
        }
    }

    /** Another source's batch whose last chunk committed there before the deleter stopped: only the control ledger's mark is left. */
    private Removed markOnly(Chunk chunk, ArchiveUploaded event, ArchivedObject object) {
        RowCounts counts = BatchDeletion.counts(chunk.ledger().orElseThrow());
        chunk.recordDeleted(counts, object, counts.keptChanged() + counts.missing() > 0 ? ExceptionsSidecar.keyOf(object.key()) : null,
                event.runId(), event.scope());
        chunk.commit();
        return new Removed(ended(event, deletion.find(event.batchId()).orElseThrow()));
    }

    /** Where the ledger has the batch ended, or rejects the event (a batch it does not know); null while the batch is open. */
    private RemovalOutcome ledgerSays(ArchiveUploaded event, Optional<LedgerBatch> found) {
        BatchScope scope = event.scope();
        if (found.isEmpty()) {
            return new Rejected(RemovalReason.UNKNOWN_BATCH, "batch " + event.batchId() + " is not in the ledger");
        }
        LedgerBatch batch = found.get();
        if (!batch.hasRange(scope.firstId(), scope.lastId(), scope.firstKeyText(), scope.lastKeyText())
                || batch.cutoffEpochMs() != scope.cutoffEpochMs()) {
            return new Rejected(RemovalReason.UNKNOWN_BATCH, "batch " + event.batchId() + " has range " + batch.rangeText()
                    + " and cutoff " + batch.cutoffEpochMs() + " in the ledger");
        }
        Long through = batch.removedThroughId();
        if (through != null && (through < scope.firstId() || through >= scope.lastId())) {
            throw new IllegalStateException("batch " + event.batchId() + " records removal through id " + through + ", outside its range "
                    + scope.firstId() + ".." + scope.lastId());
        }
        if (batch.deleted()) {
            return new AlreadyRemoved(ended(event, batch));
        }
        if (batch.failed()) {
            return new AlreadyFailed();
        }
        return null;
    }

    /**
     * How a DELETED batch ended, from the ledger; its exceptions sidecar is written here if it is not there yet (the deleter
     * may have stopped between the last commit and the write: the next delivery writes the same bytes).
     */
    private BatchEnd ended(ArchiveUploaded event, LedgerBatch batch) {
        if (batch.exceptionsKey() != null) {
            sidecars.writeOnce(batch.exceptionsKey(), ExceptionsSidecar.bytes(event.runId(), event.batchId(), event.objectKey(),
                    String.join(",", policies.check(event.scope()).key()), deletion.exceptions(event.batchId(), true, Integer.MAX_VALUE)));
        }
        RowCounts counts = BatchDeletion.counts(batch);
        List<RowException> first = counts.kept() + counts.missing() == 0 ? List.of()
                : deletion.exceptions(event.batchId(), false, ArchiveBatchDeleted.MAX_EXCEPTIONS);
        return new BatchEnd(counts, first, batch.exceptionsKey());
    }

    /**
     * Removes the batch chunk by chunk, each chunk one transaction: lock the ledger's batch row and the chunk's eligible
     * rows, compare them key by key with the archived rows of the chunk ({@link RowFingerprints#compare}), remove exactly the
     * matching keys (in MOVE mode after copying them), record the other keys with their reasons, and the progress, in the
     * same commit. The batch ends DELETED once the last chunk is through, whatever rows stayed.
     */
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
                try (Chunk chunk = session.begin(event.batchId(), event.runId())) {
                    if (chunk.removedButUnmarked()) {
                        return markOnly(chunk, event, object);
                    }
                    RemovalOutcome ended = ledgerSays(event, chunk.ledger());
                    if (ended instanceof AlreadyRemoved done && transaction > 1) {
                        return new Removed(done.end()); // another delivery finished what this one began
                    }
                    if (ended != null) {
                        return ended;
                    }
                    LedgerBatch ledger = chunk.ledger().orElseThrow();
                    ChunkRange range = ChunkRange.next(ledger, scope, archived, chunkSize.rows());
                    RowFingerprints current = chunk.lockRows(range.after(), range.through(), range.size());
                    ChunkComparison compared = archived.compare(range.from(), range.to(), current);
                    chunk.markArchival(event.runId(), transaction);
                    RemovalOutcome refused = removeMatching(chunk, policy, scope, range, compared.matchingIds());
                    if (refused != null) {
                        return refused;
                    }
                    chunk.recordExceptions(compared.exceptions(), event.runId(), object.key());
                    RowCounts counts = BatchDeletion.counts(ledger).plus(compared.counts());
                    if (range.last()) {
                        boolean staleVersions = counts.keptChanged() + counts.missing() > 0;
                        String sidecar = staleVersions ? ExceptionsSidecar.keyOf(object.key()) : null;
                        chunk.recordDeleted(counts, object, sidecar, event.runId(), scope);
                        chunk.commit();
                        chunkSize.observed(range.size(), Duration.ofNanos(System.nanoTime() - began));
                        return new Removed(ended(event, deletion.find(event.batchId()).orElseThrow()));
                    }
                    chunk.recordProgress(counts, range.through());
                    chunk.commit();
                    chunkSize.observed(range.size(), Duration.ofNanos(System.nanoTime() - began));
                }
            }
        }
    }

    /** Copies (MOVE mode) and deletes exactly the matching keys of the chunk, checking each count; a refusal when one is off. */
    private static RemovalOutcome removeMatching(Chunk chunk, ArchivePolicies.Policy policy, BatchScope scope, ChunkRange range,
            long[] keys) {
        if (keys.length == 0) {
            return null;
        }
        if (scope.mode() == ArchiveMode.MOVE) {
            int copied = chunk.copyToArchive(keys, range.after(), range.through());
            if (copied != keys.length) {
                return new Refused(RemovalReason.MOVE_COUNT_MISMATCH, "copied " + copied + " rows of " + (range.after() + 1) + ".."
                        + range.through() + " into " + policy.archiveTable() + ", expected " + keys.length + "; rolled back");
            }
        }
        int deleted = chunk.delete(keys, range.after(), range.through());
        if (deleted != keys.length) {
            return new Refused(RemovalReason.DELETE_COUNT_MISMATCH, "the delete of " + keys.length + " keys of " + (range.after() + 1) + ".."
                    + range.through() + " matched " + deleted + " rows; rolled back");
        }
        return null;
    }

    /**
     * The next chunk: the ids {@code after+1 .. through} of the table, facing the archived rows {@code from .. to-1}; the
     * last chunk reaches the batch's last id, so that rows inserted after the object's last row are met too.
     */
    record ChunkRange(long after, long through, int from, int to, boolean last) {

        static ChunkRange next(LedgerBatch ledger, BatchScope scope, RowFingerprints archived, int chunkRows) {
            long after = ledger.removedThroughId() != null ? ledger.removedThroughId() : scope.firstId() - 1;
            int from = archived.firstAfter(after);
            int to = Math.min(archived.size(), from + chunkRows);
            boolean last = to == archived.size();
            return new ChunkRange(after, last ? scope.lastId() : archived.id(to - 1), from, to, last);
        }

        int size() {
            return to - from;
        }
    }
}
