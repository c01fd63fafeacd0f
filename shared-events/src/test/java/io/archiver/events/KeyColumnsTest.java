package io.archiver.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The key model's texts (issue 22, keys): canonical values, exact binding, the ledger's text and the object name's range. */
class KeyColumnsTest {

    private static final KeyColumns BASKET = KeyColumns.of(new KeyColumns.Column("basketId", KeyKind.SIGNED_INTEGER),
            new KeyColumns.Column("positionId", KeyKind.SIGNED_INTEGER), new KeyColumns.Column("businessDate", KeyKind.DATE));
    private static final KeyColumns CODE = KeyColumns.of(new KeyColumns.Column("code", KeyKind.TEXT));
    private static final KeyColumns UNSIGNED = KeyColumns.of(new KeyColumns.Column("id", KeyKind.UNSIGNED_INTEGER));
    private static final KeyColumns AT = KeyColumns.of(new KeyColumns.Column("at", KeyKind.DATETIME));
    private static final String RUN = "3f2b8c1e-5d4a-4e8f-9b0c-1a2b3c4d5e6f";

    @Test
    void theLargestBigintUnsignedIsBoundAsAnExactDecimalNotALong() {
        List<Object> bound = UNSIGNED.bind(KeyValue.of("18446744073709551615"));

        assertThat(bound).containsExactly(new BigDecimal("18446744073709551615"));
        assertThat(KeyKind.UNSIGNED_INTEGER.text(new BigDecimal("9223372036854775808"))).isEqualTo("9223372036854775808");
        assertThat(KeyKind.UNSIGNED_INTEGER.text(Long.MAX_VALUE)).isEqualTo("9223372036854775807");
    }

    @Test
    void datesAndDatetimesHaveOneTextEach() {
        assertThat(BASKET.bind(KeyValue.of("42", "-7", "2025-06-15"))).containsExactly(42L, -7L, LocalDate.of(2025, 6, 15));
        assertThat(AT.bind(KeyValue.of("2025-06-15 10:20:30.5"))).containsExactly(LocalDateTime.of(2025, 6, 15, 10, 20, 30, 500_000_000));
        assertThat(KeyKind.DATETIME.text(LocalDateTime.of(2025, 6, 15, 10, 20, 30))).isEqualTo("2025-06-15 10:20:30");
        assertThat(KeyKind.DATETIME.text(LocalDateTime.of(2025, 6, 15, 10, 20, 30, 120_000_000))).isEqualTo("2025-06-15 10:20:30.12");
    }

    @ParameterizedTest
    @CsvSource({ "UNSIGNED_INTEGER, 18446744073709551616, outside", "UNSIGNED_INTEGER, -1, outside", "SIGNED_INTEGER, 007, write '7'",
            "SIGNED_INTEGER, 9223372036854775808, outside", "DATE, 2025-6-15, yyyy-MM-dd", "DATETIME, 2025-06-15 10:20:30.500, write '2025-06-15 10:20:30.5'",
            "SIGNED_INTEGER, 1e3, decimal integer" })
    void aValueNotInItsKindsCanonicalFormIsRefusedNamingTheColumnAndTheForm(KeyKind kind, String text, String hint) {
        KeyColumns key = KeyColumns.of(new KeyColumns.Column("k", kind));

        assertThatThrownBy(() -> key.check(KeyValue.of(text), "scope.firstKey")).isInstanceOf(EventValidationException.class)
                .hasMessageContaining("scope.firstKey[0] (k)").hasMessageContaining(hint);
    }

    @Test
    void aKeyWithTooFewPartsIsRefused() {
        assertThatThrownBy(() -> BASKET.check(KeyValue.of("42", "7"), "scope.lastKey")).hasMessageContaining("scope.lastKey has 2 parts")
                .hasMessageContaining("[basketId, positionId, businessDate]");
    }

