package io.archiver.rows;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

/**
 * {@link CanonicalEncoding#addValue(Object)}, the export's and the delete's path from a table's value to
 * its canonical bytes without a String in between, against the reference path: the UTF-8 bytes of
 * {@link CanonicalValue#of(Object)}. Archived objects and the rows the deleter compares with them must
 * not depend on which path made them.
 */
class CanonicalEncodingTest {

    private static final Random RANDOM = new Random(20261201);

    @Test
    void integersAreWrittenAsLongToStringWrites() {
        List<Object> values = new ArrayList<>(List.of(0L, 1L, -1L, 9L, 10L, -10L, 99L, 100L, Long.MAX_VALUE, Long.MIN_VALUE,
                Long.MIN_VALUE + 1, Integer.MAX_VALUE, Integer.MIN_VALUE, (short) -32768, (short) 32767, (byte) -128, (byte) 127, (byte) 0));
        for (int i = 0; i < 20_000; i++) {
            long v = RANDOM.nextLong() >> RANDOM.nextInt(64);
            values.add(v);
            values.add((int) v);
        }
        for (long p = 1; p > 0 && p < Long.MAX_VALUE / 10; p *= 10) {
            values.addAll(List.of(p, p - 1, -p, -(p - 1), p * 10 - 1));
        }
        assertSameBytes(values);
    }

    @Test
    void dateTimesAreWrittenAsTheCanonicalFormatterWrites() {
        List<Object> values = new ArrayList<>(List.of(LocalDateTime.of(0, 1, 1, 0, 0), LocalDateTime.of(9999, 12, 31, 23, 59, 59, 999_999_999),
                LocalDateTime.of(2026, 11, 23, 4, 5, 6), LocalDateTime.of(2026, 11, 23, 4, 5, 6, 789_000_000),
                LocalDateTime.of(2026, 11, 23, 4, 5, 6, 100_000_000), LocalDateTime.of(2026, 11, 23, 4, 5, 6, 1),
                LocalDateTime.of(2026, 11, 23, 4, 5, 6, 10), LocalDateTime.of(2026, 11, 23, 4, 5, 6, 123_456_000),
                // outside 0..9999 the formatter adds a sign or more digits: those take the reference path
                LocalDateTime.of(10_000, 1, 1, 0, 0), LocalDateTime.of(-1, 6, 15, 12, 0, 0, 500_000_000)));
        for (int i = 0; i < 20_000; i++) {
            int nanos = switch (i % 4) {
                case 0 -> 0;
                case 1 -> RANDOM.nextInt(1000) * 1_000_000;
                case 2 -> RANDOM.nextInt(1_000_000) * 1_000;
                default -> RANDOM.nextInt(1_000_000_000);
            };
            values.add(LocalDateTime.of(RANDOM.nextInt(10_000), 1 + RANDOM.nextInt(12), 1 + RANDOM.nextInt(28), RANDOM.nextInt(24),
                    RANDOM.nextInt(60), RANDOM.nextInt(60), nanos));
        }
        assertSameBytes(values);
    }

    @Test
    void binaryIsWrittenAsStandardBase64() {
        List<Object> values = new ArrayList<>();
        for (int length = 0; length < 300; length++) {
            byte[] bytes = new byte[length];
            RANDOM.nextBytes(bytes);
            values.add(bytes);
        }
        byte[] large = new byte[70_000];
        RANDOM.nextBytes(large);
        values.add(large);
        assertSameBytes(values);
    }

