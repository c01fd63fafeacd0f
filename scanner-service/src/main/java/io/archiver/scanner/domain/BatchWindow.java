package io.archiver.scanner.domain;

import java.util.List;

import io.archiver.scanner.persistence.ArchiveBatchEntity;

/**
 * A run's window on {@code archive.batches}: its first {@code size} batches that have not ended, in plan order. Those are the
 * batches that may be in the flow; a batch enters the window as an earlier one ends. Publishing a batch twice is harmless (every
 * stage is idempotent), so the window is re-sent whole when a request or confirmation is redelivered, and only its batches never
 * published are sent when a batch ends.
 */
public final class BatchWindow {

    private BatchWindow() {
    }

    /** The window of {@code openInSeqOrder} (the run's batches not ended, by seq): at most {@code size} of them, the first. */
    public static List<ArchiveBatchEntity> of(List<ArchiveBatchEntity> openInSeqOrder, int size) {
        if (size < 1) {
            throw new IllegalArgumentException("archiver.scan.batches-in-flight must be at least 1, not " + size);
        }
        return openInSeqOrder.stream().filter(b -> !b.state.ended()).sorted(java.util.Comparator.comparingInt(b -> b.seq)).limit(size).toList();
    }

    /** The batches of the window never published: what a batch's end lets in. */
    public static List<ArchiveBatchEntity> unpublished(List<ArchiveBatchEntity> window) {
        return window.stream().filter(b -> b.publishedAtMs == null).toList();
    }
}