    @Test
    void theLedgersTextIsJsonWithEveryNonAsciiCharacterEscapedAndParsesBack() {
        KeyValue key = KeyValue.of("Straße \"7\"", "", "a\\b\n");

        assertThat(key.text()).isEqualTo("[\"Stra\\u00dfe \\\"7\\\"\",\"\",\"a\\\\b\\u000a\"]");
        assertThat(KeyValue.parse(key.text(), "first_key")).isEqualTo(key);
        assertThatThrownBy(() -> KeyValue.parse("[42]", "first_key")).hasMessageContaining("first_key has a part that is not a string");
        assertThatThrownBy(() -> KeyValue.parse("42", "first_key")).hasMessageContaining("first_key is not a key's JSON text");
    }

    @Test
    void anObjectNamesACompositeRangeReadably() {
        BatchScope scope = BatchScope.ofKeys("baskets", "basket_position", SampleEvents.CUTOFF, KeyValue.of("42", "7", "2025-06-15"),
                KeyValue.of("43", "-1", "2025-06-16"), ArchiveMode.DELETE, LocalDate.of(2026, 1, 2));

        assertThat(ArchiveObjectKey.of("baskets/", RUN, scope, BASKET, ShardCompression.GZIP))
                .isEqualTo("baskets/basket_position_archive_20260102_baskets_42.7.20250615-43.m1.20250616_" + RUN + ".csv.gz");
        assertThatThrownBy(() -> ArchiveObjectKey.fileName(RUN, scope, ShardCompression.NONE)).hasMessageContaining("key columns");
    }

    @Test
    void theRunTablesObjectNamesAreThoseOfBefore() {
        BatchScope scope = new BatchScope("run_60d", "run", SampleEvents.CUTOFF, 1, 5_000, ArchiveMode.DELETE, LocalDate.of(2026, 1, 2));
        KeyColumns id = KeyColumns.of(new KeyColumns.Column("id", KeyKind.SIGNED_INTEGER));

        assertThat(ArchiveObjectKey.fileName(RUN, scope, id, ShardCompression.NONE))
                .isEqualTo("run_archive_20260102_run_60d_0000000000000000001-0000000000000005000_" + RUN + ".csv")
                .isEqualTo(ArchiveObjectKey.fileName(RUN, scope, ShardCompression.NONE));
    }

    @Test
    void textKeysKeepLettersAndDigitsAndEscapeEveryOtherByteSoThatNoTwoRangesShareAName() {
        assertThat(CODE.objectKeyRange(KeyValue.of("ab-C.d_é"), KeyValue.of(""))).isEqualTo("ab_2dC_2ed_5f_c3_a9-_");
        assertThat(AT.objectKeyRange(KeyValue.of("2025-06-15 10:20:30.5"), KeyValue.of("2025-06-15 10:20:31")))
                .isEqualTo("20250615T1020305-20250615T102031");
        assertThat(UNSIGNED.objectKeyRange(KeyValue.of("9223372036854775808"), KeyValue.of("18446744073709551615")))
                .isEqualTo("9223372036854775808-18446744073709551615");

        List<String> texts = List.of("", "_", "a", "A", "a-b", "a.b", "a_2db", "a_2eb", "-", ".", "é", "_c3_a9", "2025-06-15", "20250615");
        Set<String> names = new HashSet<>();
        for (String first : texts) {
            for (String last : texts) {
                String name = CODE.objectKeyRange(KeyValue.of(first), KeyValue.of(last));
                assertThat(ArchiveObjectKey.isPlainFileName("x_" + name + "_y.csv")).as(name).isTrue();
                assertThat(names.add(name)).as("%s..%s named %s, as another range", first, last, name).isTrue();
            }
        }
    }

    @Test
    void aRangeTooLongForAFileNameIsNamedByItsHash() {
        String longText = "x".repeat(200);
        String range = CODE.objectKeyRange(KeyValue.of(longText), KeyValue.of(longText + "y"));

        assertThat(range).matches("h[0-9a-f]{40}").isNotEqualTo(CODE.objectKeyRange(KeyValue.of(longText), KeyValue.of(longText + "z")));
        assertThat(ArchiveObjectKey.fileName(RUN, BatchScope.ofKeys("codes", "code_table", SampleEvents.CUTOFF, KeyValue.of(longText),
                KeyValue.of(longText + "y"), ArchiveMode.DELETE, LocalDate.of(2026, 1, 2)), CODE, ShardCompression.GZIP))
                .hasSizeLessThanOrEqualTo(ArchiveObjectKey.MAX_NAME);
    }
}
