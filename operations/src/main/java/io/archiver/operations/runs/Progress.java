package io.archiver.operations.runs;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import io.archiver.operations.Texts;

/**
 * A running run's progress from rows removed over the time since it was requested:
 * {@code [#####.....] 52% 62,300/120,045 rows  8,400 rows/s  ETA 7s}.
 */
public record Progress(long rowsDone, long rowsTotal, Duration elapsed) {

    public static final int WIDTH = 10;

    public double fraction() {
        if (rowsTotal <= 0) {
            return 0;
        }
        return Math.min(1.0, (double) rowsDone / rowsTotal);
    }

    /** Rounded, and below 100 until every row is done. */
    public int percent() {
        int percent = (int) Math.round(fraction() * 100);
        return rowsDone < rowsTotal ? Math.min(99, percent) : percent;
    }

    /** Rows per second so far; 0 before the first second. */
    public double rate() {
        double seconds = elapsed.toMillis() / 1000.0;
        return seconds <= 0 ? 0 : rowsDone / seconds;
    }

    /** The time left at the rate so far; null while nothing has been removed. */
    public Duration eta() {
        double rate = rate();
        if (rate <= 0) {
            return null;
        }
        long left = Math.max(0, rowsTotal - rowsDone);
        return Duration.ofMillis(Math.round(left / rate * 1000));
    }

    public String bar() {
        int filled = (int) Math.floor(fraction() * WIDTH);
        return "[" + "#".repeat(filled) + ".".repeat(WIDTH - filled) + "]";
    }

    public String render() {
        Duration eta = eta();
        return bar() + " " + percent() + "% " + Texts.count(rowsDone) + "/" + Texts.count(rowsTotal) + " rows  "
                + Texts.count(Math.round(rate())) + " rows/s  ETA " + (eta == null ? "?" : Texts.eta(eta));
    }

    public Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("rowsDone", rowsDone);
        json.put("rowsTotal", rowsTotal);
        json.put("percent", percent());
        json.put("rowsPerSecond", Math.round(rate()));
        Duration eta = eta();
        json.put("etaSeconds", eta == null ? null : eta.toSeconds());
        return json;
    }
}
