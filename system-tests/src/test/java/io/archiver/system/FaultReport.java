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
    private java.time.Duration took;

    synchronized void injected(String kind) {
        injected.merge(kind, 1, Integer::sum);
    }

    synchronized void injected(String kind, int count) {
        injected.merge(kind, count, Integer::sum);
    }

    synchronized void figure(String name, long value) {
        figures.put(name, value);
    }

    /** How long the suite took, from its first server started to its last check: its share of the build's time. */
    synchronized void took(java.time.Duration time) {
        took = time;
    }

    synchronized int count(String kind) {
        return injected.getOrDefault(kind, 0);
    }

    synchronized String render() {
        StringBuilder text = new StringBuilder("Archiver fault-injection report\n\nInjected:\n");
        injected.forEach((kind, count) -> text.append(String.format("  %-60s %8d%n", kind, count)));
        text.append("\nInvariants:\n");
        figures.forEach((name, value) -> text.append(String.format("  %-60s %8d%n", name, value)));
        if (took != null) {
            text.append(String.format("%nTook %d s%n", took.toSeconds()));
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
