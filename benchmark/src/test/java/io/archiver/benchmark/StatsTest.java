package io.archiver.benchmark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The report's arithmetic: nearest-rank percentiles, ratios, rates and the targets' comparisons. */
class StatsTest {

    @Test
    void percentileIsTheNearestRank() {
        List<Double> hundred = new ArrayList<>();
        for (int i = 100; i >= 1; i--) {
            hundred.add((double) i); // unsorted on purpose
        }
        assertThat(Stats.percentile(hundred, 50)).isEqualTo(50.0);
        assertThat(Stats.percentile(hundred, 99)).isEqualTo(99.0);
        assertThat(Stats.percentile(hundred, 100)).isEqualTo(100.0);
        assertThat(Stats.percentile(hundred, 1)).isEqualTo(1.0);
        assertThat(Stats.percentile(hundred, 99.5)).isEqualTo(100.0);
    }

    @Test
    void percentileOfFewValues() {
        assertThat(Stats.percentile(List.of(7.0), 50)).isEqualTo(7.0);
        assertThat(Stats.percentile(List.of(7.0), 99)).isEqualTo(7.0);
        // 60 batches: p99 is the largest, p50 the 30th
        List<Double> sixty = new ArrayList<>();
        for (int i = 1; i <= 60; i++) {
            sixty.add(i * 10.0);
        }
        assertThat(Stats.percentile(sixty, 99)).isEqualTo(600.0);
        assertThat(Stats.percentile(sixty, 50)).isEqualTo(300.0);
        assertThat(Stats.percentile(List.of(1, 2, 3, 4), 50)).isEqualTo(2.0);
        assertThat(Stats.percentile(List.of(1L, 2L, 3L, 4L), 75)).isEqualTo(3.0);
        assertThat(Stats.percentile(List.<Double>of(), 99)).isNaN();
        assertThat(Stats.percentile(new double[] { 3, 1, 2 }, 50)).isEqualTo(2.0);
        // the input is not reordered
        double[] values = { 3, 1, 2 };
        Stats.percentile(values, 99);
        assertThat(values).containsExactly(3, 1, 2);
    }

