package io.archiver.deleter.domain;

import java.util.List;

import io.archiver.events.RowCounts;
import io.archiver.events.RowException;

/**
 * One chunk's rows, compared key by key under lock with the archived ones ({@link RowFingerprints#compare}): the keys
 * whose rows equal the archived ones (to be removed, in id order) and every other key of the chunk with its reason.
 */
public record ChunkComparison(long[] matchingIds, List<RowException> exceptions) {

    public ChunkComparison {
        exceptions = List.copyOf(exceptions);
    }

    /** This chunk's counts, were its matching rows removed. */
    public RowCounts counts() {
        long changed = count(RowException.Reason.CHANGED);
        long notInObject = count(RowException.Reason.NOT_IN_OBJECT);
        return new RowCounts(matchingIds.length, changed, notInObject, exceptions.size() - changed - notInObject, 0);
    }

    private long count(RowException.Reason reason) {
        return exceptions.stream().filter(e -> e.reason() == reason).count();
    }
}
