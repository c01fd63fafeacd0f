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
 * {@code ShardCsvWriterTest} holds it byte for byte to Commons CSV's printer.
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
        length = 0;
        encoding.reset();
        for (int i = 0; i < canonicalValues.size(); i++) {
            field(i, encoding.add(canonicalValues.get(i)));
        }
        endRecord();
        digest.add(encoding);
    }

    private void field(int index, byte[] utf8) {
        int worst = (utf8 == null ? 0 : utf8.length * 2 + 2) + 1;
        if (length + worst + 2 > record.length) {
            record = Arrays.copyOf(record, Math.max(record.length * 2, length + worst + 2));
        }
        if (index > 0) {
            record[length++] = ',';
        }
        if (utf8 == null) {
            return; // NULL: an empty field, unquoted
        }
        record[length++] = '"';
        for (byte b : utf8) {
            if (b == '"') {
                record[length++] = '"';
            }
            record[length++] = b;
        }
        record[length++] = '"';
    }

    private void endRecord() throws IOException {
        record[length++] = '\r';
        record[length++] = '\n';
        out.write(record, 0, length);
    }
}
