package io.archiver.system;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/** What the fault suite injected, by kind, and the invariants it checked, with their figures. */
final class FaultReport {

    private final Map<String, Integer> injected = new TreeMap<>();
    private final Map<String, Long> figures = new java.util.LinkedHashMap<>();
    private final Map<String, java.time.Duration> times = new java.util.LinkedHashMap<>();

    synchronized void injected(String kind) {
        injected.merge(kind, 1, Integer::sum);
    }

    synchronized void injected(String kind, int count) {
        injected.merge(kind, count, Integer::sum);
    }

    synchronized void figure(String name, long value) {
        figures.put(name, value);
    }

    /** How long a phase of the suite took (the whole suite: from its first server started to its last check). */
    synchronized void took(String phase, java.time.Duration time) {
        times.put(phase, time);
    }

    synchronized int count(String kind) {
        return injected.getOrDefault(kind, 0);
    }

    synchronized String render() {
        StringBuilder text = new StringBuilder("Archiver fault-injection report\n\nInjected:\n");
        injected.forEach((kind, count) -> text.append(String.format("  %-72s %8d%n", kind, count)));
        text.append("\nInvariants:\n");
        figures.forEach((name, value) -> text.append(String.format("  %-72s %8d%n", name, value)));
        if (!times.isEmpty()) {
            text.append("\nTime (seconds):\n");
            times.forEach((phase, time) -> text.append(String.format("  %-72s %8d%n", phase, time.toSeconds())));
        }
        return text.toString();
    }

    void write(Path file) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, render());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
