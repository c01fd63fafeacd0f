package io.archiver.deleter.domain;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.archiver.events.KeyValue;
import io.archiver.events.RowException;
import io.archiver.rows.CanonicalEncoding;

/**
 * {@link RowFingerprints} for a batch of whole keys (docs/keys.md): the rows as (key, SHA-256 of the row's canonical values) in
 * the order they were read, which is the table's key order as the server sorts it (strings by their collation): keys are never
 * ordered here, only looked up by their exact text. The archived object's rows and a chunk's rows of the table are compared key
 * by key; which rows a chunk covers is decided by the SQL's bounds, the keys of the object in its order give the chunks.
 */
public final class KeyFingerprints {

    private static final int HASH = 32;

    private final List<KeyValue> keys;
    private final Map<String, Integer> index = new HashMap<>();
    private byte[] hashes;
    private final MessageDigest sha256;

    public KeyFingerprints(int expectedRows) {
        int capacity = Math.max(16, expectedRows);
        this.keys = new ArrayList<>(capacity);
        this.hashes = new byte[capacity * HASH];
        try {
            this.sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM has no SHA-256", e);
        }
    }

    /** Adds the next row; a key seen before is refused (a primary key holds each key once). */
    public void add(KeyValue key, CanonicalEncoding row) {
        int at = keys.size();
        if (index.putIfAbsent(key.text(), at) != null) {
            throw new IllegalArgumentException("row key " + key.text() + " comes twice: rows must come once each");
        }
        if ((at + 1) * HASH > hashes.length) {
            hashes = Arrays.copyOf(hashes, hashes.length * 2);
        }
        keys.add(key);
        sha256.update(row.bytes(), 0, row.length());
        try {
            sha256.digest(hashes, at * HASH, HASH);
        } catch (java.security.DigestException e) {
            throw new IllegalStateException(e);
        }
    }

    public int size() {
        return keys.size();
    }

    public KeyValue key(int at) {
        return keys.get(at);
    }

    /** The position of the row after {@code key} (0 for null: from the first); {@code key} must be one of these rows'. */
    public int firstAfter(KeyValue key) {
        if (key == null) {
            return 0;
        }
        Integer at = index.get(key.text());
        if (at == null) {
            throw new IllegalStateException("the deleter's progress " + key.text() + " is no key of the archived object");
        }
        return at + 1;
    }

    /** One chunk compared: the keys to remove (equal rows), and every other key with its reason and its ordinal. */
    public record Comparison(List<KeyValue> matching, List<RowException> exceptions) {

        public io.archiver.events.RowCounts counts() {
            long changed = exceptions.stream().filter(e -> e.reason() == RowException.Reason.CHANGED).count();
            long notInObject = exceptions.stream().filter(e -> e.reason() == RowException.Reason.NOT_IN_OBJECT).count();
            return new io.archiver.events.RowCounts(matching.size(), changed, notInObject, exceptions.size() - changed - notInObject, 0);
        }
    }

    /**
     * Compares {@code current} (the table's eligible rows of the chunk, read under lock) with the archived rows {@code from}
     * (inclusive) to {@code to} (exclusive) by exact key: in both with the same values, to be removed; with other values
     * CHANGED; only in the table NOT_IN_OBJECT; only in the object MISSING. An exception's id is its ordinal: the archived row's
     * position, or for a row not in the object {@code -(notInObjectBefore + n)}, so that every key of a batch has its own.
     */
    public Comparison compare(int from, int to, KeyFingerprints current, long notInObjectBefore) {
        List<KeyValue> matching = new ArrayList<>();
        List<RowException> exceptions = new ArrayList<>();
        for (int a = from; a < to; a++) {
            Integer t = current.index.get(keys.get(a).text());
            if (t == null) {
                exceptions.add(new RowException(a, RowException.Reason.MISSING, keys.get(a)));
            } else if (Arrays.equals(hashes, a * HASH, (a + 1) * HASH, current.hashes, t * HASH, (t + 1) * HASH)) {
                matching.add(keys.get(a));
            } else {
                exceptions.add(new RowException(a, RowException.Reason.CHANGED, keys.get(a)));
            }
        }
        long notInObject = notInObjectBefore;
        for (int t = 0; t < current.size(); t++) {
            Integer a = index.get(current.keys.get(t).text());
            if (a == null || a < from || a >= to) {
                exceptions.add(new RowException(-(++notInObject), RowException.Reason.NOT_IN_OBJECT, current.keys.get(t)));
            }
        }
        return new Comparison(matching, exceptions);
    }
}
