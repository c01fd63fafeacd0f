package io.archiver.deleter.domain;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.List;

import io.archiver.rows.CanonicalEncoding;

/**
 * The rows of a batch as (id, SHA-256 of the row's canonical values) in id order: what the archived
 * object holds, kept so that the deleter can compare any id range of the table with it, one bounded
 * chunk at a time. 40 bytes a row (400 KB for a 10,000-row batch), never the rows themselves.
 * The per-row hash is the SHA-256 of the row's {@link CanonicalEncoding}, the bytes {@link io.archiver.rows.RowsDigest} hashes.
 */
public final class RowFingerprints {

    private static final int HASH = 32;

    private long[] ids;
    private byte[] hashes;
    private int size;
    private final MessageDigest sha256;
    private final CanonicalEncoding encoding = new CanonicalEncoding();

    public RowFingerprints() {
        this(1024);
    }

    public RowFingerprints(int expectedRows) {
        int capacity = Math.max(16, expectedRows);
        this.ids = new long[capacity];
        this.hashes = new byte[capacity * HASH];
        try {
            this.sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM has no SHA-256", e);
        }
    }

    /** Adds the next row, given as canonical values (the table's rows); ids must grow strictly (both sides are read in id order). */
    public void add(long id, List<String> canonicalValues) {
        add(id, encoding.row(canonicalValues));
    }

    /** Adds the next row, given as its canonical encoding (the archived object's rows, read straight from its bytes). */
    public void add(long id, CanonicalEncoding row) {
        if (size > 0 && id <= ids[size - 1]) {
            throw new IllegalArgumentException("row id " + id + " does not follow " + ids[size - 1] + ": rows must come in id order, once each");
        }
        if (size == ids.length) {
            ids = Arrays.copyOf(ids, size * 2);
            hashes = Arrays.copyOf(hashes, size * 2 * HASH);
        }
        ids[size] = id;
        sha256.update(row.bytes(), 0, row.length());
        try {
            sha256.digest(hashes, size * HASH, HASH);
        } catch (java.security.DigestException e) {
            throw new IllegalStateException(e);
        }
        size++;
    }

    public int size() {
        return size;
    }

    public long id(int index) {
        return ids[index];
    }

    /** The index of the first row whose id is greater than {@code id} ({@link #size()} when there is none). */
    public int firstAfter(long id) {
        int found = Arrays.binarySearch(ids, 0, size, id);
        return found >= 0 ? found + 1 : -found - 1;
    }

    /**
     * Whether {@code current} (rows read from the table) holds exactly this object's rows {@code from} (inclusive)
     * to {@code to} (exclusive): the same count, the same ids, the same values.
     */
    public boolean sameRows(int from, int to, RowFingerprints current) {
        if (current.size != to - from) {
            return false;
        }
        for (int i = 0; i < current.size; i++) {
            if (ids[from + i] != current.ids[i]
                    || !Arrays.equals(hashes, (from + i) * HASH, (from + i + 1) * HASH, current.hashes, i * HASH, (i + 1) * HASH)) {
                return false;
            }
        }
        return true;
    }

    /** Where {@code current} first differs from this object's rows {@code from..to}, for a failure's detail. */
    public String firstDifference(int from, int to, RowFingerprints current) {
        int n = Math.min(to - from, current.size);
        for (int i = 0; i < n; i++) {
            if (ids[from + i] != current.ids[i]) {
                return "the archive's row " + ids[from + i] + " faces the table's row " + current.ids[i];
            }
            if (!Arrays.equals(hashes, (from + i) * HASH, (from + i + 1) * HASH, current.hashes, i * HASH, (i + 1) * HASH)) {
                return "row " + ids[from + i] + " has other values in the table than in the archive";
            }
        }
        if (current.size > n) {
            return "the table has row " + current.ids[n] + " that the archive does not";
        }
        if (to - from > n) {
            return "the archive has row " + ids[from + n] + " that the table no longer has";
        }
        return "none";
    }
}