    @Test
    void decimalsAndDoublesAreWrittenAsTheirPlainAndShortestForms() {
        List<Object> values = new ArrayList<>(List.of(BigDecimal.ZERO, new BigDecimal("0.0000"), new BigDecimal("-12345.6789"),
                new BigDecimal("1E+5"), new BigDecimal("1E-12"), new BigDecimal(new BigInteger("123456789012345678901234567890"), 4),
                0.0, -0.0, 1.0, -1.5, Double.MIN_VALUE, Double.MAX_VALUE, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY,
                1e-10, 1e21, 123456789.125, 1e23, 2.82879384806159E17, 1e7, 9_999_999.0, 1e-3, 9.99e-4));
        for (int i = 0; i < 5_000; i++) {
            values.add(BigDecimal.valueOf(RANDOM.nextLong(), RANDOM.nextInt(20) - 4));
            values.add(Double.longBitsToDouble(RANDOM.nextLong()));
            values.add(RANDOM.nextDouble() * 1_000_000);
        }
        assertSameBytes(values);
    }

    @Test
    void everyOtherTypeTakesTheReferencePath() {
        assertSameBytes(Arrays.asList(null, "", "plain", "é🚀 \"quoted\"\r\nline", "{\"a\": [1, 2]}", true, false, 1.25f, Float.NaN,
                0.1f, Float.MAX_VALUE, -Float.MIN_VALUE, java.time.Duration.ofSeconds(-3_020_399), java.time.Duration.ofMillis(3_500),
                LocalDate.of(2026, 11, 23), LocalDate.of(12_345, 1, 1), LocalTime.of(4, 5), LocalTime.of(4, 5, 6, 7_000),
                OffsetDateTime.of(2026, 11, 23, 4, 5, 6, 789_000_000, ZoneOffset.ofHours(2)), BigInteger.TEN.pow(30)));
    }

    @Test
    void aRowOfMixedValuesEncodesAsItsCanonicalValues() {
        List<Object> row = Arrays.asList(42L, 1_790_000_000_000L, "d1c6b5b4-0000-4000-8000-000000000000", null, "",
                new BigDecimal("12.3400"), 0.5, 3, (short) 1, LocalDateTime.of(2026, 9, 1, 10, 11, 12, 345_000_000), LocalDate.of(2026, 9, 2),
                "{\"k\": \"v\"}", new byte[] { 0, -1, 34, 10 }, null);
        CanonicalEncoding fast = new CanonicalEncoding();
        row.forEach(fast::addValue);
        List<String> text = new ArrayList<>();
        row.forEach(v -> text.add(CanonicalValue.of(v)));
        CanonicalEncoding reference = new CanonicalEncoding().row(text);
        assertThat(Arrays.copyOf(fast.bytes(), fast.length())).isEqualTo(Arrays.copyOf(reference.bytes(), reference.length()));
        assertThat(fast.size()).isEqualTo(row.size());
        for (int i = 0; i < row.size(); i++) {
            assertThat(fast.string(i)).as("value %d", i).isEqualTo(text.get(i));
            assertThat(fast.valueLength(i)).isEqualTo(text.get(i) == null ? -1 : text.get(i).getBytes(java.nio.charset.StandardCharsets.UTF_8).length);
        }
        assertThat(fast.longValue(0)).isEqualTo(42L);
    }

    /** Each value alone, and all of them in one row (so that growing the buffer is covered), give the reference bytes. */
    private static void assertSameBytes(List<Object> values) {
        CanonicalEncoding fast = new CanonicalEncoding();
        CanonicalEncoding reference = new CanonicalEncoding();
        for (Object value : values) {
            fast.reset().addValue(value);
            reference.reset().add(CanonicalValue.of(value));
            assertThat(Arrays.copyOf(fast.bytes(), fast.length())).as("%s (%s)", describe(value), value == null ? "null" : value.getClass())
                    .isEqualTo(Arrays.copyOf(reference.bytes(), reference.length()));
        }
        fast.reset();
        reference.reset();
        for (Object value : values) {
            fast.addValue(value);
            reference.add(CanonicalValue.of(value));
        }
        assertThat(fast.length()).isEqualTo(reference.length());
        assertThat(Arrays.copyOf(fast.bytes(), fast.length())).isEqualTo(Arrays.copyOf(reference.bytes(), reference.length()));
    }

    private static String describe(Object value) {
        return value instanceof byte[] bytes ? bytes.length + " bytes" : String.valueOf(value);
    }
}
