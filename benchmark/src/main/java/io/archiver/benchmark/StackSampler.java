package io.archiver.benchmark;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * A poor man's profiler for the services, off by default ({@code --thread-dumps HZ}): sends SIGQUIT
 * to each service JVM {@code hz} times a second during the run, so that the JVM prints a thread dump
 * into its own log, then reads the dumps back and counts, for the threads that are inside an Archiver
 * handler, where they are: the innermost Archiver frame and the frame on top, and whether the thread
 * runs (RUNNABLE) or waits. Each dump is a safepoint pause, so a run sampled this way is slower; use it
 * for attribution, not for the figures.
 */
public final class StackSampler implements AutoCloseable {

    private final Map<String, Long> pids;
    private final long intervalMs;
    private final Thread thread;
    private volatile boolean running = true;
    private int rounds;

    public StackSampler(Map<String, Long> pids, double hz) {
        this.pids = new LinkedHashMap<>(pids);
        this.intervalMs = Math.max(50, Math.round(1000 / hz));
        this.thread = new Thread(this::loop, "stack-sampler");
        thread.setDaemon(true);
        thread.start();
    }

    private void loop() {
        while (running) {
            for (long pid : pids.values()) {
                try {
                    new ProcessBuilder("kill", "-QUIT", String.valueOf(pid)).start().waitFor();
                } catch (IOException e) {
                    return;
                } catch (InterruptedException e) {
                    return;
                }
            }
            rounds++;
            try {
                Thread.sleep(intervalMs);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    public int rounds() {
        return rounds;
    }

    @Override
    public void close() {
        running = false;
        Proc.stop(thread, 5000);
    }

    /** Where the handler threads of one service were, counted over the thread dumps in its log. */
    public record Profile(int dumps, int handlerSamples, Map<String, Integer> places) {
    }

    /**
     * Reads the thread dumps in {@code log} and counts the samples of threads inside an Archiver
     * handler ({@code io.archiver.*.messaging.*}) by place: {@code RUNNING|WAITING  innermost
     * io.archiver frame  <-  top frame}.
     */
    public static Profile profile(Path log) {
        String text;
        try {
            text = Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return new Profile(0, 0, Map.of());
        }
        String[] dumps = text.split("Full thread dump");
        Map<String, Integer> places = new TreeMap<>();
        int samples = 0;
        for (int d = 1; d < dumps.length; d++) {
            for (String block : dumps[d].split("\n\\s*\n")) {
                if (!block.startsWith("\"")) {
                    continue;
                }
                List<String> frames = block.lines().map(String::strip).filter(l -> l.startsWith("at ")).map(l -> l.substring(3)).toList();
                if (frames.stream().noneMatch(f -> f.startsWith("io.archiver.") && f.contains(".messaging."))) {
                    continue;
                }
                String app = frames.stream().filter(f -> f.startsWith("io.archiver.")).findFirst().map(StackSampler::method).orElse("-");
                String top = frames.isEmpty() ? "-" : method(frames.get(0));
                boolean runnable = block.contains("java.lang.Thread.State: RUNNABLE") && !top.contains("epoll") && !top.contains("EPoll")
                        && !top.contains("Net.poll") && !top.contains("socketRead") && !top.contains("NioSocketImpl");
                places.merge((runnable ? "RUNNING  " : "WAITING  ") + app + "  <-  " + top, 1, Integer::sum);
                samples++;
            }
        }
        return new Profile(dumps.length - 1, samples, places);
    }

    /** The places of a profile with the most samples first, at most {@code limit}. */
    public static List<Map.Entry<String, Integer>> top(Profile profile, int limit) {
        return profile.places().entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(limit)
                .collect(Collectors.toList());
    }

    private static String method(String frame) {
        int paren = frame.indexOf('(');
        String qualified = paren > 0 ? frame.substring(0, paren) : frame;
        String[] parts = qualified.split("\\.");
        return parts.length >= 2 ? parts[parts.length - 2] + "." + parts[parts.length - 1] : qualified;
    }
}
