package io.archiver.events;

/** The step of the flow an event or a failure belongs to. */
public enum PipelineStage {
    PLAN,
    EXPORT,
    UPLOAD,
    DELETE
}
