package io.archiver.exporter.domain;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.archiver.events.ArchiveBatchReady;
import io.archiver.events.ArchiveObjectKey;
import io.archiver.events.KeyColumns;
import io.archiver.events.BatchScope;
import io.archiver.exporter.domain.ExportOutcome.AlreadyDeleting;
import io.archiver.exporter.domain.ExportOutcome.AlreadyEnded;
import io.archiver.exporter.domain.ExportOutcome.Exported;
import io.archiver.exporter.domain.ExportOutcome.Rejected;
import io.archiver.exporter.persistence.BatchLedgerView;
import io.archiver.exporter.persistence.RangeReader;
import io.archiver.exporter.storage.ShardWriter;
import io.archiver.exporter.storage.StagedShard;
import io.archiver.ledger.LedgerBatch;
import io.archiver.manifest.ArchiveManifest;
import io.archiver.manifest.ManifestKeys;
import io.archiver.objectstore.ObjectManifest;
import io.archiver.objectstore.ObjectStore;
import io.archiver.objectstore.ObjectWriter;
import io.archiver.rows.CanonicalEncoding;
import io.archiver.support.policy.ArchivePolicies;
import io.archiver.support.policy.PolicyGuard;
import io.archiver.table.ColumnForms;
import io.quarkus.runtime.StartupEvent;

/**
 * Decides whether a batch is exported, and exports it: the policy must allow the table and cutoff ({@link PolicyGuard},
 * whose violations are thrown) and the ledger must know the batch with this run, range and cutoff. A batch the ledger
 * shows ended, or whose rows the deleter has begun removing, is not exported again (seen before, and again in the
 * export's own snapshot). Otherwise the batch's eligible rows are streamed into a shard in the exporter's own scratch
 * directory ({@code archiver.export.scratch-dir}), its rows digest and SHA-256 computed on the way, and the shard is put in
 * S3 under its deterministic key ({@link ObjectWriter}: never over an object, with its SHA-256 for the server to validate),
 * then the object's manifest beside it ({@link ObjectDescription}: columns and SQL types, key range, date range). A key
 * already taken is not an error here. Where its manifest describes other bytes at that key, the object is an earlier export
 * of this same batch (the key is the run's and the range's) from before rows changed: a redelivery after a crash, or after a
 * rebalance handed the batch to another instance. The exporter then announces that object's figures, not its own shard's,
 * so that the batch goes on with the object already there (never overwritten) and the deleter keeps the changed rows alone
 * (promise 5), instead of a conflict that would keep every row of the batch. Otherwise (the same bytes: a replay; or no
 * manifest) it announces its own figures and the uploader's verification decides.
 */
@ApplicationScoped
public class BatchExport {

    private final PolicyGuard policies;
    private final BatchLedgerView ledger;
    private final RangeReader reader;
    private final ObjectWriter objects;
    private final ObjectStore store;
    private final ExportConfig config;

    public BatchExport(PolicyGuard policies, BatchLedgerView ledger, RangeReader reader, ObjectWriter objects, ObjectStore store,
            ExportConfig config) {
        this.policies = policies;
        this.ledger = ledger;
        this.reader = reader;
        this.objects = objects;
        this.store = store;
        this.config = config;
    }

    /** Creates the scratch directory at start, so that a wrong path is reported before the first batch. */
    void createScratchDir(@Observes StartupEvent start) throws IOException {
        Files.createDirectories(config.scratchDir());
    }

    public ExportOutcome export(ArchiveBatchReady event) throws IOException {
        ArchivePolicies.Policy policy = policies.check(event.scope());
        BatchScope scope = event.scope();
        Optional<LedgerBatch> found = ledger.find(event.batchId());
        if (found.isEmpty()) {
            return new Rejected(ExportReason.UNKNOWN_BATCH, "batch " + event.batchId() + " is not in the ledger");
        }
        LedgerBatch known = found.get();
        if (!known.runId().equals(event.runId()) || !known.hasRange(scope.firstId(), scope.lastId(), scope.firstKeyText(), scope.lastKeyText())
                || known.cutoffEpochMs() != scope.cutoffEpochMs()) {
            return new Rejected(ExportReason.BATCH_MISMATCH, "batch " + event.batchId() + " has range " + known.rangeText()
                    + " in the ledger, not " + scope.rangeText());
        }
        ExportOutcome ended = notToExport(known);
        if (ended != null) {
            return ended;
        }
        KeyColumns key = reader.key(policy);
        if (key.isSingleInteger() == scope.byKeys()) {
            // an id range of a key that is not one integer column (or the reverse) would compare the wrong values: nothing is read
            return new Rejected(ExportReason.BATCH_MISMATCH, "batch " + event.batchId() + " has range " + scope.rangeText() + " but the key of "
                    + policy.table() + " is " + key.names() + (key.isSingleInteger() ? ", one integer column: its ranges are ids"
                            : ": its ranges are of the whole key"));
        }
        Path target = config.scratchDir().resolve(ArchiveObjectKey.fileName(event.runId(), scope, key, config.compression()));
        return write(policy, key, event, target);
    }

