package io.archiver.scanner.storage;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.archiver.events.ArchiveRunCompleted;
import io.archiver.manifest.ArchiveManifest;
import io.archiver.manifest.ManifestCodec;
import io.archiver.manifest.ManifestKeys;
import io.archiver.objectstore.ArchiveReader;
import io.archiver.objectstore.ObjectStore;
import io.archiver.scanner.persistence.RunLedger;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Writes a run's manifest beside its objects when the run closes: the scanner closes runs, so only it knows when the set
 * of objects is final. It merges the manifests the uploader put beside each object (the exporter described the rows it
 * read; nothing is taken from the database) into {@code <prefix><table>_archive_<yyyyMMdd>_<policy>_<runId>.manifest.json}.
 * The same objects give the same bytes, so a replayed close finds the manifest written and names it again; the key is
 * never overwritten ({@code If-None-Match: *}). Blocking: call it on a worker thread.
 */
@ApplicationScoped
public class RunManifestWriter {

    private static final Logger LOG = Logger.getLogger(RunManifestWriter.class);

    private final ObjectStore store;
    private final ArchiveReader reader;

    public RunManifestWriter(ObjectStore store) {
        this.store = store;
        this.reader = new ArchiveReader(store);
    }

    /** The run manifest's key, written now or before; empty when none of the run's objects has a manifest of its own. */
    public Optional<String> write(ArchiveRunCompleted completion, RunLedger.RunObjects objects) throws IOException {
        List<ArchiveManifest> described = new ArrayList<>();
        List<String> undescribed = new ArrayList<>();
        for (String key : objects.objectKeys()) {
            Optional<ArchiveManifest> manifest = reader.manifestOf(key);
            if (manifest.isPresent()) {
                described.add(manifest.get());
            } else {
                undescribed.add(key);
            }
        }
        if (!undescribed.isEmpty()) {
            // objects uploaded before object manifests existed: the run manifest lists the others, the log says which
            LOG.warnf("run %s: %d objects have no manifest of their own and are not in the run manifest: %s", completion.runId(),
                    undescribed.size(), undescribed);
        }
        if (described.isEmpty()) {
            return Optional.empty();
        }
        String first = objects.objectKeys().get(0);
        String prefix = first.substring(0, first.lastIndexOf('/') + 1);
        String key = ManifestKeys.ofRun(prefix, completion.table(), objects.runDate(), completion.policy(), completion.runId());
        byte[] json = ManifestCodec.encode(ArchiveManifest.merge(described));
        try {
            store.client().putObject(b -> b.bucket(store.bucket()).key(key).ifNoneMatch("*").contentType("application/json")
                    .checksumAlgorithm(software.amazon.awssdk.services.s3.model.ChecksumAlgorithm.SHA256),
                    RequestBody.fromBytes(json));
        } catch (S3Exception e) {
            if (e.statusCode() != 412) {
                throw e;
            }
            byte[] existing = store.client().getObjectAsBytes(b -> b.bucket(store.bucket()).key(key)).asByteArray();
            if (!Arrays.equals(existing, json)) {
                // only a manifest of this run's own objects gets this key; what differs is left as it is and said
                LOG.errorf("s3://%s/%s holds another manifest of run %s than its objects give now; the key is never overwritten",
                        store.bucket(), key, completion.runId());
            }
        }
        return Optional.of(key);
    }
}
