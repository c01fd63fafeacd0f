package io.archiver.operations.holds;

/** What a legal hold covers, always within one policy. */
public enum HoldScope {
    /** Every object and every archive-table row of the policy. */
    POLICY,
    /** The objects of one run, and the archive-table rows whose keys lie in that run's batches. */
    RUN,
    /** One object, and the archive-table rows whose keys lie in its key range. */
    OBJECT,
    /** The keys first..last (inclusive): the objects whose key range overlaps it, and those archive-table rows. */
    KEY_RANGE
}
