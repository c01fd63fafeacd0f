package io.archiver.scanner.domain;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.archiver.events.KeyColumns;
import io.archiver.events.KeyValue;
import io.archiver.ledger.SourceHolds;
import io.archiver.ledger.SourceHolds.HeldRange;
import io.archiver.policy.SourceSpec;
import io.archiver.support.policy.ArchivePolicies;
import io.archiver.table.EligibleRows;
import io.archiver.table.KeyColumnsReader;
import io.archiver.table.KeyRangeRows;
import io.archiver.table.UtcSession;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.archiver.support.source.SourcePools;
import io.vertx.mutiny.sqlclient.Row;

/**
 * Plans a run's ranges on the primary key: {@link #walk}, what a run plans with, asks the server for one range at a time (the
 * next {@code batch-size} eligible rows after the last range: their count and ends, {@link #next}), so only each range's ends
 * cross the wire. {@link #stream} reads every eligible key in one streamed scan and cuts them as it reads ({@link RangeCuts}):
 * the reference the walk is tested against. A one-integer key's ranges are ids as they always were; any other key's ranges are
 * whole keys ({@link KeyRangeRows#nextBatch}, docs/keys.md).
 */
@ApplicationScoped
public class RangePlanner {

    /**
     * A planned range: rows {@code firstId..lastId} of which {@code rows} are eligible; for a key that is not one integer column
     * {@code firstKey..lastKey} with both ids 0.
     */
    public record PlannedRange(long firstId, long lastId, long rows, KeyValue firstKey, KeyValue lastKey) {

        public PlannedRange(long firstId, long lastId, long rows) {
            this(firstId, lastId, rows, null, null);
        }
    }

    private final SourcePools pools;

    public RangePlanner(SourcePools pools) {
        this.pools = pools;
    }

    /** The policy's key as the table defines it (refused, naming the column, when no range can be carried in it). */
    public Uni<KeyColumns> key(ArchivePolicies.Policy policy) {
        return pools.pool(policy.source()).chain(pool -> KeyColumnsReader.read(pool, policy.table(), policy.key()));
    }

    /**
     * The key ranges holds in force keep in the policy's source table (docs/archive.md#holds), by first key: no range is
     * planned over them.
     */
    public Uni<List<HeldRange>> heldInSource(String policyName) {
        return pools.pool(SourceSpec.CONTROL).chain(control -> SourceHolds.live(control, policyName, System.currentTimeMillis()));
    }

    /**
     * Plans every range after {@code after} (null: from the table's first row) in one streamed scan of the eligible keys
     * ({@link RangeCuts}): each range goes to {@code planned} as soon as it is cut, while the scan goes on. A one-integer key's
     * ranges hold no key of {@code held} and span none of its ranges; a whole-key range is not compared with them.
     */
    public Uni<RangeCuts.Cut> stream(ArchivePolicies.Policy policy, KeyColumns key, long cutoffEpochMs, KeyValue after, List<HeldRange> held,
            java.util.function.Consumer<PlannedRange> planned) {
        if (key.isSingleInteger()) {
            EligibleRows sql = new EligibleRows(policy);
            long afterId = after == null ? -1 : Long.parseLong(after.part(0));
            return pools.pool(policy.source()).chain(pool -> UtcSession.collect(pool, sql.comparesInUtc(), sql.eligibleIds(),
                    sql.eligibleIdsArgs(afterId, cutoffEpochMs), RangeCuts.ids(policy.batchSize(), held, planned)));
        }
        KeyRangeRows sql = new KeyRangeRows(policy, key);
        return pools.pool(policy.source()).chain(pool -> UtcSession.collect(pool, sql.comparesInUtc(), sql.eligibleKeys(after != null),
                sql.eligibleKeysArgs(after, cutoffEpochMs), RangeCuts.keys(policy.batchSize(), sql::keyAt, planned)));
    }

