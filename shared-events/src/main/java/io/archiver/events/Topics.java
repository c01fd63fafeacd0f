package io.archiver.events;

import java.util.List;

/** The topics of the flow and their dead-letter topics. */
public final class Topics {

    /**
     * {@link ArchiveRequested}: triggers (CronJob, scheduler, CLI) to the scanner; and {@link ArchiveRunConfirmed}, keyed by
     * its run id like the run's request, to let a run that awaits confirmation go on.
     */
    public static final String REQUESTS = "archive.requests";
    /** {@link ArchiveBatchReady}: scanner to exporter. */
    public static final String BATCHES = "archive.batches";
    /** {@link ArchiveShardExported}: exporter to uploader. */
    public static final String SHARDS = "archive.shards";
    /** {@link ArchiveUploaded}: uploader to deleter. */
    public static final String UPLOADS = "archive.uploads";
    /** {@link ArchiveBatchDeleted} and {@link ArchiveBatchFailed}: every stage back to the scanner. */
    public static final String COMPLETIONS = "archive.completions";
    /** {@link ArchiveRunCompleted}: the scanner's closing event of a run; {@link ArchiveRunAwaitingConfirmation} when a safety rail holds one. */
    public static final String RUNS = "archive.runs";
    /** {@link RestoreRequested}: archivectl restore (and the API, through the operations module) to the deleter's restore handler. */
    public static final String RESTORES = "archive.restores";

    /** The suffix of a dead-letter topic. */
    public static final String DLQ_SUFFIX = ".dlq";

    /** Every topic of the flow, in flow order. */
    public static final List<String> ALL = List.of(REQUESTS, BATCHES, SHARDS, UPLOADS, COMPLETIONS, RUNS, RESTORES);

    /** Topics that a service consumes, each with a dead-letter topic. */
    public static final List<String> CONSUMED = List.of(REQUESTS, BATCHES, SHARDS, UPLOADS, COMPLETIONS, RESTORES);

    private Topics() {
    }

    /** The dead-letter topic of {@code topic}. */
    public static String dlq(String topic) {
        return topic + DLQ_SUFFIX;
    }
}
