package io.archiver.rows;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The rows digest the exporter computes over what it wrote and the deleter over what it is about to delete. */
class RowsDigestTest {

    @SafeVarargs
    static String digest(List<String>... rows) {
        RowsDigest digest = new RowsDigest();
        for (List<String> row : rows) {
            digest.add(row);
        }
        return digest.hex();
    }

    static List<String> row(String... values) {
        return Arrays.asList(values);
    }

    @Test
    void sameRowsGiveTheSameDigest() {
        List<String> a = row("1", null, "", "é🚀", "line\r\n");
        List<String> b = new ArrayList<>(List.of("2", "x"));
        List<String> aCopy = new ArrayList<>(a);

        assertThat(digest(a, b)).isEqualTo(digest(aCopy, new ArrayList<>(b)));
        assertThat(digest()).isEqualTo(digest());
    }

    @Test
    void digestIsSha256AsLowerCaseHexAndCountsRows() {
        RowsDigest digest = new RowsDigest().add(row("a")).add(row("b", null)).add(row());

        assertThat(digest.rows()).isEqualTo(3);
        assertThat(digest.hex()).matches("[0-9a-f]{64}");
        assertThat(new RowsDigest().rows()).isZero();
    }

    @Test
    void theFormatIsPinned() throws Exception {
        // per value: 0 for NULL, else 1, the UTF-8 length as four big-endian bytes and the bytes; '\n' ends a row.
        // Exporter and deleter may run different builds: this form must never change silently.
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        expected.writeBytes(new byte[] {1, 0, 0, 0, 1, 'a', 0, 1, 0, 0, 0, 2});
        expected.writeBytes("é".getBytes(StandardCharsets.UTF_8));
        expected.writeBytes(new byte[] {1, 0, 0, 0, 0, '\n', '\n'});
        String sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(expected.toByteArray()));

        assertThat(digest(row("a", null, "é", ""), row())).isEqualTo(sha256);
        assertThat(digest()).isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    }

    static Stream<Arguments> differentRowSets() {
        return Stream.of(
                Arguments.of("NULL vs empty string", List.of(row((String) null)), List.of(row(""))),
                Arguments.of("NULL vs the word NULL", List.of(row((String) null)), List.of(row("NULL"))),
                Arguments.of("changed value", List.of(row("1", "a")), List.of(row("1", "b"))),
                Arguments.of("changed by one trailing space", List.of(row("a")), List.of(row("a "))),
                Arguments.of("CRLF vs LF", List.of(row("a\r\nb")), List.of(row("a\nb"))),
                Arguments.of("row order", List.of(row("1"), row("2")), List.of(row("2"), row("1"))),
                Arguments.of("value order", List.of(row("1", "2")), List.of(row("2", "1"))),
                Arguments.of("value boundary", List.of(row("ab", "")), List.of(row("a", "b"))),
                Arguments.of("value boundary with NULL", List.of(row("ab", null)), List.of(row("a", "b"))),
                Arguments.of("row boundary", List.of(row("a"), row("b")), List.of(row("a", "b"))),
                Arguments.of("row boundary vs newline in value", List.of(row("a\n")), List.of(row("a"), row())),
                Arguments.of("empty row vs no row", List.of(row()), List.of()),
                Arguments.of("empty row vs empty string", List.of(row()), List.of(row(""))),
                Arguments.of("empty row vs NULL", List.of(row()), List.of(row((String) null))),
                Arguments.of("two NULLs vs one", List.of(row(null, null)), List.of(row((String) null))),
                Arguments.of("NULLs across rows", List.of(row(null, null)), List.of(row((String) null), row((String) null))),
                Arguments.of("marker bytes as text", List.of(row("\u0001")), List.of(row("\u0000"))),
                Arguments.of("text that looks like an encoded value", List.of(row("\u0000\u0000\u0000\u0001a")),
                        List.of(row("a"))),
                Arguments.of("one more row", List.of(row("a")), List.of(row("a"), row("a"))),
                Arguments.of("unicode normalisation", List.of(row("é")), List.of(row("e\u0301"))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("differentRowSets")
    void differentRowsGiveDifferentDigests(String description, List<List<String>> one, List<List<String>> other) {
        RowsDigest a = new RowsDigest();
        one.forEach(a::add);
        RowsDigest b = new RowsDigest();
        other.forEach(b::add);

        assertThat(a.hex()).isNotEqualTo(b.hex());
    }

    @Test
    void noCollisionsAmongManySmallRowSets() {
        // every row set of up to two rows, each of up to two values from a small alphabet that includes NULL,
        // the empty string and the digest's own marker and separator characters
        String[] alphabet = {null, "", "a", "b", "ab", "\n", "\u0000", "\u0001"};
        List<List<String>> rows = new ArrayList<>();
        rows.add(row());
        for (String x : alphabet) {
            rows.add(row(x));
            for (String y : alphabet) {
                rows.add(row(x, y));
            }
        }
        Set<String> digests = new HashSet<>();
        int sets = 0;
        for (List<String> first : rows) {
            assertThat(digests.add(digest(first))).as("collision for %s", first).isTrue();
            sets++;
            for (List<String> second : rows) {
                assertThat(digests.add(digest(first, second))).as("collision for %s, %s", first, second).isTrue();
                sets++;
            }
        }
        assertThat(digests).hasSize(sets);
    }
}