    /**
     * Plans every range after {@code after} (null: from the table's first row) by the walk of one query per range ({@link #next}):
     * the server counts each range's rows and finds its ends (an index range scan of {@code batch-size} eligible rows on PRIMARY),
     * so only a range's ends cross the wire, never every key; each range goes to {@code planned} as soon as it is known. The same
     * ranges as {@link #stream} (StreamedPlanningTest), in flat memory on both sides.
     */
    public Uni<RangeCuts.Cut> walk(ArchivePolicies.Policy policy, KeyColumns key, long cutoffEpochMs, KeyValue after, List<HeldRange> held,
            java.util.function.Consumer<PlannedRange> planned) {
        KeyValue[] cursor = {after};
        // a loop of queries, each after the last range's last key (never a recursion: a plan may have any number of ranges)
        return Multi.createBy().repeating().uni(() -> next(policy, key, cutoffEpochMs, cursor[0], held)
                .invoke(found -> found.ifPresent(range -> cursor[0] = range.lastKey() != null ? range.lastKey() : KeyValue.of(range.lastId()))))
                .until(Optional::isEmpty).map(Optional::get).invoke(planned)
                .collect().in(() -> new long[2], (sums, range) -> {
                    sums[0]++;
                    sums[1] += range.rows();
                }).map(sums -> new RangeCuts.Cut(sums[0], sums[1]));
    }

    /**
     * The next range after {@code after} (null: from the table's first row): the last range's last key. A one-integer key's
     * range holds no key of {@code held}; a whole-key range is not compared with them (a key-range hold names integer keys).
     */
    public Uni<Optional<PlannedRange>> next(ArchivePolicies.Policy policy, KeyColumns key, long cutoffEpochMs, KeyValue after,
            List<HeldRange> held) {
        if (key.isSingleInteger()) {
            return nextOutside(policy, cutoffEpochMs, after == null ? -1 : Long.parseLong(after.part(0)), held);
        }
        KeyRangeRows sql = new KeyRangeRows(policy, key);
        return pools.pool(policy.source()).chain(pool -> UtcSession.query(pool, sql.comparesInUtc(), sql.nextBatch(after != null),
                sql.nextBatchArgs(after, cutoffEpochMs, policy.batchSize()))
                .map(rows -> Optional.ofNullable(sql.planned(rows)).map(p -> new PlannedRange(0, 0, p.rows(), p.first(), p.last()))));
    }

    /** The next id range after {@code afterId} that starts after any held range it would begin in and stops before the next one. */
    private Uni<Optional<PlannedRange>> nextOutside(ArchivePolicies.Policy policy, long cutoffEpochMs, long afterId, List<HeldRange> held) {
        long from = afterId;
        for (boolean moved = true; moved;) {
            moved = false;
            for (HeldRange range : held) {
                if (range.contains(from + 1)) {
                    from = range.last();
                    moved = true;
                }
            }
        }
        long start = from;
        Optional<HeldRange> ahead = held.stream().filter(range -> range.first() > start).min(Comparator.comparingLong(HeldRange::first));
        if (ahead.isEmpty()) {
            return next(policy, cutoffEpochMs, start);
        }
        long below = ahead.get().first();
        EligibleRows sql = new EligibleRows(policy);
        return pools.pool(policy.source()).chain(pool -> UtcSession.query(pool, sql.comparesInUtc(), sql.nextBatchBelow(),
                sql.nextBatchBelowArgs(start, below, cutoffEpochMs, policy.batchSize())).chain(rows -> {
                    Row row = rows.iterator().next();
                    long count = row.getLong("n");
                    // nothing eligible before the held range: go on after it
                    return count == 0 ? nextOutside(policy, cutoffEpochMs, below - 1, held)
                            : Uni.createFrom().item(Optional.of(new PlannedRange(row.getLong("lo"), row.getLong("hi"), count)));
                }));
    }

    public Uni<Optional<PlannedRange>> next(ArchivePolicies.Policy policy, long cutoffEpochMs, long afterId) {
        EligibleRows sql = new EligibleRows(policy);
        // the policy's table is read in its source's database (the control database's pool for source control)
        return pools.pool(policy.source()).chain(pool -> UtcSession.query(pool, sql.comparesInUtc(), sql.nextBatch(), sql.nextBatchArgs(afterId, cutoffEpochMs, policy.batchSize()))
                .map(rows -> {
                    Row row = rows.iterator().next();
                    long count = row.getLong("n");
                    return count == 0 ? Optional.empty() : Optional.of(new PlannedRange(row.getLong("lo"), row.getLong("hi"), count));
                }));
    }
}
