package io.archiver.scanner.persistence;

import java.util.List;

/** Where a batch is. States only move forward; DELETED and FAILED end a batch. */
public enum BatchState {
    PLANNED,
    EXPORTED,
    UPLOADED,
    DELETED,
    FAILED;

    public static final List<String> ENDED = List.of(DELETED.name(), FAILED.name());

    public boolean ended() {
        return this == DELETED || this == FAILED;
    }

    /** The later of two states: events of different topics may arrive in any order. */
    public BatchState advanceTo(BatchState next) {
        return ended() || next.ordinal() <= ordinal() ? this : next;
    }
}
