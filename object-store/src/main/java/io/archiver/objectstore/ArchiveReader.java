package io.archiver.objectstore;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.zip.GZIPInputStream;

import io.archiver.manifest.ArchiveManifest;
import io.archiver.manifest.ManifestCodec;
import io.archiver.manifest.ManifestKeys;
import io.archiver.rows.CanonicalEncoding;
import io.archiver.rows.ShardCsvReader;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Reads the archive with the bucket alone: no database, no ledger, no Kafka. The manifests say which objects exist, what
 * ranges they cover and how their values are written ({@link ArchiveManifest}); an object is read through its SHA-256 and
 * held to its manifest (bytes, SHA-256, header, rows) while its rows are handed over, so a reader never takes a row from an
 * object that is not the one archived. Shared by archivectl (find, get, verify) and the operator API.
 */
public final class ArchiveReader {

    /** Receives an object's rows: the canonical values of each (NULL as null), in the object's order. */
    public interface RowVisitor {
        void row(List<String> values) throws IOException;
    }

    /** What reading one object found: what S3 returned, and every way it differs from its manifest entry (none: it is intact). */
    public record ObjectCheck(ArchiveManifest.ObjectEntry entry, boolean present, long bytes, String sha256, long rows,
            List<String> mismatches) {
        public boolean intact() {
            return mismatches.isEmpty();
        }
    }

    private final ObjectStore store;

    public ArchiveReader(ObjectStore store) {
        this.store = store;
    }

    /** Keys of the objects' manifests under {@code prefix}, in key order. */
    public List<String> objectManifestKeys(String prefix) {
        return keys(prefix).stream().filter(ManifestKeys::isObjectManifest).toList();
    }

    /** Keys of the runs' manifests under {@code prefix}, in key order. */
    public List<String> runManifestKeys(String prefix) {
        return keys(prefix).stream().filter(ManifestKeys::isRunManifest).toList();
    }

    /** Every key under {@code prefix}, page by page, in key order. */
    public List<String> keys(String prefix) {
        List<String> keys = new ArrayList<>();
        store.client().listObjectsV2Paginator(b -> b.bucket(store.bucket()).prefix(prefix)).contents().stream().map(S3Object::key)
                .forEach(keys::add);
        return keys;
    }

    /** The manifest under {@code key}. */
    public ArchiveManifest manifest(String key) throws IOException {
        byte[] json;
        try {
            json = store.client().getObjectAsBytes(b -> b.bucket(store.bucket()).key(key)).asByteArray();
        } catch (S3Exception e) {
            if (e.statusCode() != 404) {
                throw e;
            }
            throw new IOException("no manifest s3://" + store.bucket() + "/" + key, e);
        }
        try {
            return ManifestCodec.decode(json);
        } catch (IOException e) {
            throw new IOException("s3://" + store.bucket() + "/" + key + " is not an archive manifest: " + e.getMessage(), e);
        }
    }

    /**
     * The manifest beside the object under {@code objectKey}, or empty when there is none ({@link ObjectStore#manifestOf}); an
     * IOException where something else is there.
     */
    public Optional<ArchiveManifest> manifestOf(String objectKey) throws IOException {
        ObjectManifest found = store.manifestOf(objectKey);
        if (found instanceof ObjectManifest.Unreadable unreadable) {
            throw new IOException("s3://" + store.bucket() + "/" + unreadable.manifestKey() + " is not an archive manifest: " + unreadable.problem());
        }
        return found instanceof ObjectManifest.Found manifest ? Optional.of(manifest.manifest()) : Optional.empty();
    }

    /**
     * The entry of the object under {@code key} in the manifest beside it ({@code KEY.manifest.json}): what a download is held
     * to. Empty when there is no manifest there, or it does not describe that key: such an object cannot be verified.
     */
    public Optional<ArchiveManifest.ObjectEntry> entryOf(String key) throws IOException {
        return manifestOf(key).flatMap(m -> m.objects().stream().filter(o -> o.key().equals(key)).findFirst());
    }

    /** The manifest of every object under {@code prefix} (one object each), in key order. */
    public List<ArchiveManifest> objectManifests(String prefix) throws IOException {
        List<ArchiveManifest> manifests = new ArrayList<>();
        for (String key : objectManifestKeys(prefix)) {
            manifests.add(manifest(key));
        }
        return manifests;
    }

