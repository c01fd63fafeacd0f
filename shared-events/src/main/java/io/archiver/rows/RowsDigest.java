package io.archiver.rows;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * SHA-256 over the canonical form of a sequence of rows, in order: each row's {@link CanonicalEncoding}
 * (per value a marker byte, 0 for NULL, 1 otherwise, then the UTF-8 length as four bytes and the UTF-8
 * bytes), then {@code '\n'}. The exporter digests
 * what it wrote; the deleter digests what it is about to delete; equal digests mean equal rows.
 */
public final class RowsDigest {

    private final MessageDigest sha256;
    private final CanonicalEncoding encoding = new CanonicalEncoding();
    private long rows;

    public RowsDigest() {
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM has no SHA-256", e);
        }
    }

    /** Adds one row, given as its canonical values ({@link CanonicalValue#of(Object)}). */
    public RowsDigest add(List<String> canonicalRow) {
        return add(encoding.row(canonicalRow));
    }

    /** Adds one row, given as its {@link CanonicalEncoding} (the shard writer's and reader's path: each value encoded once). */
    public RowsDigest add(CanonicalEncoding row) {
        sha256.update(row.bytes(), 0, row.length());
        sha256.update((byte) '\n');
        rows++;
        return this;
    }

    public long rows() {
        return rows;
    }

    /** The digest as lower-case hex; ends this digest. */
    public String hex() {
        return HexFormat.of().formatHex(sha256.digest());
    }
}
