package io.archiver.events;

/** What happens to archived rows once their object is verified. */
public enum ArchiveMode {
    /** Rows are deleted from the source table. */
    DELETE,
    /** Rows are copied into the archive table (for example {@code run_archive}) and deleted from the source. */
    MOVE
}
