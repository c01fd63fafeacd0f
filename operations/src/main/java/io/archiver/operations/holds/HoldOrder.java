package io.archiver.operations.holds;

import java.time.Instant;

import io.archiver.operations.OperationRefused;

/**
 * A hold to place, as archivectl's {@code hold place} and the API take it. {@link #check} refuses it, naming the field and
 * the fix, unless exactly the scope's own field is given.
 */
public record HoldOrder(String policy, String runId, String objectKey, Long firstKey, Long lastKey, String reason, Instant until,
        String actor, boolean keepInSource) {

    /** A hold on the archived data only (the rows it covers may still leave the source table). */
    public HoldOrder(String policy, String runId, String objectKey, Long firstKey, Long lastKey, String reason, Instant until, String actor) {
        this(policy, runId, objectKey, firstKey, lastKey, reason, until, actor, false);
    }

    /** The scope the fields given ask for: none of run, object and key range is the whole policy. */
    public HoldScope scope() {
        return runId != null ? HoldScope.RUN : objectKey != null ? HoldScope.OBJECT : firstKey != null ? HoldScope.KEY_RANGE : HoldScope.POLICY;
    }

    /** Refuses an order that is not complete or not one scope; {@code now} is when it would be placed. */
    public void check(Instant now) {
        if (policy == null || policy.isBlank()) {
            throw new OperationRefused("policy", "a hold names its policy (--policy run)");
        }
        int scopes = (runId != null ? 1 : 0) + (objectKey != null ? 1 : 0) + (firstKey != null || lastKey != null ? 1 : 0);
        if (scopes > 1) {
            throw new OperationRefused("scope", "a hold covers one of a run (--run), an object (--object) or a key range (--key-range A..B),"
                    + " or the whole policy with none of them; not several");
        }
        if ((firstKey == null) != (lastKey == null) || firstKey != null && firstKey > lastKey) {
            throw new OperationRefused("key-range", "a key range is FIRST..LAST with FIRST <= LAST (--key-range 100..199)");
        }
        if (keepInSource && scope() != HoldScope.KEY_RANGE) {
            throw new OperationRefused("keep-in-source", "only a key-range hold keeps rows in the source table"
                    + " (--key-range A..B --keep-in-source)");
        }
        if (reason == null || reason.isBlank()) {
            throw new OperationRefused("reason", "a hold says why it is placed (--reason \"case 2026-117, legal\")");
        }
        if (reason.length() > 1024) {
            throw new OperationRefused("reason", "at most 1024 characters");
        }
        if (until != null && !until.isAfter(now)) {
            throw new OperationRefused("until", "a hold's end must be in the future, not " + until + "; leave it out to hold until released");
        }
        if (actor == null || actor.isBlank()) {
            throw new OperationRefused("actor", "a hold names who places it");
        }
    }
}
