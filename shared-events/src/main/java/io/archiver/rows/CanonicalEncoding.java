package io.archiver.rows;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * One row's canonical encoding, the bytes {@link RowsDigest} hashes: per value a marker byte (0 for
 * NULL, 1 otherwise), then the UTF-8 length as four big-endian bytes and the UTF-8 bytes. Built once
 * per row and reused (call {@link #reset()}), so that the shard writer and reader encode every value
 * once and hash the row with one call. Remembers where each value's bytes are, for the row's id.
 */
public final class CanonicalEncoding {

    private byte[] bytes = new byte[1024];
    private int length;
    private int[] starts = new int[32];
    private int[] lengths = new int[32];
    private int values;
    private int open = -1;

    /** Empties it for the next row. */
    public CanonicalEncoding reset() {
        length = 0;
        values = 0;
        open = -1;
        return this;
    }

    /** Encodes a whole row of canonical values ({@link CanonicalValue#of(Object)}), after {@link #reset()}. */
    public CanonicalEncoding row(List<String> canonicalValues) {
        reset();
        for (String value : canonicalValues) {
            add(value);
        }
        return this;
    }

    /** Adds one value; {@code null} is SQL NULL. Returns the value's UTF-8 bytes (null for NULL). */
    public byte[] add(String value) {
        if (value == null) {
            addNull();
            return null;
        }
        byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
        begin();
        append(utf8, 0, utf8.length);
        end();
        return utf8;
    }

    public void addNull() {
        ensure(1);
        track(-1, -1);
        bytes[length++] = 0;
    }

    /** Starts a non-NULL value whose UTF-8 bytes follow through {@link #append} until {@link #end()}. */
    public void begin() {
        if (open >= 0) {
            throw new IllegalStateException("a value is open");
        }
        ensure(5);
        bytes[length] = 1;
        length += 5;
        open = length;
    }

    public void append(byte[] source, int offset, int count) {
        ensure(count);
        System.arraycopy(source, offset, bytes, length, count);
        length += count;
    }

    public void append(byte b) {
        ensure(1);
        bytes[length++] = b;
    }

    /** Ends the open value: writes its length before its bytes. */
    public void end() {
        if (open < 0) {
            throw new IllegalStateException("no value is open");
        }
        int n = length - open;
        bytes[open - 4] = (byte) (n >>> 24);
        bytes[open - 3] = (byte) (n >>> 16);
        bytes[open - 2] = (byte) (n >>> 8);
        bytes[open - 1] = (byte) n;
        track(open, n);
        open = -1;
    }

    private void track(int start, int n) {
        if (values == starts.length) {
            starts = Arrays.copyOf(starts, values * 2);
            lengths = Arrays.copyOf(lengths, values * 2);
        }
        starts[values] = start;
        lengths[values] = n;
        values++;
    }

    private void ensure(int more) {
        if (length + more > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + more));
        }
    }

    /** The encoding; valid up to {@link #length()}, until the next change. */
    public byte[] bytes() {
        return bytes;
    }

    public int length() {
        return length;
    }

    /** How many values the row has. */
    public int size() {
        return values;
    }

    public boolean isNull(int index) {
        return starts[checked(index)] < 0;
    }

    /** The value as text, null for NULL. */
    public String string(int index) {
        int i = checked(index);
        return starts[i] < 0 ? null : new String(bytes, starts[i], lengths[i], StandardCharsets.UTF_8);
    }

    /** The value as a decimal long ({@code -?[0-9]+}); NumberFormatException when it is NULL or not one. */
    public long longValue(int index) {
        int i = checked(index);
        if (starts[i] < 0) {
            throw new NumberFormatException("value " + index + " is NULL, not a number");
        }
        int start = starts[i];
        int end = start + lengths[i];
        boolean negative = start < end && bytes[start] == '-';
        int p = negative ? start + 1 : start;
        if (p == end || end - p > 19) {
            throw new NumberFormatException("not a decimal long: \"" + string(index) + "\"");
        }
        long value = 0;
        for (; p < end; p++) {
            int digit = bytes[p] - '0';
            if (digit < 0 || digit > 9) {
                throw new NumberFormatException("not a decimal long: \"" + string(index) + "\"");
            }
            value = value * 10 - digit; // accumulate negatively: Long.MIN_VALUE fits
            if (value > 0) {
                throw new NumberFormatException("out of range for a long: \"" + string(index) + "\"");
            }
        }
        if (!negative) {
            if (value == Long.MIN_VALUE) {
                throw new NumberFormatException("out of range for a long: \"" + string(index) + "\"");
            }
            value = -value;
        }
        return value;
    }

    private int checked(int index) {
        if (index < 0 || index >= values) {
            throw new IndexOutOfBoundsException("value " + index + " of " + values);
        }
        return index;
    }
}