    /**
     * Reads {@code entry}'s object whole, handing each row to {@code visitor} (nullable: only checked), and holds it to the
     * entry: size, SHA-256, the header (the manifest's columns) and the row count. Rows reach the visitor before the
     * SHA-256 is known: a caller that must not act on rows of a damaged object collects them and uses them only if the
     * check is intact.
     */
    public ObjectCheck read(ArchiveManifest manifest, ArchiveManifest.ObjectEntry entry, RowVisitor visitor) {
        List<String> mismatches = new ArrayList<>();
        List<String> expectedHeader = manifest.columns().stream().map(ArchiveManifest.Column::name).toList();
        long[] rows = { 0 };
        StoredObject stored;
        try {
            stored = store.read(entry.key(), in -> {
                try {
                    InputStream csv = entry.gzipped() ? new GZIPInputStream(in, 64 * 1024) : in;
                    ShardCsvReader.read(csv, new ShardCsvReader.Rows() {
                        @Override
                        public void header(List<String> names) {
                            if (!names.equals(expectedHeader)) {
                                mismatches.add("header " + names + " is not the manifest's columns " + expectedHeader);
                            }
                        }

                        @Override
                        public void row(long recordNumber, CanonicalEncoding row) throws IOException {
                            rows[0]++;
                            if (visitor != null) {
                                List<String> values = new ArrayList<>(row.size());
                                for (int i = 0; i < row.size(); i++) {
                                    values.add(row.isNull(i) ? null : row.string(i));
                                }
                                visitor.row(values);
                            }
                        }
                    });
                } catch (IOException e) {
                    mismatches.add("not readable as the archive's CSV: " + e.getMessage());
                }
            });
        } catch (S3Exception e) {
            if (e.statusCode() != 404) {
                throw e;
            }
            return new ObjectCheck(entry, false, 0, null, 0, List.of("missing: no object s3://" + store.bucket() + "/" + entry.key()));
        } catch (ObjectReadMismatch e) {
            return new ObjectCheck(entry, true, 0, null, rows[0], List.of(e.getMessage()));
        } catch (UncheckedIOException e) {
            return new ObjectCheck(entry, true, 0, null, rows[0], List.of(String.valueOf(e.getCause())));
        }
        if (stored.bytes() != entry.bytes()) {
            mismatches.add(0, "size " + stored.bytes() + " bytes, the manifest says " + entry.bytes());
        }
        if (!stored.sha256Hex().equals(entry.sha256())) {
            mismatches.add(0, "SHA-256 " + stored.sha256Hex() + ", the manifest says " + entry.sha256());
        }
        if (rows[0] != entry.rows()) {
            mismatches.add("rows " + rows[0] + ", the manifest says " + entry.rows());
        }
        return new ObjectCheck(entry, true, stored.bytes(), stored.sha256Hex(), rows[0], List.copyOf(mismatches));
    }

    /**
     * Downloads {@code entry}'s object to {@code target}, through its SHA-256: written to a temporary file beside it and
     * moved into place only when size and SHA-256 are the manifest's; otherwise nothing is left and the check says why.
     */
    public ObjectCheck download(ArchiveManifest.ObjectEntry entry, java.nio.file.Path target) throws IOException {
        java.nio.file.Path dir = target.toAbsolutePath().getParent();
        java.nio.file.Path temp = java.nio.file.Files.createTempFile(dir, "." + target.getFileName(), ".part");
        try {
            StoredObject stored;
            try {
                stored = store.read(entry.key(), in -> {
                    try (java.io.OutputStream out = java.nio.file.Files.newOutputStream(temp)) {
                        in.transferTo(out);
                    }
                });
            } catch (S3Exception e) {
                if (e.statusCode() != 404) {
                    throw e;
                }
                return new ObjectCheck(entry, false, 0, null, 0, List.of("missing: no object s3://" + store.bucket() + "/" + entry.key()));
            } catch (ObjectReadMismatch e) {
                return new ObjectCheck(entry, true, 0, null, 0, List.of(e.getMessage()));
            }
            List<String> mismatches = new ArrayList<>();
            if (!stored.sha256Hex().equals(entry.sha256())) {
                mismatches.add("SHA-256 " + stored.sha256Hex() + ", the manifest says " + entry.sha256());
            }
            if (stored.bytes() != entry.bytes()) {
                mismatches.add("size " + stored.bytes() + " bytes, the manifest says " + entry.bytes());
            }
            if (mismatches.isEmpty()) {
                java.nio.file.Files.move(temp, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            }
            return new ObjectCheck(entry, true, stored.bytes(), stored.sha256Hex(), entry.rows(), List.copyOf(mismatches));
        } finally {
            java.nio.file.Files.deleteIfExists(temp);
        }
    }
}
