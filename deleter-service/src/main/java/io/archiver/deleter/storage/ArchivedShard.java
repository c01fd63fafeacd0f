package io.archiver.deleter.storage;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

import jakarta.enterprise.context.ApplicationScoped;

import io.archiver.deleter.domain.KeyFingerprints;
import io.archiver.deleter.domain.RowFingerprints;
import io.archiver.events.KeyColumns;
import io.archiver.events.KeyValue;
import io.archiver.objectstore.ObjectStore;
import io.archiver.objectstore.StoredObject;
import io.archiver.rows.CanonicalEncoding;
import io.archiver.rows.RowsDigest;
import io.archiver.rows.ShardCsvReader;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * Reads an archive object back from S3 and parses it as it streams ({@link ShardCsvReader}: straight
 * from its bytes to each row's canonical encoding): its size and SHA-256 as S3 returns them, and the
 * count and digest of the rows it really holds, and each row's id and fingerprint. The deleter compares these,
 * not what an event claims, with the rows it is about to delete.
 */
@ApplicationScoped
public class ArchivedShard {

    /** What the object holds: its count and digest, and every row's id and fingerprint for the chunked delete. */
    public record Contents(StoredObject object, List<String> header, long rows, String rowsDigest, RowFingerprints fingerprints) {
    }

    /** The object's bytes are not a shard: not gzip where the key says so, not the CSV format, no id column, ids out of order. */
    public static final class Unreadable extends RuntimeException {
        Unreadable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final ObjectStore store;

    public ArchivedShard(ObjectStore store) {
        this.store = store;
    }

    /**
     * The object's contents, or null when the key does not exist; {@code idColumn} names the column of the row ids. Throws
     * {@link Unreadable}, or {@link io.archiver.objectstore.ObjectReadMismatch} when the bytes do not match S3's checksum.
     */
    public Contents read(String key, String idColumn, long expectedRows) {
        boolean gzip = key.endsWith(".gz");
        List<String> header = new ArrayList<>();
        RowsDigest digest = new RowsDigest();
        RowFingerprints fingerprints = new RowFingerprints((int) Math.min(expectedRows, 1_000_000));
        StoredObject object;
        try {
            object = store.read(key, in -> parse(gzip ? new GZIPInputStream(in, 64 * 1024) : in, header, idColumn, digest, fingerprints));
        } catch (NoSuchKeyException e) {
            return null;
        } catch (UncheckedIOException e) { // the parser's: a failure on the wire is an SdkClientException (transient)
            throw new Unreadable(String.valueOf(e.getCause().getMessage()), e);
        }
        return new Contents(object, header, digest.rows(), digest.hex(), fingerprints);
    }

    /** What the object of a batch of whole keys holds: its count and digest, and every row's key and fingerprint. */
    public record KeyContents(StoredObject object, List<String> header, long rows, String rowsDigest, KeyFingerprints fingerprints) {
    }

    /** {@link #read} for a batch of whole keys: each row's key read from the columns of {@code key} (docs/keys.md). */
    public KeyContents readKeys(String objectKey, KeyColumns key, long expectedRows) {
        boolean gzip = objectKey.endsWith(".gz");
        List<String> header = new ArrayList<>();
        RowsDigest digest = new RowsDigest();
        KeyFingerprints fingerprints = new KeyFingerprints((int) Math.min(expectedRows, 1_000_000));
        StoredObject object;
        try {
            object = store.read(objectKey, in -> parseKeys(gzip ? new GZIPInputStream(in, 64 * 1024) : in, header, key, digest, fingerprints));
        } catch (NoSuchKeyException e) {
            return null;
        } catch (UncheckedIOException e) {
            throw new Unreadable(String.valueOf(e.getCause().getMessage()), e);
        }
        return new KeyContents(object, header, digest.rows(), digest.hex(), fingerprints);
    }

    private static void parseKeys(InputStream in, List<String> header, KeyColumns key, RowsDigest digest, KeyFingerprints fingerprints)
            throws IOException {
        ShardCsvReader.read(in, new ShardCsvReader.Rows() {
            private final int[] at = new int[key.size()];

            @Override
            public void header(List<String> names) throws IOException {
                header.addAll(names);
                for (int i = 0; i < at.length; i++) {
                    at[i] = header.indexOf(key.columns().get(i).name());
                    if (at[i] < 0) {
                        throw new IOException("the header " + header + " has no key column " + key.columns().get(i).name());
                    }
                }
            }

            @Override
            public void row(long recordNumber, CanonicalEncoding row) throws IOException {
                digest.add(row);
                try {
                    List<String> parts = new ArrayList<>(at.length);
                    for (int i = 0; i < at.length; i++) {
                        if (row.isNull(at[i])) {
                            throw new IllegalArgumentException("key column " + key.columns().get(i).name() + " is NULL");
                        }
                        parts.add(key.columns().get(i).kind().text(row.string(at[i])));
                    }
                    fingerprints.add(key.check(new KeyValue(parts), "key"), row);
                } catch (RuntimeException e) { // not a key of this table's kinds, or a key twice
                    throw new IOException("record " + recordNumber + ": " + e.getMessage(), e);
                }
            }
        });
    }

    private static void parse(InputStream in, List<String> header, String idColumn, RowsDigest digest, RowFingerprints fingerprints)
            throws IOException {
        ShardCsvReader.read(in, new ShardCsvReader.Rows() {
            private int idIndex = -1;

            @Override
            public void header(List<String> names) throws IOException {
                header.addAll(names);
                idIndex = header.indexOf(idColumn);
                if (idIndex < 0) {
                    throw new IOException("the header " + header + " has no id column " + idColumn);
                }
            }

            @Override
            public void row(long recordNumber, CanonicalEncoding row) throws IOException {
                digest.add(row);
                try {
                    fingerprints.add(row.longValue(idIndex), row);
                } catch (IllegalArgumentException e) { // NumberFormatException included: not an id, or out of order
                    throw new IOException("record " + recordNumber + ": " + e.getMessage(), e);
                }
            }
        });
    }
}
