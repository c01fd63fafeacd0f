package io.archiver.scanner.domain;

import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Collector;

import io.archiver.events.KeyColumns;
import io.archiver.events.KeyValue;
import io.archiver.ledger.SourceHolds.HeldRange;
import io.archiver.scanner.domain.RangePlanner.Planned;
import io.archiver.scanner.domain.RangePlanner.PlannedRange;
import io.archiver.support.policy.ArchivePolicies;
import io.archiver.support.source.SourcePools;
import io.archiver.table.EligibleRows;
import io.archiver.table.KeyRangeRows;
import io.archiver.table.UtcSession;
import io.smallrye.mutiny.Uni;
import io.vertx.sqlclient.Row;

/**
 * The reference plan StreamedPlanningTest checks {@link RangePlanner#walk} against ({@link #stream}): every eligible key read in
 * one streamed scan ({@code EligibleRows#eligibleIds}, {@code KeyRangeRows#eligibleKeys}), cut in key order into the run's
 * ranges as the keys arrive: a range ends after {@code batch-size} rows, or before a key range held in the source (one-integer keys: no range holds a held id or spans a
 * held range), and is handed on at once. Keeps one range's ends, never the keys: flat memory for a table of any size. The
 * same ranges as a walk of one {@code LIMIT batch-size} query per range over the same rows.
 */
abstract class RangeCuts {

    private final int batchSize;
    private final Consumer<PlannedRange> out;
    private long ranges;
    private long rows;

    private RangeCuts(int batchSize, Consumer<PlannedRange> out) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch-size must be at least 1, not " + batchSize);
        }
        this.batchSize = batchSize;
        this.out = out;
    }

    /**
     * Plans every range after {@code after} (null: from the table's first row) in one streamed scan of the eligible keys: each
     * range goes to {@code planned} as soon as it is cut, while the scan goes on. A one-integer key's ranges hold no key of
     * {@code held} and span none of its ranges; a whole-key range is not compared with them.
     */
    static Uni<Planned> stream(SourcePools pools, ArchivePolicies.Policy policy, KeyColumns key, long cutoffEpochMs, KeyValue after,
            List<HeldRange> held, Consumer<PlannedRange> planned) {
        if (key.isSingleInteger()) {
            EligibleRows sql = new EligibleRows(policy);
            long afterId = after == null ? -1 : Long.parseLong(after.part(0));
            return pools.pool(policy.source()).chain(pool -> UtcSession.collect(pool, sql.comparesInUtc(), sql.eligibleIds(),
                    sql.eligibleIdsArgs(afterId, cutoffEpochMs), ids(policy.batchSize(), held, planned)));
        }
        KeyRangeRows sql = new KeyRangeRows(policy, key);
        return pools.pool(policy.source()).chain(pool -> UtcSession.collect(pool, sql.comparesInUtc(), sql.eligibleKeys(after != null),
                sql.eligibleKeysArgs(after, cutoffEpochMs), keys(policy.batchSize(), sql::keyAt, planned)));
    }

    private void emit(PlannedRange range) {
        ranges++;
        rows += range.rows();
        out.accept(range);
    }

    /** A one-integer key's ids (column 0 of each row) cut into id ranges, none over a range of {@code held}. */
    public static Collector<Row, ?, Planned> ids(int batchSize, List<HeldRange> held, Consumer<PlannedRange> out) {
        Ids cuts = new Ids(batchSize, held, out);
        return Collector.of(() -> cuts, (c, row) -> c.id(row.getLong(0)), (a, b) -> {
            throw new UnsupportedOperationException("a scan is cut in order, by one collector");
        }, Ids::end);
    }

    /** Any other key's rows cut into whole-key ranges; {@code keyOf} reads a row's key (only each range's first and last). */
    public static Collector<Row, ?, Planned> keys(int batchSize, Function<Row, KeyValue> keyOf, Consumer<PlannedRange> out) {
        Keys cuts = new Keys(batchSize, keyOf, out);
        return Collector.of(() -> cuts, Keys::row, (a, b) -> {
            throw new UnsupportedOperationException("a scan is cut in order, by one collector");
        }, Keys::end);
    }

    /** The one-integer cutter: exposed for tests that feed ids without a database. */
    static final class Ids extends RangeCuts {

        private final HeldRange[] held;
        private long first;
        private long last;
        private long count;

        Ids(int batchSize, List<HeldRange> held, Consumer<PlannedRange> out) {
            super(batchSize, out);
            this.held = held.toArray(HeldRange[]::new);
        }

        void id(long id) {
            if (held.length > 0) {
                if (count > 0 && heldBetween(last, id)) {
                    cut();
                }
                if (isHeld(id)) {
                    return;
                }
            }
            if (count == 0) {
                first = id;
            }
            last = id;
            if (++count == super.batchSize) {
                cut();
            }
        }

        /** A held range lies in {@code (after, id]}: the range being cut must end before it. */
        private boolean heldBetween(long after, long id) {
            for (HeldRange range : held) {
                if (range.first() <= id && range.last() > after) {
                    return true;
                }
            }
            return false;
        }

        private boolean isHeld(long id) {
            for (HeldRange range : held) {
                if (range.contains(id)) {
                    return true;
                }
            }
            return false;
        }

        private void cut() {
            super.emit(new PlannedRange(first, last, count));
            count = 0;
        }

        Planned end() {
            if (count > 0) {
                cut();
            }
            return new Planned(super.ranges, super.rows);
        }
    }

    private static final class Keys extends RangeCuts {

        private final Function<Row, KeyValue> keyOf;
        private KeyValue first;
        private Row lastRow;
        private long count;

        Keys(int batchSize, Function<Row, KeyValue> keyOf, Consumer<PlannedRange> out) {
            super(batchSize, out);
            this.keyOf = keyOf;
        }

        void row(Row row) {
            if (count == 0) {
                first = keyOf.apply(row);
            }
            // the client decodes each row into its own object: keeping the last one is keeping one row, not the scan
            lastRow = row;
            if (++count == super.batchSize) {
                cut();
            }
        }

        private void cut() {
            super.emit(new PlannedRange(0, 0, count, first, keyOf.apply(lastRow)));
            count = 0;
            first = null;
            lastRow = null;
        }

        Planned end() {
            if (count > 0) {
                cut();
            }
            return new Planned(super.ranges, super.rows);
        }
    }
}
