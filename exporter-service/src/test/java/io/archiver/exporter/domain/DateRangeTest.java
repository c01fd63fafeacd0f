package io.archiver.exporter.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

import io.archiver.manifest.ManifestValues;
import io.archiver.rows.CanonicalEncoding;

/** Plain unit test: the manifest's date range by longs where it can, always as {@link ManifestValues#compare} on text gives it. */
class DateRangeTest {

    @Test
    void epochMillisecondsGiveTheirNumericMinAndMax() {
        DateRange range = new DateRange();
        for (String value : List.of("1780000000000", "999", "1780000000001", "-5", "1000")) {
            range.add(row(value), 0);
        }
        assertThat(range.min()).isEqualTo("-5");
        assertThat(range.max()).isEqualTo("1780000000001");
    }

    @Test
    void noValueOrOnlyNullsGiveNoRange() {
        DateRange range = new DateRange();
        assertThat(range.min()).isNull();
        range.add(row((String) null), 0);
        assertThat(range.min()).isNull();
        assertThat(range.max()).isNull();
    }

    @Test
    void dateTimeTextIsComparedAsText() {
        DateRange range = new DateRange();
        for (String value : List.of("2026-01-02 03:04:05.5", "2025-12-31 23:59:59", "2026-01-02 03:04:05")) {
            range.add(row(value), 0);
        }
        assertThat(range.min()).isEqualTo("2025-12-31 23:59:59");
        assertThat(range.max()).isEqualTo("2026-01-02 03:04:05.5");
    }

    @Test
    void everyMixOfValuesGivesWhatTheTextComparisonGives() {
        Random random = new Random(25);
        String[] pool = { "0", "-0", "007", "7", "-7", "10", "9", "1.5", "-1.50", "9223372036854775807", "-9223372036854775808",
                "9223372036854775808", "99999999999999999999", "2026-01-01", "2026-01-01 00:00:00", "", "abc", "-", "1e3", "١٢" };
        for (int round = 0; round < 20_000; round++) {
            int n = random.nextInt(8);
            List<String> values = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int pick = random.nextInt(pool.length + 3);
                values.add(pick < pool.length ? pool[pick] : pick == pool.length ? null : Long.toString(random.nextLong() >> random.nextInt(64)));
            }
            DateRange range = new DateRange();
            String min = null;
            String max = null;
            for (String value : values) {
                range.add(row(value), 0);
                if (value != null) {
                    min = min == null || ManifestValues.compare(value, min) < 0 ? value : min;
                    max = max == null || ManifestValues.compare(value, max) > 0 ? value : max;
                }
            }
            assertThat(range.min()).as("min of %s", values).isEqualTo(min);
            assertThat(range.max()).as("max of %s", values).isEqualTo(max);
        }
    }

    private static CanonicalEncoding row(String... values) {
        return new CanonicalEncoding().row(Arrays.asList(values));
    }
}
