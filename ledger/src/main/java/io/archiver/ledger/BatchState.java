package io.archiver.ledger;

import java.util.List;

/** Where a batch is ({@code archive_batch.state}). States only move forward; DELETED and FAILED end a batch. */
public enum BatchState {
    PLANNED,
    EXPORTED,
    UPLOADED,
    DELETED,
    FAILED;

    /** The states that end a batch. */
    public static final List<BatchState> ENDED = List.of(DELETED, FAILED);

    public boolean ended() {
        return ENDED.contains(this);
    }

    /** The later of two states: events of different topics may arrive in any order. */
    public BatchState advanceTo(BatchState next) {
        return ended() || next.ordinal() <= ordinal() ? this : next;
    }
}
