package io.archiver.deleter.domain;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.ArrayList;
import java.util.List;

import io.archiver.events.RowException;
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
     * Compares {@code current} (the table's eligible rows of a chunk's range, read under lock) with this object's rows
     * {@code from} (inclusive) to {@code to} (exclusive), key by key: a key in both with the same values is to be removed;
     * with other values it is {@link RowException.Reason#CHANGED}; only in the table, {@link RowException.Reason#NOT_IN_OBJECT};
     * only in the object, {@link RowException.Reason#MISSING}. Both sides are in id order, so one merge walk does it.
     */
    public ChunkComparison compare(int from, int to, RowFingerprints current) {
        long[] matching = new long[Math.min(to - from, current.size)];
        int matched = 0;
        List<RowException> exceptions = new ArrayList<>();
        int a = from;
        int t = 0;
        while (a < to || t < current.size) {
            if (t == current.size || (a < to && ids[a] < current.ids[t])) {
                exceptions.add(new RowException(ids[a++], RowException.Reason.MISSING));
            } else if (a == to || current.ids[t] < ids[a]) {
                exceptions.add(new RowException(current.ids[t++], RowException.Reason.NOT_IN_OBJECT));
            } else {
                if (Arrays.equals(hashes, a * HASH, (a + 1) * HASH, current.hashes, t * HASH, (t + 1) * HASH)) {
                    matching[matched++] = ids[a];
                } else {
                    exceptions.add(new RowException(ids[a], RowException.Reason.CHANGED));
                }
                a++;
                t++;
            }
        }
        return new ChunkComparison(Arrays.copyOf(matching, matched), exceptions);
    }
}
