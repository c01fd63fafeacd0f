package io.archiver.rows;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Writes rows of canonical values as {@link ShardFormat#CSV} (the bytes Apache Commons CSV prints with
 * that format: every non-NULL value quoted with its quotes doubled, NULL an empty unquoted field, CRLF
 * after each record, UTF-8) and digests them as it goes: each value is encoded to UTF-8 once, for the
 * CSV and the {@link RowsDigest} both, and each record reaches the stream in one write.
 * {@code ShardCsvCodecTest} holds it byte for byte to Commons CSV's printer.
 */
public final class ShardCsvWriter {

    private final OutputStream out;
    private final RowsDigest digest;
    private final CanonicalEncoding encoding = new CanonicalEncoding();
    private byte[] record = new byte[1024];
    private int length;

    /** @param digest receives every row written with {@link #row(List)} (not the header) */
    public ShardCsvWriter(OutputStream out, RowsDigest digest) {
        this.out = out;
        this.digest = digest;
    }

    /** Writes the header record (not digested). */
    public void header(List<String> names) throws IOException {
        length = 0;
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i);
            if (name == null) {
                throw new IllegalArgumentException("a column name is null");
            }
            field(i, name.getBytes(StandardCharsets.UTF_8));
        }
        endRecord();
    }

    /** Writes one row and adds it to the digest. */
    public void row(List<String> canonicalValues) throws IOException {
        row(encoding.row(canonicalValues));
    }

    /** Writes one row given as its canonical encoding (values encoded once, straight from the table's row) and adds it to the digest. */
    public void row(CanonicalEncoding row) throws IOException {
        length = 0;
        byte[] source = row.bytes();
        for (int i = 0; i < row.size(); i++) {
            field(i, source, row.valueStart(i), row.valueLength(i));
        }
        endRecord();
        digest.add(row);
    }

    private void field(int index, byte[] utf8) {
        field(index, utf8, 0, utf8 == null ? -1 : utf8.length);
    }

    /** Appends one field: {@code count} bytes of {@code source} from {@code offset}, quoted; NULL ({@code count} -1) as an empty field. */
    private void field(int index, byte[] source, int offset, int count) {
        int worst = (count < 0 ? 0 : count * 2 + 2) + 1;
        if (length + worst + 2 > record.length) {
            record = Arrays.copyOf(record, Math.max(record.length * 2, length + worst + 2));
        }
        if (index > 0) {
            record[length++] = ',';
        }
        if (count < 0) {
            return; // NULL: an empty field, unquoted
        }
        record[length++] = '"';
        // the runs between quotes copied whole (most values have no quote): a scan and one copy, not a store per byte
        int start = offset;
        int end = offset + count;
        for (int i = offset;; i++) {
            while (i < end && source[i] != '"') {
                i++;
            }
            System.arraycopy(source, start, record, length, i - start);
            length += i - start;
            if (i == end) {
                break;
            }
            record[length++] = '"';
            record[length++] = '"';
            start = i + 1;
        }
        record[length++] = '"';
    }

    private void endRecord() throws IOException {
        record[length++] = '\r';
        record[length++] = '\n';
        out.write(record, 0, length);
    }
}
