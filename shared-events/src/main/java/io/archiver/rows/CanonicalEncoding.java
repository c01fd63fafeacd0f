package io.archiver.rows;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.util.Arrays;
import java.util.Base64;
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
    private byte[] scratch = new byte[256]; // Base64 of a binary value, before it is appended

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

    /**
     * Adds one value as its canonical text ({@link CanonicalValue#of(Object)}), writing the bytes of the
     * types a table's rows are mostly made of (integers, date-times, binary, decimals, doubles) straight
     * into the encoding, without a String in between; every other type goes through
     * {@link CanonicalValue#of(Object)}. {@code CanonicalEncodingTest} holds both paths to the same bytes.
     */
    public void addValue(Object value) {
        if (value == null) {
            addNull();
        } else if (value instanceof String s) {
            add(s);
        } else if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
            begin();
            appendLong(((Number) value).longValue());
            end();
        } else if (value instanceof LocalDateTime dateTime && dateTime.getYear() >= 0 && dateTime.getYear() <= 9999) {
            begin();
            appendDateTime(dateTime);
            end();
        } else if (value instanceof byte[] binary) {
            begin();
            int n = 4 * ((binary.length + 2) / 3);
            if (scratch.length < n) {
                scratch = new byte[Math.max(n, scratch.length * 2)];
            }
            int written = Base64.getEncoder().encode(binary, scratch);
            append(scratch, 0, written);
            end();
        } else if (value instanceof BigDecimal decimal) {
            addAscii(decimal.toPlainString());
        } else if (value instanceof Double d) {
            addAscii(CanonicalValue.shortest(d));
        } else {
            add(CanonicalValue.of(value));
        }
    }

    /** A value whose text is ASCII (digits, signs, points, exponents): one byte a character. */
    private void addAscii(String text) {
        begin();
        int n = text.length();
        ensure(n);
        for (int i = 0; i < n; i++) {
            bytes[length + i] = (byte) text.charAt(i);
        }
        length += n;
        end();
    }

    /** {@code Long.toString(value)}'s characters. */
    private void appendLong(long value) {
        if (value == Long.MIN_VALUE) {
            byte[] min = "-9223372036854775808".getBytes(StandardCharsets.US_ASCII);
            append(min, 0, min.length);
            return;
        }
        ensure(20);
        if (value < 0) {
            bytes[length++] = '-';
            value = -value;
        }
        int digits = 1;
        for (long v = value; v >= 10; v /= 10) {
            digits++;
        }
        for (int i = length + digits - 1; i >= length; i--) {
            bytes[i] = (byte) ('0' + (value % 10));
            value /= 10;
        }
        length += digits;
    }

    /** {@link CanonicalValue#DATE_TIME}'s text for a year of 0 to 9999: {@code yyyy-MM-dd HH:mm:ss}, then the fraction without its trailing zeros. */
    private void appendDateTime(LocalDateTime t) {
        ensure(29);
        digits(t.getYear(), 4);
        bytes[length++] = '-';
        digits(t.getMonthValue(), 2);
        bytes[length++] = '-';
        digits(t.getDayOfMonth(), 2);
        bytes[length++] = ' ';
        digits(t.getHour(), 2);
        bytes[length++] = ':';
        digits(t.getMinute(), 2);
        bytes[length++] = ':';
        digits(t.getSecond(), 2);
        int nano = t.getNano();
        if (nano != 0) {
            int width = 9;
            while (nano % 10 == 0) {
                nano /= 10;
                width--;
            }
            bytes[length++] = '.';
            digits(nano, width);
        }
    }

    /** {@code value} zero-padded to {@code width} digits (value has at most that many). */
    private void digits(int value, int width) {
        for (int i = length + width - 1; i >= length; i--) {
            bytes[i] = (byte) ('0' + value % 10);
            value /= 10;
        }
        length += width;
    }

    /**
     * Adds one non-NULL value of {@code count} UTF-8 bytes that the caller then copies into {@link #bytes()} at the returned
     * offset (straight from a driver's buffer, with no array in between); valid until the next change.
     */
    public int addReserved(int count) {
        begin();
        ensure(count);
        int at = length;
        length += count;
        end();
        return at;
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

    /** Where the value's UTF-8 bytes begin in {@link #bytes()}; -1 for NULL. */
    public int valueStart(int index) {
        return starts[checked(index)];
    }

    /** How many UTF-8 bytes the value has; -1 for NULL. */
    public int valueLength(int index) {
        return lengths[checked(index)];
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
