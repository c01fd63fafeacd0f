package io.archiver.support.policy;

/** A rail that stops or holds a run: its stable {@code reason} and a {@code detail} for a person (what was seen, what to do). */
public record Refusal(RailReason reason, String detail) {

    public Refusal {
        if (reason == null || detail == null || detail.isBlank()) {
            throw new IllegalArgumentException("a refusal needs a reason and a detail");
        }
    }
}
