package io.archiver.system;

import java.util.List;

import io.archiver.events.ArchiveBatchFailed;
import io.archiver.events.ArchiveBatchReady;
import io.archiver.events.ArchiveEvent;
import io.archiver.events.ArchiveUploaded;
import io.archiver.events.Topics;
import io.archiver.localstack.pipeline.PipelineDriver;

/** The events of one run, read from the topics. */
final class RunEvents {

    private RunEvents() {
    }

    static <T extends ArchiveEvent> List<T> of(PipelineDriver driver, String topic, Class<T> type, String runId) {
        return driver.events(topic).stream().filter(type::isInstance).map(type::cast).filter(e -> e.runId().equals(runId)).toList();
    }

    static List<ArchiveBatchReady> batches(PipelineDriver driver, String runId) {
        return of(driver, Topics.BATCHES, ArchiveBatchReady.class, runId);
    }

    static List<ArchiveUploaded> uploads(PipelineDriver driver, String runId) {
        return of(driver, Topics.UPLOADS, ArchiveUploaded.class, runId);
    }

    static List<ArchiveBatchFailed> failures(PipelineDriver driver, String runId) {
        return of(driver, Topics.COMPLETIONS, ArchiveBatchFailed.class, runId);
    }
}
