package io.archiver.benchmark;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** The fill-and-drain timeline: which event lines end a stage, the tenths of the run, the report's lines. */
class FillDrainTest {

    @Test
    void onlyASuccessfulExportUploadOrDeleteEndsAStage() {
        assertThat(FillDrain.doneStage("EXPORT", "EXPORTED")).isEqualTo(FillDrain.EXPORTED);
        assertThat(FillDrain.doneStage("UPLOAD", "UPLOADED")).isEqualTo(FillDrain.UPLOADED);
        assertThat(FillDrain.doneStage("DELETE", "DELETED")).isEqualTo(FillDrain.DELETED);
        assertThat(FillDrain.doneStage("DELETE", "MOVED")).isEqualTo(FillDrain.DELETED);
        assertThat(FillDrain.doneStage("DELETE", "CHANGED")).isNull();
        assertThat(FillDrain.doneStage("PLAN", "PLANNED")).isNull();
    }

    @Test
    void countsEachOffsetInItsTenthOfTheRunAndClampsTheEdges() {
        assertThat(FillDrain.buckets(List.of(-0.5, 0.0, 0.9, 1.0, 5.5, 9.99, 10.0, 12.0), 10, 10)).containsExactly(3, 1, 0, 0, 0, 1, 0, 0, 0, 3);
        assertThat(FillDrain.buckets(List.of(1.0), 0, 10)).containsOnly(0);
    }

    @Test
    void printsFirstLastAndTheTimelinePerStage() {
        Map<String, List<Double>> done = new LinkedHashMap<>();
        done.put(FillDrain.PLANNED, List.of(0.5, 0.6));
        done.put(FillDrain.DELETED, List.of(3.0, 19.5));

        List<String> lines = FillDrain.lines(done, 20);

        assertThat(lines).hasSize(4);
        assertThat(lines.get(0)).contains("batches per tenth of the 20.0 s run");
        assertThat(lines.get(2)).isEqualTo("planned         2      0.5      0.6      2     0     0     0     0     0     0     0     0     0");
        assertThat(lines.get(3)).isEqualTo("deleted         2      3.0     19.5      0     1     0     0     0     0     0     0     0     1");
        assertThat(FillDrain.lines(Map.of(), 20)).containsExactly("no batch got through any stage (nothing to show)");
    }
}
