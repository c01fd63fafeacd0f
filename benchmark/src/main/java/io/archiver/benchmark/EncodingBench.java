package io.archiver.benchmark;

import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.archiver.rows.CanonicalEncoding;
import io.archiver.rows.CanonicalValue;
import io.archiver.rows.RowsDigest;
import io.archiver.rows.ShardCsvWriter;

/**
 * What one row costs the exporter between the SQL client and the gzip stream (its canonical values,
 * the CSV record and the rows digest), by the two paths: each value to a String first
 * ({@link CanonicalValue#of}, then {@link ShardCsvWriter#row(List)}), and straight from the client's
 * values into the encoding ({@link CanonicalEncoding#addValue}, then {@link ShardCsvWriter#row(CanonicalEncoding)}).
 * The rows have the value mix of the seeded {@code run} table, as the Vert.x MySQL client returns them.
 * Prints ns per row, the median of alternating rounds after a warm-up.
 *
 * <pre>java -cp "benchmark/target/classes:benchmark/target/lib/*" io.archiver.benchmark.EncodingBench [rows-per-round]</pre>
 */
public final class EncodingBench {

    private EncodingBench() {
    }

    public static void main(String[] args) throws IOException {
        int rows = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        List<Object[]> sample = sampleRows(4_096);
        double[] viaStrings = new double[7];
        double[] direct = new double[7];
        run(sample, rows, false);
        run(sample, rows, true); // warm-up of both paths, unrecorded
        for (int round = 0; round < viaStrings.length; round++) {
            viaStrings[round] = run(sample, rows, false);
            direct[round] = run(sample, rows, true);
        }
        Arrays.sort(viaStrings);
        Arrays.sort(direct);
        double a = viaStrings[viaStrings.length / 2];
        double b = direct[direct.length / 2];
        System.out.printf("rows of the run table's value mix, %,d a round, median of %d rounds (Java %s):%n", rows, viaStrings.length,
                Runtime.version());
        System.out.printf("  values to Strings, then CSV + digest      %8.0f ns/row%n", a);
        System.out.printf("  values straight into the encoding + CSV   %8.0f ns/row  (%.2fx)%n", b, a / b);
    }

    /** Nanoseconds per row of writing {@code rows} rows (cycling through the sample) as CSV records plus the digest. */
    private static double run(List<Object[]> sample, int rows, boolean direct) throws IOException {
        ShardCsvWriter writer = new ShardCsvWriter(OutputStream.nullOutputStream(), new RowsDigest());
        CanonicalEncoding encoding = new CanonicalEncoding();
        long start = System.nanoTime();
        for (int i = 0; i < rows; i++) {
            Object[] row = sample.get(i & (sample.size() - 1));
            if (direct) {
                encoding.reset();
                for (Object value : row) {
                    encoding.addValue(value);
                }
                writer.row(encoding);
            } else {
                List<String> values = new ArrayList<>(row.length);
                for (Object value : row) {
                    values.add(CanonicalValue.of(value));
                }
                writer.row(values);
            }
        }
        return (System.nanoTime() - start) / (double) rows;
    }

    /** Rows like {@code RunTableSeeder}'s: ids, epoch ms, UUID, status, texts with unicode, a decimal, a double, ints, a date-time, a date, JSON, binary. */
    static List<Object[]> sampleRows(int n) {
        List<Object[]> rows = new ArrayList<>(n);
        String[] tails = { "Ünïcödé — ✓ 😀🚀", "日本語のテキスト", "two\nlines", "crlf\r\nline", "tab\there",
                "plain ascii text that pads the row to a realistic size" };
        for (int seq = 1; seq <= n; seq++) {
            boolean nulls = seq % 50 == 0;
            long date = 1_780_000_000_000L + seq * 86_413L;
            byte[] checksum = new byte[32];
            Arrays.fill(checksum, (byte) seq);
            rows.add(new Object[] { 4L * seq + (seq * 7919L) % 3, date, "6f1c2d3e-4a5b-11ef-9c8d-" + String.format("%012d", seq),
                    List.of("SENT", "DELIVERED", "FAILED", "BOUNCED").get(seq % 4), nulls ? null : "user" + seq + "@example.org",
                    nulls ? null : "Run #" + seq + " – status, \"quoted\"",
                    nulls ? null : "Body of run " + seq + ", with a comma; \"quotes\" and " + tails[seq % 6] + " " + "lorem ipsum ".repeat(5 + seq % 6),
                    nulls ? null : BigDecimal.valueOf((seq * 7907L) % 100_000_000, 4), nulls ? null : (seq % 1000) / 7.0 + 0.1,
                    nulls ? null : seq % 5, (short) (seq % 2), LocalDateTime.of(2026, 1 + seq % 12, 1 + seq % 28, seq % 24, seq % 60, seq % 60,
                            (seq % 1000) * 1_000_000),
                    nulls ? null : LocalDate.of(2026, 1 + seq % 12, 1 + seq % 28),
                    nulls ? null : "{\"seq\": " + seq + ", \"tags\": [\"a\", \"ü\", \"emoji 😀\"], \"note\": \"line\\nbreak, \\\"q\\\"\"}",
                    nulls ? null : checksum, seq % 10 == 0 ? new byte[] { 0, -1, 10, 13, 34, 1, 2, 3, 44, 0 } : null });
        }
        return rows;
    }
}
