package io.archiver.rows;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a shard written in {@link ShardFormat#CSV} straight from its UTF-8 bytes into each row's
 * {@link CanonicalEncoding}, without decoding to text: the deleter needs the rows' digests and ids,
 * and the bytes between a value's quotes (its doubled quotes undone) are exactly the UTF-8 the
 * digest hashes. Strict: a record is fields separated by {@code ,} and ended by CRLF (or the end of
 * the stream), each field either empty (NULL) or wholly quoted; anything else, an unterminated quote
 * or a record with another number of values than the header, is an IOException naming the record.
 * {@code ShardCsvCodecTest} holds it to Apache Commons CSV's parser on the same bytes.
 */
public final class ShardCsvReader {

    /** Receives the header once, then each row's encoding (reused: valid only during the call). */
    public interface Rows {
        void header(List<String> names) throws IOException;

        void row(long recordNumber, CanonicalEncoding row) throws IOException;
    }

    private static final int EOF = -1;

    private final InputStream in;
    private final byte[] buffer = new byte[64 * 1024];
    private int position;
    private int limit;
    private long recordNumber;

    private ShardCsvReader(InputStream in) {
        this.in = in;
    }

    /** Reads every record of {@code in}; returns the number of rows (records after the header). */
    public static long read(InputStream in, Rows rows) throws IOException {
        return new ShardCsvReader(in).readAll(rows);
    }

    private long readAll(Rows rows) throws IOException {
        CanonicalEncoding encoding = new CanonicalEncoding();
        int columns = -1;
        while (peek() != EOF) {
            recordNumber++;
            readRecord(encoding.reset());
            if (columns < 0) {
                List<String> header = new ArrayList<>(encoding.size());
                for (int i = 0; i < encoding.size(); i++) {
                    if (encoding.isNull(i)) {
                        throw malformed("the header's column " + (i + 1) + " has no name");
                    }
                    header.add(encoding.string(i));
                }
                columns = header.size();
                rows.header(header);
            } else {
                if (encoding.size() != columns) {
                    throw malformed("has " + encoding.size() + " values, the header " + columns);
                }
                rows.row(recordNumber, encoding);
            }
        }
        if (columns < 0) {
            throw new IOException("empty shard: no header record");
        }
        return recordNumber - 1;
    }

    private void readRecord(CanonicalEncoding encoding) throws IOException {
        while (true) {
            int b = next();
            if (b == '"') {
                encoding.begin();
                readQuoted(encoding);
                encoding.end();
                b = next();
            } else {
                encoding.addNull();
            }
            if (b == ',') {
                continue;
            }
            if (b == '\r') {
                if (next() != '\n') {
                    throw malformed("has a CR not followed by LF outside quotes");
                }
                return;
            }
            if (b == EOF) {
                return;
            }
            throw malformed("value " + encoding.size() + " is not quoted, or has text after its closing quote (byte 0x"
                    + Integer.toHexString(b) + ")");
        }
    }

    /** After the opening quote: copies the value's bytes up to the closing quote, undoing doubled quotes. */
    private void readQuoted(CanonicalEncoding encoding) throws IOException {
        while (true) {
            if (position == limit && fill() == EOF) {
                throw malformed("ends inside a quoted value");
            }
            int start = position;
            int end = limit;
            byte[] buf = buffer;
            int p = start;
            while (p < end && buf[p] != '"') {
                p++;
            }
            encoding.append(buf, start, p - start);
            position = p;
            if (p == end) {
                continue; // the value goes on in the next fill
            }
            position++; // the quote
            if (peek() == '"') {
                position++;
                encoding.append((byte) '"');
            } else {
                return;
            }
        }
    }

    private int next() throws IOException {
        if (position == limit && fill() == EOF) {
            return EOF;
        }
        return buffer[position++] & 0xff;
    }

    private int peek() throws IOException {
        if (position == limit && fill() == EOF) {
            return EOF;
        }
        return buffer[position] & 0xff;
    }

    private int fill() throws IOException {
        int n;
        do {
            n = in.read(buffer, 0, buffer.length);
        } while (n == 0);
        if (n < 0) {
            position = limit = 0;
            return EOF;
        }
        position = 0;
        limit = n;
        return n;
    }

    private IOException malformed(String what) {
        return new IOException("record " + recordNumber + " " + what + ": not a shard in the archive's CSV format");
    }
}
