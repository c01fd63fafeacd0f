package io.archiver.rows;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * SHA-256 over the canonical form of a sequence of rows, in order: per value a marker byte (0 for
 * NULL, 1 otherwise), then the UTF-8 length as four bytes and the UTF-8 bytes. The exporter digests
 * what it wrote; the deleter digests what it is about to delete; equal digests mean equal rows.
 */
public final class RowsDigest {

    private final MessageDigest sha256;
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
        update(sha256, canonicalRow);
        sha256.update((byte) '\n');
        rows++;
        return this;
    }

    /** Feeds one row's canonical encoding (the markers, lengths and bytes above, without the row separator) to {@code digest}. */
    public static void update(MessageDigest digest, List<String> canonicalRow) {
        for (String value : canonicalRow) {
            if (value == null) {
                digest.update((byte) 0);
            } else {
                byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
                digest.update((byte) 1);
                digest.update((byte) (bytes.length >>> 24));
                digest.update((byte) (bytes.length >>> 16));
                digest.update((byte) (bytes.length >>> 8));
                digest.update((byte) bytes.length);
                digest.update(bytes);
            }
        }
    }

    public long rows() {
        return rows;
    }

    /** The digest as lower-case hex; ends this digest. */
    public String hex() {
        return HexFormat.of().formatHex(sha256.digest());
    }
}
