package io.archiver.rows;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The exporter's {@link ShardCsvWriter} and the deleter's {@link ShardCsvReader} against Apache Commons CSV
 * with {@link ShardFormat#CSV}, the format's reference: the writer's bytes are the printer's, byte for byte;
 * the reader finds in any printed shard the values, the row count and the digest the parser finds.
 */
class ShardCsvCodecTest {

    private static final List<String> HEADER = List.of("id", "a", "b", "c");

    /** What the exporter writes now. */
    static byte[] writeFast(List<String> header, List<List<String>> rows, RowsDigest digest) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ShardCsvWriter writer = new ShardCsvWriter(out, digest);
        writer.header(header);
        for (List<String> row : rows) {
            writer.row(row);
        }
        return out.toByteArray();
    }

    record Read(List<String> header, List<List<String>> rows, List<Long> ids, String digest, long count) {
    }

    /** What the deleter reads now: the values decoded back from each row's encoding, the ids of column 0, the digest. */
    static Read readFast(InputStream in) throws IOException {
        List<String> header = new ArrayList<>();
        List<List<String>> rows = new ArrayList<>();
        List<Long> ids = new ArrayList<>();
        RowsDigest digest = new RowsDigest();
        long count = ShardCsvReader.read(in, new ShardCsvReader.Rows() {
            @Override
            public void header(List<String> names) {
                header.addAll(names);
            }

            @Override
            public void row(long recordNumber, CanonicalEncoding row) {
                List<String> values = new ArrayList<>();
                for (int i = 0; i < row.size(); i++) {
                    values.add(row.string(i));
                }
                rows.add(values);
                try {
                    ids.add(row.longValue(0));
                } catch (NumberFormatException e) {
                    ids.add(null);
                }
                digest.add(row);
            }
        });
        return new Read(header, rows, ids, digest.hex(), count);
    }

    static void assertSameAsCommonsCsv(List<String> header, List<List<String>> rows) throws IOException {
        RowsDigest fastDigest = new RowsDigest();
        byte[] fast = writeFast(header, rows, fastDigest);
        byte[] reference = ShardRoundTripTest.write(header, rows);
        assertThat(new String(fast, StandardCharsets.UTF_8)).isEqualTo(new String(reference, StandardCharsets.UTF_8));
        assertThat(fast).isEqualTo(reference);
        String digest = ShardRoundTripTest.digest(rows);
        assertThat(fastDigest.hex()).as("the writer's digest").isEqualTo(digest);
        assertThat(fastDigest.rows()).isEqualTo(rows.size());

        ShardFormat.Parsed parsed = ShardRoundTripTest.parse(reference);
        for (InputStream in : List.of(new ByteArrayInputStream(reference), trickle(reference))) {
            Read read = readFast(in);
            assertThat(read.header()).isEqualTo(parsed.header());
            assertThat(read.rows()).isEqualTo(parsed.rows());
            assertThat(read.count()).isEqualTo(rows.size());
            assertThat(read.digest()).as("the reader's digest").isEqualTo(digest);
        }
    }

    /** A stream that hands out one to three bytes a read: values and quotes split across every buffer boundary. */
    static InputStream trickle(byte[] bytes) {
        Random random = new Random(bytes.length);
        return new FilterInputStream(new ByteArrayInputStream(bytes)) {
            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                return super.read(b, off, Math.min(len, 1 + random.nextInt(3)));
            }
        };
    }

    static Stream<Arguments> strings() {
        return ShardRoundTripTest.strings();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("strings")
    void everyAwkwardStringInEveryPosition(String description, String value) throws IOException {
        assertSameAsCommonsCsv(HEADER, List.of(
                Arrays.asList("1", value, "x", "y"),
                Arrays.asList("2", "x", value, "y"),
                Arrays.asList("3", "x", "y", value),
                Arrays.asList("4", value, value, value)));
        assertSameAsCommonsCsv(List.of("only"), List.of(Arrays.asList(value), Arrays.asList((String) null), Arrays.asList(value)));
    }

    @Test
    void nullsEmptyStringsAndHeaderOnlyShards() throws IOException {
        assertSameAsCommonsCsv(HEADER, List.of(
                Arrays.asList("1", null, "", null),
                Arrays.asList("2", "", null, ""),
                Arrays.asList("3", null, null, null)));
        assertSameAsCommonsCsv(List.of("only"), List.of(Arrays.asList((String) null), Arrays.asList(""), Arrays.asList((String) null)));
        assertSameAsCommonsCsv(HEADER, List.of());
        assertSameAsCommonsCsv(List.of("id", "ü \"x\", y"), List.of(Arrays.asList("7", "z")));
    }

    @Test
    void randomRowsOfTheRunTableShape() throws IOException {
        Random random = new Random(20261201);
        String alphabet = "ab,\"\r\n é日🚀\u0000\\";
        for (int shard = 0; shard < 50; shard++) {
            List<List<String>> rows = new ArrayList<>();
            long id = random.nextInt(1000);
            for (int r = 0; r < 1 + random.nextInt(200); r++) {
                id += 1 + random.nextInt(5);
                List<String> row = new ArrayList<>();
                row.add(Long.toString(id));
                row.add(random.nextInt(4) == 0 ? null : new BigDecimal(random.nextLong()).movePointLeft(random.nextInt(6)).toPlainString());
                row.add(random.nextInt(4) == 0 ? null : CanonicalValue.of(LocalDateTime.of(2025, 1, 1, 0, 0).plusSeconds(random.nextInt(1 << 28))));
                StringBuilder text = new StringBuilder();
                int length = random.nextInt(5) == 0 ? random.nextInt(70_000) : random.nextInt(40);
                for (int i = 0; i < length; i++) {
                    text.append(Character.toChars(alphabet.codePointAt(alphabet.offsetByCodePoints(0,
                            random.nextInt(alphabet.codePointCount(0, alphabet.length()))))));
                }
                row.add(random.nextInt(5) == 0 ? null : text.toString());
                rows.add(row);
            }
            assertSameAsCommonsCsv(HEADER, rows);
        }
    }

    @Test
    void idsAreReadAsDecimalLongs() throws IOException {
        Read read = readFast(new ByteArrayInputStream(ShardRoundTripTest.write(List.of("id"), List.of(
                List.of("0"), List.of("9223372036854775807"), List.of("-9223372036854775808"), List.of("-1"),
                List.of("9223372036854775808"), List.of("+1"), List.of(""), List.of("1.0"), List.of(" 1"), List.of("٣"),
                List.of("99999999999999999999")))));

        assertThat(read.ids()).containsExactly(0L, Long.MAX_VALUE, Long.MIN_VALUE, -1L, null, null, null, null, null, null, null);
    }

    static Stream<Arguments> malformed() {
        return Stream.of(
                Arguments.of("unquoted value", "\"id\",\"a\"\r\n\"1\",abc\r\n", "record 2"),
                Arguments.of("text after the closing quote", "\"id\",\"a\"\r\n\"1\",\"abc\"x\r\n", "record 2"),
                Arguments.of("unterminated quote", "\"id\",\"a\"\r\n\"1\",\"abc\r\n", "record 2 ends inside a quoted value"),
                Arguments.of("too few values", "\"id\",\"a\"\r\n\"1\"\r\n", "record 2 has 1 values, the header 2"),
                Arguments.of("too many values", "\"id\",\"a\"\r\n\"1\",\"2\",\"3\"\r\n", "record 2 has 3 values"),
                Arguments.of("bare LF between records", "\"id\",\"a\"\n\"1\",\"2\"\r\n", "record 1"),
                Arguments.of("CR without LF", "\"id\",\"a\"\r\"1\",\"2\"\r\n", "record 1"),
                Arguments.of("a header without a name", "\"id\",\r\n\"1\",\"2\"\r\n", "record 1"),
                Arguments.of("nothing at all", "", "empty shard"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void malformedShardsAreRefusedWithTheRecord(String description, String shard, String message) {
        assertThatThrownBy(() -> readFast(new ByteArrayInputStream(shard.getBytes(StandardCharsets.UTF_8))))
                .isInstanceOf(IOException.class).hasMessageContaining(message);
    }
}
