package io.archiver.rows;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.util.Random;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Promise 7, the Java side of docs/csv-format.md: the text each value a client returns is written as,
 * pinned value by value (the table's rows read through the server are pinned by table-access's
 * TypeMatrixReadTest). Both encoding paths must give these texts: CanonicalEncodingTest holds them equal.
 */
class CanonicalFormsTest {

    static Stream<Arguments> times() {
        return Stream.of(
                Arguments.of(Duration.ZERO, "00:00:00"),
                Arguments.of(Duration.ofSeconds(3), "00:00:03"),
                Arguments.of(Duration.ofSeconds(-1), "-00:00:01"),
                Arguments.of(Duration.ofMillis(-500), "-00:00:00.5"),
                Arguments.of(Duration.ofHours(24), "24:00:00"),
                Arguments.of(Duration.ofHours(100).plusNanos(500_000_000), "100:00:00.5"),
                Arguments.of(Duration.ofHours(838).plusMinutes(59).plusSeconds(59), "838:59:59"),
                Arguments.of(Duration.ofHours(-838).minusMinutes(59).minusSeconds(59), "-838:59:59"),
                Arguments.of(Duration.ofHours(-838).minusMinutes(59).minusSeconds(59).minusNanos(999_999_000), "-838:59:59.999999"),
                Arguments.of(Duration.ofSeconds(45_296, 1_000), "12:34:56.000001"),
                Arguments.of(Duration.ofSeconds(-45_296, -120_000_000), "-12:34:56.12"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("times")
    void aTimeIsWrittenAsTheServerPrintsItWithoutTrailingZerosOfItsFraction(Duration value, String text) {
        assertThat(CanonicalValue.of(value)).isEqualTo(text);
        assertThat(CanonicalValue.of(value)).doesNotContain("PT");
    }

    @Test
    void aDoubleIsTheShortestTextThatReadsBackAsTheSameDouble() {
        assertThat(CanonicalValue.of(Double.MAX_VALUE)).isEqualTo("1.7976931348623157E308");
        assertThat(CanonicalValue.of(-Double.MAX_VALUE)).isEqualTo("-1.7976931348623157E308");
        assertThat(CanonicalValue.of(Double.MIN_VALUE)).isEqualTo("4.9E-324");
        assertThat(CanonicalValue.of(Double.MIN_NORMAL)).isEqualTo("2.2250738585072014E-308");
        assertThat(CanonicalValue.of(0.1)).isEqualTo("0.1");
        assertThat(CanonicalValue.of(-0.0)).isEqualTo("-0.0");
        assertThat(CanonicalValue.of(1e7)).isEqualTo("1.0E7");
        assertThat(CanonicalValue.of(9_999_999.0)).isEqualTo("9999999.0");
        // Java 17's Double.toString writes 9.999999999999999E22 and 2.82879384806159008E17 here: longer, and another text than Java 19+
        assertThat(CanonicalValue.of(1e23)).isEqualTo("1.0E23");
        assertThat(CanonicalValue.of(2.82879384806159E17)).isEqualTo("2.82879384806159E17");
    }

    @Test
    void everyDoubleReadsBackBitForBitAndNoShorterTextWould() {
        Random random = new Random(20261206);
        for (int i = 0; i < 50_000; i++) {
            double d = Double.longBitsToDouble(random.nextLong());
            if (Double.isNaN(d)) {
                continue;
            }
            String text = CanonicalValue.of(d);
            assertThat(Double.doubleToRawLongBits(Double.parseDouble(text))).as(text).isEqualTo(Double.doubleToRawLongBits(d));
            BigDecimal digits = new BigDecimal(text).stripTrailingZeros();
            if (digits.precision() > 2) {
                BigDecimal shorter = new BigDecimal(d).round(new java.math.MathContext(digits.precision() - 1));
                assertThat(Double.parseDouble(shorter.toString())).as("%s has a shorter form %s", text, shorter).isNotEqualTo(d);
            }
        }
    }

    @Test
    void aFloatIsTheShortestTextOfTheDoubleItExactlyIs() {
        // MySQL and MariaDB read a FLOAT's text through a DOUBLE: the float's own shortest text, 3.4028235E38 for the largest,
        // is out of range for them, so a FLOAT is written as the double it is (TypeMatrixReadTest shows the server refusing it)
        assertThat(CanonicalValue.of(Float.MAX_VALUE)).isEqualTo("3.4028234663852886E38");
        assertThat(CanonicalValue.of(Float.MIN_VALUE)).isEqualTo("1.401298464324817E-45");
        assertThat(CanonicalValue.of(Float.MIN_NORMAL)).isEqualTo("1.1754943508222875E-38");
        assertThat(CanonicalValue.of(0.1f)).isEqualTo("0.10000000149011612");
        assertThat(CanonicalValue.of(16_777_217f)).isEqualTo("1.6777216E7");
        assertThat(CanonicalValue.of(-0.0f)).isEqualTo("-0.0");
        Random random = new Random(7);
        for (int i = 0; i < 100_000; i++) {
            float f = Float.intBitsToFloat(random.nextInt());
            if (!Float.isNaN(f)) {
                assertThat(Float.floatToRawIntBits((float) Double.parseDouble(CanonicalValue.of(f)))).isEqualTo(Float.floatToRawIntBits(f));
            }
        }
    }

    @Test
    void integersAndDecimalsAreWrittenWholeWithTheirScale() {
        assertThat(CanonicalValue.of(new BigInteger("18446744073709551615"))).isEqualTo("18446744073709551615");
        assertThat(CanonicalValue.of(Long.MIN_VALUE)).isEqualTo("-9223372036854775808");
        assertThat(CanonicalValue.of(new BigDecimal("-99999999999999999999999999999999999.999999999999999999999999999999")))
                .isEqualTo("-99999999999999999999999999999999999.999999999999999999999999999999");
        assertThat(CanonicalValue.of(new BigDecimal("0E-30"))).isEqualTo("0.000000000000000000000000000000");
        assertThat(CanonicalValue.of((byte) -128)).isEqualTo("-128");
        assertThat(CanonicalValue.of(true)).isEqualTo("1");
    }

    @Test
    void aValueOfATypeWithNoExactFormIsRefusedNotWrittenSomeOtherWay() {
        assertThatThrownBy(() -> CanonicalValue.of(new Object())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("java.lang.Object").hasMessageContaining("csv-format.md");
        assertThatThrownBy(() -> CanonicalValue.of(new java.util.LinkedHashMap<>())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new CanonicalEncoding().addValue(new StringBuilder("x"))).isInstanceOf(IllegalArgumentException.class);
    }
}