    /** Removes the shard's scratch files once its announcement is acknowledged (a redelivery exports again). */
    public void release(Exported exported) throws IOException {
        exported.shard().remove();
    }

    /** Where the ledger shows the batch past exporting: ended, or its rows being removed; null while it may be exported. */
    private static ExportOutcome notToExport(LedgerBatch batch) {
        if (batch.ended()) {
            return new AlreadyEnded(batch.state());
        }
        if (batch.deletionStarted()) {
            return new AlreadyDeleting("batch is " + batch.state() + ", the deleter removed rows through id " + batch.removedThroughId()
                    + " (" + batch.rowsRemoved() + " rows): the uploaded object stands, nothing is exported again");
        }
        return null;
    }

    private ExportOutcome write(ArchivePolicies.Policy policy, KeyColumns key, ArchiveBatchReady event, Path target) throws IOException {
        AtomicReference<ExportOutcome> inSnapshot = new AtomicReference<>();
        ObjectDescription description = new ObjectDescription(policy, event.runId(), event.scope(),
                policy.keyPrefix() + target.getFileName(), config.compression());
        try (ShardWriter writer = new ShardWriter(target, config.compression(), config.gzipLevel())) {
            boolean read = reader.read(policy, key, event.batchId(), event.scope(), snapshot -> {
                // a redelivered batch whose rows the deleter removed since the check above, seen where its rows are read
                snapshot.map(BatchExport::notToExport).ifPresent(inSnapshot::set);
                return inSnapshot.get() == null;
            }, new RangeReader.RowSink() {
                @Override
                public void columns(List<String> names) {
                    description.header(names);
                    try {
                        writer.header(names);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }

                @Override
                public void row(CanonicalEncoding row) {
                    description.row(row);
                    writer.row(row);
                }

                @Override
                public void forms(ColumnForms forms) {
                    description.forms(forms);
                }
            });
            if (!read) {
                return inSnapshot.get();
            }
            StagedShard shard = writer.commit(() -> {
                List<String> emptyHeader = reader.columns(policy);
                description.header(emptyHeader);
                return emptyHeader;
            });
            try {
                return put(shard, policy.keyPrefix() + target.getFileName(), description.manifest().apply(shard));
            } catch (IOException | RuntimeException e) {
                shard.remove(); // a retry writes the shard again
                throw e;
            }
        }
    }

    /** Puts the shard, then its manifest beside it: the uploader announces no object without its manifest. */
    private Exported put(StagedShard shard, String objectKey, byte[] manifest) throws IOException {
        boolean keyTaken = objects.put(shard.file(), objectKey, shard.fileBytes(), shard.fileSha256()) == ObjectWriter.Put.KEY_TAKEN;
        if (keyTaken) {
            Optional<StagedShard> earlier = earlierExport(shard, objectKey);
            if (earlier.isPresent()) {
                return new Exported(earlier.get(), objectKey, true);
            }
        }
        // a manifest key taken is left to the uploader as well: it holds the manifest to the object's SHA-256
        objects.putManifest(ManifestKeys.ofObject(objectKey), manifest);
        return new Exported(shard, objectKey, keyTaken);
    }

    /**
     * The figures of the earlier export of this batch at {@code objectKey}, as its manifest gives them, where they are not
     * this shard's bytes; the scratch file stays this shard's (removed once announced). Empty where the key has no readable
     * manifest of that object (an export cut between the object and its manifest): the uploader then finds the conflict.
     */
    private Optional<StagedShard> earlierExport(StagedShard shard, String objectKey) {
        if (!(store.manifestOf(objectKey) instanceof ObjectManifest.Found found)) {
            return Optional.empty(); // none, or not a manifest: the uploader refuses the key
        }
        return found.entry(objectKey).filter(o -> o.rowsDigest() != null && !o.sha256().equals(shard.fileSha256()))
                .map(o -> new StagedShard(shard.file(), o.rows(), o.rowsDigest(), o.bytes(), o.sha256()));
    }
}
