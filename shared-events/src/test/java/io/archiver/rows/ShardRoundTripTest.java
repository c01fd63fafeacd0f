package io.archiver.rows;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.StringReader;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import org.apache.commons.csv.CSVPrinter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Promise 7: rows written to a shard the way the exporter writes them (canonical values,
 * {@link ShardFormat#CSV}, UTF-8) come back from {@link ShardFormat#parse} value for value.
 */
class ShardRoundTripTest {

    private static final List<String> RUN_COLUMNS = List.of("id", "msg_sent_date", "run_uuid", "status", "recipient", "subject",
            "body", "amount", "ratio", "attempts", "is_test", "created_at", "delivered_on", "payload", "checksum", "attachment");

    // ------------------------------------------------------------------ helpers

    /** Canonical values of typed values, as the exporter's row reader produces them. */
    static List<String> canonical(Object... values) {
        List<String> row = new ArrayList<>(values.length);
        for (Object value : values) {
            row.add(CanonicalValue.of(value));
        }
        return row;
    }

    /** Writes a shard exactly as the exporter does: CSVPrinter over a UTF-8 writer, printRecord per row. */
    static byte[] write(List<String> header, List<List<String>> rows) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (CSVPrinter printer = new CSVPrinter(new OutputStreamWriter(out, StandardCharsets.UTF_8), ShardFormat.CSV)) {
            printer.printRecord(header);
            for (List<String> row : rows) {
                printer.printRecord(row);
            }
        }
        return out.toByteArray();
    }

    static ShardFormat.Parsed parse(byte[] shard) throws IOException {
        return ShardFormat.parse(new InputStreamReader(new ByteArrayInputStream(shard), StandardCharsets.UTF_8));
    }

    static ShardFormat.Parsed roundTrip(List<String> header, List<List<String>> rows) throws IOException {
        ShardFormat.Parsed parsed = parse(write(header, rows));
        assertThat(parsed.header()).isEqualTo(header);
        assertThat(parsed.rows()).hasSameSizeAs(rows);
        for (int i = 0; i < rows.size(); i++) {
            assertThat(parsed.rows().get(i)).as("row %d", i).containsExactlyElementsOf(rows.get(i));
        }
        assertThat(digest(parsed.rows())).as("the deleter's digest of the parsed shard equals the exporter's")
                .isEqualTo(digest(rows));
        return parsed;
    }

    static String digest(List<List<String>> rows) {
        RowsDigest digest = new RowsDigest();
        rows.forEach(digest::add);
        return digest.hex();
    }

    /** The one value, parsed back from a shard where it is first, in the middle and last of its row, and alone. */
    static List<String> valueInEveryPosition(Object value) throws IOException {
        String v = CanonicalValue.of(value);
        List<String> found = new ArrayList<>();
        ShardFormat.Parsed parsed = roundTrip(List.of("a", "b", "c"), List.of(
                Arrays.asList(v, "x", "y"),
                Arrays.asList("x", v, "y"),
                Arrays.asList("x", "y", v),
                Arrays.asList(v, v, v)));
        found.add(parsed.rows().get(0).get(0));
        found.add(parsed.rows().get(1).get(1));
        found.add(parsed.rows().get(2).get(2));
        found.addAll(parsed.rows().get(3));
        ShardFormat.Parsed alone = roundTrip(List.of("only"), List.of(Arrays.asList(v), Arrays.asList("z"), Arrays.asList(v)));
        found.add(alone.rows().get(0).get(0));
        found.add(alone.rows().get(2).get(0));
        return found;
    }

    // ------------------------------------------------------------------ strings

    static Stream<Arguments> strings() {
        return Stream.of(
                Arguments.of("empty string", ""),
                Arguments.of("one space", " "),
                Arguments.of("leading and trailing spaces", "  padded  "),
                Arguments.of("tab", "\ta\t"),
                Arguments.of("LF", "\n"),
                Arguments.of("CR", "\r"),
                Arguments.of("CRLF", "\r\n"),
                Arguments.of("LF CR", "\n\r"),
                Arguments.of("embedded LF", "line 1\nline 2"),
                Arguments.of("embedded CR", "line 1\rline 2"),
                Arguments.of("embedded CRLF", "line 1\r\nline 2\r\n"),
                Arguments.of("blank lines", "\r\n\r\n\n\n"),
                Arguments.of("a quote", "\""),
                Arguments.of("two quotes", "\"\""),
                Arguments.of("quoted text", "\"quoted\""),
                Arguments.of("quotes and commas", "\"a\",\"b\""),
                Arguments.of("comma", ","),
                Arguments.of("commas", "a,b,,c,"),
                Arguments.of("the word NULL", "NULL"),
                Arguments.of("the word null", "null"),
                Arguments.of("MySQL's \\N", "\\N"),
                Arguments.of("backslashes", "C:\\dir\\\"x\\\""),
                Arguments.of("NUL character", "a\u0000b"),
                Arguments.of("control characters", "\u0001\u0007\u001b[0m\u007f"),
                Arguments.of("accents", "Zoë, Ångström, façade"),
                Arguments.of("CJK", "日本語のテキスト"),
                Arguments.of("RTL", "مرحبا بالعالم"),
                Arguments.of("emoji", "🚀"),
                Arguments.of("emoji ZWJ sequence and flag", "👨‍👩‍👧‍👦 🇩🇪"),
                Arguments.of("supplementary plane", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 𐍈"),
                Arguments.of("byte order mark", "\uFEFFbom"),
                Arguments.of("line and paragraph separators", "a\u2028b\u2029c\u0085d"),
                Arguments.of("comment marker", "# not a comment"),
                Arguments.of("formula", "=HYPERLINK(\"x\")"),
                Arguments.of("long text", "lorem ipsum, \"dolor\"\r\n".repeat(5_000)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("strings")
    void stringRoundTrips(String description, String value) throws IOException {
        assertThat(valueInEveryPosition(value)).allSatisfy(back -> assertThat(back).isEqualTo(value));
    }

    // ------------------------------------------------------------------ NULL

    @Test
    void nullAndEmptyStringStayDistinct() throws IOException {
        List<List<String>> rows = List.of(
                Arrays.asList(null, "", null),
                Arrays.asList("", null, ""),
                Arrays.asList(null, null, null),
                Arrays.asList("", "", ""));

        ShardFormat.Parsed parsed = roundTrip(List.of("a", "b", "c"), rows);

        assertThat(parsed.rows().get(0)).containsExactly(null, "", null);
        assertThat(parsed.rows().get(1)).containsExactly("", null, "");
        assertThat(parsed.rows().get(2)).containsExactly(null, null, null);
        assertThat(parsed.rows().get(3)).containsExactly("", "", "");
    }

    @Test
    void nullAndEmptyStringStayDistinctInASingleColumnShard() throws IOException {
        // a row holding one NULL is an empty line: it must neither vanish nor become ""
        List<List<String>> rows = List.of(
                Arrays.asList((String) null),
                Arrays.asList(""),
                Arrays.asList((String) null),
                Arrays.asList((String) null),
                Arrays.asList("x"),
                Arrays.asList((String) null));

        ShardFormat.Parsed parsed = roundTrip(List.of("only"), rows);

        assertThat(parsed.rows()).extracting(row -> row.get(0)).containsExactly(null, "", null, null, "x", null);
    }

    @Test
    void nullIsAnUnquotedEmptyFieldAndEveryOtherValueIsQuoted() throws IOException {
        byte[] shard = write(List.of("id", "a", "b", "c"), List.of(Arrays.asList("1", null, "", "x\"y")));

        assertThat(new String(shard, StandardCharsets.UTF_8)).isEqualTo("\"id\",\"a\",\"b\",\"c\"\r\n\"1\",,\"\",\"x\"\"y\"\r\n");
    }

    @Test
    void aHeaderOnlyShardHasNoRows() throws IOException {
        ShardFormat.Parsed parsed = roundTrip(RUN_COLUMNS, List.of());
        assertThat(parsed.rows()).isEmpty();
    }

    @Test
    void anEmptyFileIsNotAShard() {
        assertThatThrownBy(() -> ShardFormat.parse(new StringReader(""))).isInstanceOf(IOException.class);
    }

    @Test
    void aRowWithTheWrongNumberOfValuesIsRejected() {
        assertThatThrownBy(() -> ShardFormat.parse(new StringReader("\"a\",\"b\"\r\n\"1\"\r\n"))).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> ShardFormat.parse(new StringReader("\"a\",\"b\"\r\n\"1\",\"2\",\"3\"\r\n")))
                .isInstanceOf(IOException.class);
    }

    // ------------------------------------------------------------------ binary

    static Stream<Arguments> binaries() {
        byte[] everyByte = new byte[256];
        for (int i = 0; i < 256; i++) {
            everyByte[i] = (byte) i;
        }
        byte[] random = new byte[100_003];
        new Random(7).nextBytes(random);
        return Stream.of(
                Arguments.of("no bytes", new byte[0]),
                Arguments.of("one zero byte", new byte[] {0}),
                Arguments.of("zero bytes", new byte[] {0, 0, 0, 0}),
                Arguments.of("every byte value", everyByte),
                Arguments.of("invalid UTF-8: lone continuation", new byte[] {(byte) 0x80}),
                Arguments.of("invalid UTF-8: truncated sequence", new byte[] {'a', (byte) 0xC3}),
                Arguments.of("invalid UTF-8: bad second byte", new byte[] {(byte) 0xC3, 0x28}),
                Arguments.of("invalid UTF-8: encoded surrogate", new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}),
                Arguments.of("invalid UTF-8: FF FE", new byte[] {(byte) 0xFF, (byte) 0xFE, 0, 0}),
                Arguments.of("overlong NUL", new byte[] {(byte) 0xC0, (byte) 0x80}),
                Arguments.of("CR LF quote comma bytes", "\r\n\",".getBytes(StandardCharsets.US_ASCII)),
                Arguments.of("SHA-256 sized", Arrays.copyOf(everyByte, 32)),
                Arguments.of("100 kB random", random));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("binaries")
    void binaryRoundTripsToTheSameBytes(String description, byte[] bytes) throws IOException {
        List<String> back = valueInEveryPosition(bytes);

        assertThat(back).allSatisfy(text -> assertThat(Base64.getDecoder().decode(text)).isEqualTo(bytes));
    }

    @Test
    void emptyBinaryIsNotNull() throws IOException {
        ShardFormat.Parsed parsed = roundTrip(List.of("checksum", "attachment"), List.of(canonical(new byte[0], null)));

        assertThat(parsed.rows().get(0).get(0)).isEqualTo("");
        assertThat(parsed.rows().get(0).get(1)).isNull();
    }

    @Test
    void differentBytesGiveDifferentCanonicalValues() {
        assertThat(CanonicalValue.of(new byte[] {0})).isNotEqualTo(CanonicalValue.of(new byte[] {0, 0}))
                .isNotEqualTo(CanonicalValue.of(new byte[0]));
        assertThat(CanonicalValue.of(new byte[] {(byte) 0xC3, 0x28})).isNotEqualTo(CanonicalValue.of(new byte[] {(byte) 0xC3}));
    }

    // ------------------------------------------------------------------ numbers

    static Stream<BigDecimal> decimals() {
        return Stream.of("1.2300", "0.0000", "0", "-0.0001", "-1.5000", "123456789012345.6789", "-999999999999999.9999",
                "0.1", "1E-10", "12345678901234567890123456789.123456789").map(BigDecimal::new);
    }

    @ParameterizedTest
    @MethodSource("decimals")
    void decimalsKeepValueAndScale(BigDecimal decimal) throws IOException {
        List<String> back = valueInEveryPosition(decimal);

        assertThat(back).allSatisfy(text -> {
            BigDecimal parsed = new BigDecimal(text);
            assertThat(parsed).isEqualByComparingTo(decimal);
            assertThat(parsed.scale()).isEqualTo(decimal.scale());
            assertThat(text).doesNotContainIgnoringCase("e");
        });
    }

    @Test
    void decimalScaleIsPartOfTheValue() {
        assertThat(CanonicalValue.of(new BigDecimal("1.2300"))).isEqualTo("1.2300");
        assertThat(CanonicalValue.of(new BigDecimal("1.23"))).isEqualTo("1.23");
        assertThat(CanonicalValue.of(new BigDecimal("-0.0001"))).isEqualTo("-0.0001");
        assertThat(CanonicalValue.of(new BigDecimal("1E-10"))).isEqualTo("0.0000000001");
    }

    static Stream<Double> doubles() {
        return Stream.of(0.0, -0.0, 1.0, -1.0, 0.1, 1.0 / 3, 1e-300, -1e-300, 1e300, Double.MIN_VALUE, -Double.MIN_VALUE,
                Double.MIN_NORMAL, Double.MAX_VALUE, -Double.MAX_VALUE, 123456789.123456789, 1e21, 1e-7, Double.NaN,
                Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY);
    }

    @ParameterizedTest
    @MethodSource("doubles")
    void doublesRoundTripBitForBit(Double value) throws IOException {
        List<String> back = valueInEveryPosition(value);

        assertThat(back).allSatisfy(text -> assertThat(Double.doubleToRawLongBits(Double.parseDouble(text)))
                .as("%s came back as %s", value, text).isEqualTo(Double.doubleToRawLongBits(value)));
    }

    @Test
    void negativeZeroIsNotZero() {
        assertThat(CanonicalValue.of(-0.0)).isNotEqualTo(CanonicalValue.of(0.0));
    }

    @Test
    void floatsRoundTrip() throws IOException {
        for (float f : new float[] {0.1f, -3.4028235e38f, 1.4e-45f, 16_777_217f, -0.0f}) {
            String back = valueInEveryPosition(f).get(0);
            assertThat(Float.floatToRawIntBits((float) Double.parseDouble(back))).as("%s", f).isEqualTo(Float.floatToRawIntBits(f));
        }
    }

    @Test
    void integersRoundTrip() throws IOException {
        for (Object value : List.<Object>of(Long.MIN_VALUE, Long.MAX_VALUE, Integer.MIN_VALUE, 0, (short) -32768, (byte) 127,
                new BigInteger("18446744073709551615"))) {
            assertThat(valueInEveryPosition(value)).allSatisfy(text -> assertThat(new BigInteger(text).toString())
                    .isEqualTo(value.toString()));
        }
    }

    @Test
    void booleansRoundTrip() throws IOException {
        assertThat(valueInEveryPosition(true)).containsOnly("1");
        assertThat(valueInEveryPosition(false)).containsOnly("0");
    }

    // ------------------------------------------------------------------ dates

    static Stream<LocalDateTime> dateTimes() {
        return Stream.of(
                LocalDateTime.of(2026, 11, 23, 4, 5, 6, 789_000_000),
                LocalDateTime.of(2026, 11, 23, 4, 5, 6),
                LocalDateTime.of(2026, 11, 23, 0, 0, 0),
                LocalDateTime.of(2026, 11, 23, 4, 5, 6, 1_000_000),
                LocalDateTime.of(2026, 11, 23, 4, 5, 6, 100_000_000),
                LocalDateTime.of(2026, 11, 23, 4, 5, 6, 123_456_000),
                LocalDateTime.of(1000, 1, 1, 0, 0, 0),
                LocalDateTime.of(9999, 12, 31, 23, 59, 59, 999_000_000),
                LocalDateTime.of(2024, 2, 29, 12, 0, 0, 500_000_000));
    }

    @ParameterizedTest
    @MethodSource("dateTimes")
    void dateTimesRoundTrip(LocalDateTime value) throws IOException {
        assertThat(valueInEveryPosition(value)).allSatisfy(text -> {
            assertThat(LocalDateTime.parse(text, CanonicalValue.DATE_TIME)).isEqualTo(value);
            assertThat(text).matches("\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}(\\.\\d+)?");
        });
    }

    @Test
    void dateTimesHaveSecondsAlwaysAndTheFractionOnlyAsLongAsNeeded() {
        assertThat(CanonicalValue.of(LocalDateTime.of(2026, 11, 23, 4, 5, 6, 789_000_000))).isEqualTo("2026-11-23 04:05:06.789");
        assertThat(CanonicalValue.of(LocalDateTime.of(2026, 11, 23, 4, 5, 6))).isEqualTo("2026-11-23 04:05:06");
        assertThat(CanonicalValue.of(LocalDateTime.of(2026, 11, 23, 4, 5))).isEqualTo("2026-11-23 04:05:00");
        assertThat(CanonicalValue.of(LocalDateTime.of(2026, 11, 23, 4, 5, 6, 100_000_000))).isEqualTo("2026-11-23 04:05:06.1");
    }

    @Test
    void datesRoundTrip() throws IOException {
        for (LocalDate date : List.of(LocalDate.of(2026, 1, 2), LocalDate.of(1000, 1, 1), LocalDate.of(9999, 12, 31),
                LocalDate.of(2024, 2, 29))) {
            assertThat(valueInEveryPosition(date)).allSatisfy(text -> assertThat(LocalDate.parse(text)).isEqualTo(date));
        }
        assertThat(CanonicalValue.of(LocalDate.of(2026, 1, 2))).isEqualTo("2026-01-02");
    }

    // ------------------------------------------------------------------ JSON

    @Test
    void jsonTextRoundTrips() throws IOException {
        List<String> documents = List.of(
                "{\"a\":[1,2.50,{\"b\":\"c\\\"d\"}],\"e\":null,\"ü\":\"🚀\",\"f\":\"x,y\"}",
                "{\n  \"pretty\": true,\r\n  \"list\": [\n    \"\\n\"\n  ]\n}",
                "[]", "{}", "\"a string\"", "null", "42", "\"\"");
        for (String json : documents) {
            assertThat(valueInEveryPosition(json)).allSatisfy(text -> assertThat(text).isEqualTo(json));
        }
    }

    // ------------------------------------------------------------------ whole rows

    @Test
    void rowsOfTheRunTableRoundTrip() throws IOException {
        List<List<String>> rows = List.of(
                canonical(1L, 1_700_000_000_123L, "3f2b8c1e-5d4a-4e8f-9b0c-1a2b3c4d5e6f", "SENT", "zoë@example.org",
                        "Grüße 🚀, \"quoted\"", "line 1\r\nline 2\nline 3\r", new BigDecimal("1.2300"), 1e-300, 3, true,
                        LocalDateTime.of(2025, 9, 1, 12, 30, 45, 120_000_000), LocalDate.of(2025, 9, 2),
                        "{\"k\": [1, \"two\", null], \"nested\": {\"x\": \"a,b\"}}", new byte[] {0, (byte) 0xff, 0x0d, 0x0a},
                        new byte[] {(byte) 0xC3, 0x28, 0}),
                canonical(2L, 1_700_000_000_124L, "00000000-0000-0000-0000-000000000000", "", null, "", null, null, null, null,
                        false, LocalDateTime.of(2025, 9, 1, 0, 0), null, null, new byte[0], null),
                canonical(Long.MAX_VALUE, 0L, "x", "  padded  ", " ", "\"", ",", new BigDecimal("-0.0001"), -0.0, -2_147_483_648,
                        false, LocalDateTime.of(1000, 1, 1, 0, 0, 0, 1_000_000), LocalDate.of(9999, 12, 31), "\"\"", null,
                        new byte[] {0}));

        ShardFormat.Parsed parsed = roundTrip(RUN_COLUMNS, rows);

        List<String> first = parsed.rows().get(0);
        assertThat(new BigDecimal(first.get(7)).scale()).isEqualTo(4);
        assertThat(Base64.getDecoder().decode(first.get(14))).containsExactly(0, 0xff, 0x0d, 0x0a);
        assertThat(Base64.getDecoder().decode(first.get(15))).containsExactly(0xC3, 0x28, 0);
        assertThat(LocalDateTime.parse(first.get(11), CanonicalValue.DATE_TIME))
                .isEqualTo(LocalDateTime.of(2025, 9, 1, 12, 30, 45, 120_000_000));
        assertThat(parsed.rows().get(1).get(4)).isNull();
        assertThat(parsed.rows().get(1).get(5)).isEmpty();
        assertThat(parsed.rows().get(1).get(14)).isEmpty();
    }

    @Test
    void randomRowsOfNastyValuesRoundTrip() throws IOException {
        String[] pieces = {"", " ", "a", "é", "🚀", "\"", ",", "\r", "\n", "\r\n", "\u0000", "\\", "NULL", "'", "\t", "\uFEFF",
                "日本"};
        Random random = new Random(20260102L);
        List<List<String>> rows = new ArrayList<>();
        for (int r = 0; r < 2_000; r++) {
            List<String> row = new ArrayList<>();
            for (int c = 0; c < 6; c++) {
                if (random.nextInt(5) == 0) {
                    row.add(null);
                    continue;
                }
                StringBuilder value = new StringBuilder();
                int length = random.nextInt(6);
                for (int i = 0; i < length; i++) {
                    value.append(pieces[random.nextInt(pieces.length)]);
                }
                row.add(value.toString());
            }
            rows.add(row);
        }

        roundTrip(List.of("c1", "c2", "c3", "c4", "c5", "c6"), rows);
    }
}
