package io.archiver.benchmark;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The services' structured event lines ({@code event=... runId=... batchId=... stage=... outcome=...
 * rows=N bytes=B ms=M}, one per handled event), read from their log files. In prod the log is JSON
 * with a {@code timestamp}: the line is written when the handler ends, so it started {@code ms} earlier.
 */
public final class EventLines {

    /** One handled event. */
    public record Line(Instant end, String event, String runId, String batchId, String stage, String outcome, long rows, long bytes,
            long ms) {

        public Instant start() {
            return end.minusMillis(ms);
        }
    }

    private static final Pattern MESSAGE = Pattern.compile(
            "event=(\\w+) runId=(\\S+) batchId=(\\S+) stage=(\\w+) outcome=(\\w+) rows=(\\d+) bytes=(\\d+) ms=(\\d+)");
    private static final Pattern TIMESTAMP = Pattern.compile("\"timestamp\":\"([^\"]+)\"");

    private EventLines() {
    }

    /** The event lines of {@code runId} in {@code log}. */
    public static List<Line> read(Path log, String runId) {
        List<Line> lines = new ArrayList<>();
        if (log == null || !Files.isRegularFile(log)) {
            return lines;
        }
        try (var stream = Files.lines(log, StandardCharsets.UTF_8)) {
            stream.forEach(text -> parse(text).filter(l -> l.runId().equals(runId)).ifPresent(lines::add));
        } catch (IOException | java.io.UncheckedIOException e) {
            // a partly written log: what was read counts
        }
        return lines;
    }

    static java.util.Optional<Line> parse(String text) {
        Matcher m = MESSAGE.matcher(text);
        if (!m.find()) {
            return java.util.Optional.empty();
        }
        Matcher t = TIMESTAMP.matcher(text);
        Instant end;
        try {
            end = t.find() ? Instant.parse(t.group(1)) : Instant.EPOCH;
        } catch (RuntimeException e) {
            end = Instant.EPOCH;
        }
        return java.util.Optional.of(new Line(end, m.group(1), m.group(2), m.group(3), m.group(4), m.group(5), Long.parseLong(m.group(6)),
                Long.parseLong(m.group(7)), Long.parseLong(m.group(8))));
    }
}