    @Test
    void maxOverlapCountsIntervalsOpenTogether() {
        assertThat(Stats.maxOverlap(List.of())).isZero();
        assertThat(Stats.maxOverlap(List.of(new long[] { 5, 9 }))).isEqualTo(1);
        // touching is not overlapping: one transaction's COMMIT answered when the next one's BEGIN is sent
        assertThat(Stats.maxOverlap(List.of(new long[] { 0, 10 }, new long[] { 10, 20 }, new long[] { 20, 30 }))).isEqualTo(1);
        assertThat(Stats.maxOverlap(List.of(new long[] { 0, 10 }, new long[] { 9, 20 }))).isEqualTo(2);
        assertThat(Stats.maxOverlap(List.of(new long[] { 0, 100 }, new long[] { 10, 20 }, new long[] { 15, 30 }, new long[] { 40, 50 }))).isEqualTo(3);
        assertThat(Stats.maxOverlap(List.of(new long[] { 30, 40 }, new long[] { 0, 35 }))).as("in any order").isEqualTo(2);
        assertThatThrownBy(() -> Stats.maxOverlap(List.of(new long[] { 5, 4 }))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void percentileRejectsOutOfRange() {
        assertThatThrownBy(() -> Stats.percentile(List.of(1.0), 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Stats.percentile(List.of(1.0), 100.1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void ratiosAndRates() {
        assertThat(Stats.ratio(10_000, 4_000)).isEqualTo(2.5);
        assertThat(Stats.ratio(1, 0)).isNaN();
        assertThat(Stats.ratio(1, -1)).isNaN();
        assertThat(Stats.ratio(Double.NaN, 1)).isNaN();
        assertThat(Stats.ratio(0, 5)).isZero();
        assertThat(Stats.rate(600_000, 60)).isEqualTo(10_000);
        assertThat(Stats.rate(5, 0)).isNaN();
        assertThat(Stats.changePercent(200, 250)).isEqualTo(25.0);
        assertThat(Stats.changePercent(200, 150)).isEqualTo(-25.0);
        assertThat(Stats.mean(List.of(1, 2, 3, 6))).isEqualTo(3.0);
        assertThat(Stats.mean(List.<Double>of())).isNaN();
        assertThat(Stats.max(List.of(3.0, 9.0, 1.0))).isEqualTo(9.0);
        assertThat(Stats.min(List.of(3L, 9L, 1L))).isEqualTo(1.0);
        assertThat(Stats.sum(List.of(1.5, 2.5))).isEqualTo(4.0);
    }

    @Test
    void targetComparisons() {
        // e2e >= 2x: 2.0 passes, 1.99 fails, not measured fails
        assertThat(Stats.atLeast(Stats.ratio(20_000, 10_000), 2.0)).isTrue();
        assertThat(Stats.atLeast(Stats.ratio(19_900, 10_000), 2.0)).isFalse();
        assertThat(Stats.atLeast(Double.NaN, 2.0)).isFalse();
        // p99 <= 200 ms
        assertThat(Stats.atMost(200.0, 200.0)).isTrue();
        assertThat(Stats.atMost(200.1, 200.0)).isFalse();
        assertThat(Stats.atMost(Double.NaN, 200.0)).isFalse();
        // RSS within 20%, whichever is larger
        assertThat(Stats.withinPercent(300, 360, 20)).isTrue();
        assertThat(Stats.withinPercent(360, 300, 20)).isTrue();
        assertThat(Stats.withinPercent(300, 361, 20)).isFalse();
        assertThat(Stats.withinPercent(0, 100, 20)).isFalse();
    }

    @Test
    void reportFormatsLatencies() {
        assertThat(Report.msLine(List.of())).isEqualTo("no samples");
        assertThat(Report.msLine(List.of(1.0, 2.0, 3.0, 4.0))).isEqualTo("p50 2.0 ms, p99 4.0 ms, max 4.0 ms, mean 2.5 ms (n=4)");
        assertThat(Report.f0(Double.NaN)).isEqualTo("n/a");
        assertThat(Report.f0(12345.6)).isEqualTo("12,346");
        assertThat(Report.pct(0.456)).isEqualTo("46%");
        assertThat(Report.mib(2048 * 150)).isEqualTo("300");
        assertThat(Report.util(1.013)).isEqualTo("100%");
        assertThat(Report.util(Double.NaN)).isEqualTo("n/a");
    }

    @Test
    void parsesTheMetricsAndEventLines() {
        PrometheusText metrics = PrometheusText.parse(String.join("\n",
                "# TYPE archiver_rows_total counter",
                "archiver_rows_total{outcome=\"DELETED\",stage=\"DELETE\"} 20000.0",
                "archiver_rows_total{outcome=\"ALREADY_DELETED\",stage=\"DELETE\"} 5.0",
                "archiver_event_duration_seconds_sum{outcome=\"DELETED\",stage=\"DELETE\"} 4.5",
                "archiver_event_duration_seconds_count{outcome=\"DELETED\",stage=\"DELETE\"} 2.0"));
        assertThat(metrics.sum("archiver_rows_total", java.util.Map.of("stage", "DELETE"))).isEqualTo(20005.0);
        assertThat(metrics.sum("archiver_rows_total", java.util.Map.of("stage", "DELETE", "outcome", "DELETED"))).isEqualTo(20000.0);
        assertThat(metrics.labelSets("archiver_event_duration_seconds_count")).hasSize(1);

        var line = EventLines.parse("{\"timestamp\":\"2026-11-23T11:12:33.286662001Z\",\"message\":\"event=ArchiveUploaded runId=run-1"
                + " batchId=run-1-b000001 stage=DELETE outcome=DELETED rows=3000 bytes=276852 ms=873 detail=\\\"x\\\"\"}").orElseThrow();
        assertThat(line.rows()).isEqualTo(3000);
        assertThat(line.ms()).isEqualTo(873);
        assertThat(line.outcome()).isEqualTo("DELETED");
        assertThat(line.start()).isEqualTo(java.time.Instant.parse("2026-11-23T11:12:32.413662001Z"));
    }
}
