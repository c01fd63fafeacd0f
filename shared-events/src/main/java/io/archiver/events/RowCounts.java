package io.archiver.events;

import static io.archiver.events.Require.notNegative;

/**
 * What became of the rows a batch (or a run) met, so that they add up: {@link #found()} = removed + kept changed + kept
 * not in the object + missing + failed (docs/live-tables.md). A batch meets the rows its object holds (its export's count;
 * the planned count before an export) and the eligible rows of its range the object does not hold. The one place this is
 * counted: the scanner's statistics, archivectl and the metrics all call {@link #ofBatch}.
 */
public record RowCounts(long removed, long keptChanged, long keptNotInObject, long missing, long failed) {

    public static final RowCounts NONE = new RowCounts(0, 0, 0, 0, 0);

    public RowCounts {
        notNegative(removed, "removed");
        notNegative(keptChanged, "keptChanged");
        notNegative(keptNotInObject, "keptNotInObject");
        notNegative(missing, "missing");
        notNegative(failed, "failed");
    }

    /**
     * A batch's counts from the ledger's columns (null where nothing was reported): a FAILED batch counts as failed only its
     * object's rows that were neither removed, nor kept, nor missing before it failed; a batch still in flight counts the
     * rows not handled yet as neither (they are in {@link #found()} only once it ends).
     */
    public static RowCounts ofBatch(boolean failedBatch, long expectedRows, Long rowsExported, Long removed, Long keptChanged,
            Long keptNotInObject, Long missing) {
        long handledOfObject = value(removed) + value(keptChanged) + value(missing);
        long failed = failedBatch ? Math.max(0, (rowsExported != null ? rowsExported : expectedRows) - handledOfObject) : 0;
        return new RowCounts(value(removed), value(keptChanged), value(keptNotInObject), value(missing), failed);
    }

    /**
     * The rows of a batch still in flight that it has not handled yet (0 once it ended): with them a run in flight adds up
     * too, found = removed + kept + missing + failed + pending.
     */
    public static long pendingOfBatch(boolean ended, long expectedRows, Long rowsExported, Long removed, Long keptChanged, Long missing) {
        return ended ? 0 : Math.max(0, (rowsExported != null ? rowsExported : expectedRows) - value(removed) - value(keptChanged) - value(missing));
    }

    public long kept() {
        return keptChanged + keptNotInObject;
    }

    public long found() {
        return removed + kept() + missing + failed;
    }

    public RowCounts plus(RowCounts other) {
        return new RowCounts(removed + other.removed, keptChanged + other.keptChanged, keptNotInObject + other.keptNotInObject,
                missing + other.missing, failed + other.failed);
    }

    private static long value(Long value) {
        return value == null ? 0 : value;
    }
}
