package io.archiver.benchmark;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The pipeline's fill and drain: per stage, when the first and the last batch got through it (seconds from the trigger),
 * and a text timeline of how many batches got through each stage in each tenth of the run. Pure: the report and its test.
 */
public final class FillDrain {

    static final String PLANNED = "planned";
    static final String EXPORTED = "exported";
    static final String UPLOADED = "uploaded";
    static final String DELETED = "deleted";

    /** Columns of the timeline: tenths of the run. */
    static final int BUCKETS = 10;

    private FillDrain() {
    }

    /** The fill-and-drain stage an event line finishes, or null: the successful end of a batch's export, upload or delete. */
    static String doneStage(String stage, String outcome) {
        return switch (stage + "/" + outcome) {
            case "EXPORT/EXPORTED" -> EXPORTED;
            case "UPLOAD/UPLOADED" -> UPLOADED;
            case "DELETE/DELETED", "DELETE/MOVED" -> DELETED;
            default -> null;
        };
    }

    /**
     * How many of {@code offsets} (seconds from the trigger) fall in each of {@code buckets} equal parts of
     * {@code [0, runSeconds]}; offsets outside it count in the first or last part.
     */
    static int[] buckets(List<Double> offsets, double runSeconds, int buckets) {
        int[] counts = new int[buckets];
        if (!(runSeconds > 0)) {
            return counts;
        }
        for (double offset : offsets) {
            int b = (int) Math.floor(offset / runSeconds * buckets);
            counts[Math.max(0, Math.min(buckets - 1, b))]++;
        }
        return counts;
    }

    /** The report's lines: per stage, batches, first and last (s after the trigger), then batches per tenth of the run. */
    static List<String> lines(Map<String, List<Double>> stageDoneSeconds, double runSeconds) {
        List<String> lines = new ArrayList<>();
        if (stageDoneSeconds.isEmpty() || !(runSeconds > 0)) {
            lines.add("no batch got through any stage (nothing to show)");
            return lines;
        }
        StringBuilder header = new StringBuilder(String.format(Locale.ROOT, "%-9s %7s %8s %8s  batches per tenth of the %.1f s run:", "stage",
                "batches", "first s", "last s", runSeconds));
        lines.add(header.toString());
        StringBuilder tenths = new StringBuilder(String.format(Locale.ROOT, "%-9s %7s %8s %8s ", "", "", "", ""));
        for (int b = 0; b < BUCKETS; b++) {
            tenths.append(String.format(Locale.ROOT, " %5s", (b * 10) + "%"));
        }
        lines.add(tenths.toString());
        for (Map.Entry<String, List<Double>> stage : stageDoneSeconds.entrySet()) {
            List<Double> offsets = stage.getValue();
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-9s %7d %8s %8s ", stage.getKey(), offsets.size(),
                    Report.f1(Stats.min(offsets)), Report.f1(Stats.max(offsets))));
            for (int count : buckets(offsets, runSeconds, BUCKETS)) {
                line.append(String.format(Locale.ROOT, " %5d", count));
            }
            lines.add(line.toString());
        }
        return lines;
    }
}
