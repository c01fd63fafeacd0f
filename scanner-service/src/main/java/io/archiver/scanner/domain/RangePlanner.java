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
import io.archiver.table.TableFactsReader;
import io.archiver.table.UtcSession;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.archiver.support.source.SourcePools;
import io.vertx.mutiny.sqlclient.Row;

/**
 * Plans a run's ranges on the primary key ({@link #walk}): ranges of {@code batch-size} eligible rows in key order, none over a
 * range held in the source, found in the server so that only each range's ends cross the wire. A one-integer key's ranges are
 * ids as they always were; any other key's ranges are whole keys ({@link KeyRangeRows#nextBatch}, docs/keys.md).
 * StreamedPlanningTest checks the plan against a reference that streams every eligible key and cuts them as it reads.
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

    /** Reads of range ends per statement ({@link EligibleRows#rankedIds}): 5 values each, one round trip per 50 ranges. */
    private static final int READS_PER_STATEMENT = 100;

    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(RangePlanner.class);

    private final SourcePools pools;
    private final java.util.concurrent.atomic.AtomicLong walkedAfterCount = new java.util.concurrent.atomic.AtomicLong();

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

    /** What a plan found: its ranges and their eligible rows. */
    public record Planned(long ranges, long rows) {
    }

    /**
     * Plans every range after {@code after} (null: from the table's first row); each range goes to {@code planned} as soon as it
     * is known. A one-integer key with a date index is planned by rank ({@link #byRank}): the eligible ids counted in the date
     * index, then only each range's ends read on PRIMARY. Any other key, or a table without a date index, by the walk of one
     * query per range ({@link #next}). Either way only a range's ends cross the wire, never every key, and the ranges are the
     * ones the walk cuts (StreamedPlanningTest), in flat memory on both sides.
     */
    public Uni<Planned> walk(ArchivePolicies.Policy policy, KeyColumns key, long cutoffEpochMs, KeyValue after, List<HeldRange> held,
            java.util.function.Consumer<PlannedRange> planned) {
        return plan(policy, key, cutoffEpochMs, after, 1, BatchRamp.none(policy.batchSize()), held, planned);
    }

    /**
     * {@link #walk} as a run plans: the range at each place of the plan holds {@code ramp.rows(place)} eligible rows (a run's first
     * batches smaller, {@link BatchRamp}), {@code seq} the place of the first range after {@code after}. The ranges at each place
     * are the same whether a plan runs in one go or resumes after its last recorded range, by rank or by the walk.
     */
    public Uni<Planned> plan(ArchivePolicies.Policy policy, KeyColumns key, long cutoffEpochMs, KeyValue after, int seq, BatchRamp ramp,
            List<HeldRange> held, java.util.function.Consumer<PlannedRange> planned) {
        long[] sums = new long[2];
        int[] place = {seq};
        java.util.function.Consumer<PlannedRange> counted = range -> {
            sums[0]++;
            sums[1] += range.rows();
            place[0]++;
            planned.accept(range);
        };
        Uni<Void> plan;
        if (!key.isSingleInteger()) {
            plan = walkByQueries(policy, key, cutoffEpochMs, after, seq, ramp, held, counted);
        } else {
            long afterId = after == null ? -1 : Long.parseLong(after.part(0));
            plan = pools.pool(policy.source()).chain(pool -> new TableFactsReader(pool).dateIndex(policy).chain(index -> index.isEmpty()
                    ? walkByQueries(policy, key, cutoffEpochMs, after, seq, ramp, held, counted)
                    : byRank(pool, policy, key, index.get(), cutoffEpochMs, afterId, place, ramp, held, counted)));
        }
        return plan.map(ignored -> new Planned(sums[0], sums[1]));
    }

    /** How many plans by rank were finished by the walk because a read found fewer ids than were counted (tests check it). */
    long walkedAfterCount() {
        return walkedAfterCount.get();
    }

    /** The walk: one query per range, each after the last range's last key ({@link #next}), of the ramp's rows for its place. */
    private Uni<Void> walkByQueries(ArchivePolicies.Policy policy, KeyColumns key, long cutoffEpochMs, KeyValue after, int seq, BatchRamp ramp,
            List<HeldRange> held, java.util.function.Consumer<PlannedRange> planned) {
        KeyValue[] cursor = {after};
        int[] place = {seq};
        // a loop of queries, each after the last range's last key (never a recursion: a plan may have any number of ranges)
        return Multi.createBy().repeating().uni(() -> next(policy, key, cutoffEpochMs, cursor[0], held, ramp.rows(place[0]))
                .invoke(found -> found.ifPresent(range -> {
                    cursor[0] = range.lastKey() != null ? range.lastKey() : KeyValue.of(range.lastId());
                    place[0]++;
                })))
                .until(Optional::isEmpty).map(Optional::get).invoke(planned)
                .collect().last().replaceWithVoid();
    }

    /** Ids {@code after < id < below} ({@code below} null: no end), none of them held. */
    private record Stretch(long after, Long below) {
    }

    /**
     * The one-integer plan by rank, stretch by stretch between the held ranges ({@link #stretches}): per stretch one count of its
     * eligible ids per bucket in the date index ({@link EligibleRows#rangeEnds}, index entries only: the index is a fraction of
     * the table's rows, which the walk reads), then each range's first and last id read at its rank in its bucket on PRIMARY
     * ({@link RangeRanks}). Should a read find fewer ids than were counted (rows deleted in between), the rest is walked.
     */
    private Uni<Void> byRank(io.vertx.mutiny.sqlclient.Pool pool, ArchivePolicies.Policy policy, KeyColumns key, String dateIndex, long cutoffEpochMs,
            long afterId, int[] place, BatchRamp ramp, List<HeldRange> held, java.util.function.Consumer<PlannedRange> planned) {
        EligibleRows sql = new EligibleRows(policy);
        return pool.preparedQuery(sql.idSpan()).execute(io.vertx.mutiny.sqlclient.Tuple.of(sql.tableName())).chain(spanRows -> {
            Row span = spanRows.iterator().next();
            if (span.getValue("hi") == null) {
                return Uni.createFrom().voidItem(); // an empty table
            }
            Object estimate = span.getValue("est");
            long width = RangeRanks.width(policy.batchSize(), span.getLong("lo"), span.getLong("hi"),
                    estimate == null ? 0 : ((Number) estimate).longValue());
            Long[] walkFrom = {null};
            return Multi.createFrom().iterable(stretches(afterId, held)).onItem().transformToUniAndConcatenate(stretch -> walkFrom[0] != null
                    ? Uni.createFrom().item(Boolean.TRUE)
                    : stretch(pool, sql, dateIndex, width, ramp, place[0], cutoffEpochMs, stretch, planned).invoke(complete -> {
                        if (!complete) {
                            walkFrom[0] = stretch.after();
                            walkedAfterCount.incrementAndGet();
                            LOG.infof("plan of table %s: a read by rank after id %d found fewer ids than the date index counted (rows changed"
                                    + " meanwhile); the rest is planned by the walk of one query per range", policy.table(), stretch.after());
                        }
                    })).collect().asList()
                    .chain(ignored -> walkFrom[0] == null ? Uni.createFrom().voidItem()
                            : walkByQueries(policy, key, cutoffEpochMs, KeyValue.of(walkFrom[0]), place[0], ramp, held, planned));
        });
    }

    /**
     * One stretch's ranges by rank, the first at place {@code seq}; false, having handed on none, when a read found fewer ids than
     * the count said. The count keeps the buckets where a multiple of the ramp's granularity falls: every range's ends among them.
     */
    private static Uni<Boolean> stretch(io.vertx.mutiny.sqlclient.Pool pool, EligibleRows sql, String dateIndex, long width, BatchRamp ramp,
            int seq, long cutoffEpochMs, Stretch stretch, java.util.function.Consumer<PlannedRange> planned) {
        return UtcSession.query(pool, sql.comparesInUtc(), sql.rangeEnds(dateIndex, stretch.below() != null),
                sql.rangeEndsArgs(stretch.after(), stretch.below(), width, cutoffEpochMs, (int) ramp.granularity(seq))).chain(rows -> {
                    List<RangeRanks.Bucket> buckets = new java.util.ArrayList<>(rows.size());
                    long total = 0;
                    for (Row row : rows) {
                        buckets.add(new RangeRanks.Bucket(row.getLong("b"), row.getLong("n"), row.getLong("c")));
                        total = row.getLong("t");
                    }
                    if (buckets.isEmpty()) {
                        return Uni.createFrom().item(Boolean.TRUE);
                    }
                    RangeRanks ranks = new RangeRanks(ramp, seq, stretch.after(), stretch.below(), width, total, buckets);
                    List<List<RangeRanks.Lookup>> statements = new java.util.ArrayList<>();
                    for (int from = 0; from < ranks.lookups().size(); from += READS_PER_STATEMENT) {
                        statements.add(ranks.lookups().subList(from, Math.min(from + READS_PER_STATEMENT, ranks.lookups().size())));
                    }
                    return Multi.createFrom().iterable(statements).onItem().transformToUniAndConcatenate(reads -> UtcSession.query(pool,
                            sql.comparesInUtc(), sql.rankedIds(reads.size()), sql.rankedIdsArgs(cutoffEpochMs,
                                    reads.stream().map(l -> new long[] { l.lo(), l.hi(), l.offset(), l.count() }).toList()))
                            .map(found -> {
                                long[][] read = new long[reads.size()][];
                                int[] sizes = new int[reads.size()];
                                for (int q = 0; q < read.length; q++) {
                                    read[q] = new long[reads.get(q).count()];
                                }
                                for (Row row : found) {
                                    int q = row.getInteger("q");
                                    if (sizes[q] == read[q].length) {
                                        return false;
                                    }
                                    read[q][sizes[q]++] = row.getLong("k");
                                }
                                boolean all = true;
                                for (int q = 0; q < read.length; q++) {
                                    all &= ranks.found(reads.get(q), java.util.Arrays.copyOf(read[q], sizes[q]));
                                }
                                return all;
                            }))
                            .collect().asList().map(all -> {
                                return !all.contains(Boolean.FALSE) && ranks.ranges(planned);
                            });
                });
    }

    /**
     * The stretches of ids after {@code afterId} that no held range touches, in order, as the walk moves through them
     * ({@link #nextOutside}): each begins after the held ranges it would begin in and ends before the next one.
     */
    static List<Stretch> stretches(long afterId, List<HeldRange> held) {
        List<Stretch> stretches = new java.util.ArrayList<>();
        long from = afterId;
        while (true) {
            for (boolean moved = true; moved;) {
                moved = false;
                for (HeldRange range : held) {
                    if (from < Long.MAX_VALUE && range.contains(from + 1)) {
                        from = range.last();
                        moved = true;
                    }
                }
            }
            if (from == Long.MAX_VALUE) {
                return stretches;
            }
            long start = from;
            Optional<HeldRange> ahead = held.stream().filter(range -> range.first() > start).min(Comparator.comparingLong(HeldRange::first));
            if (ahead.isEmpty()) {
                stretches.add(new Stretch(start, null));
                return stretches;
            }
            stretches.add(new Stretch(start, ahead.get().first()));
            from = ahead.get().first() - 1;
        }
    }

    /**
     * The next range after {@code after} (null: from the table's first row): the last range's last key. A one-integer key's
     * range holds no key of {@code held}; a whole-key range is not compared with them (a key-range hold names integer keys).
     */
    public Uni<Optional<PlannedRange>> next(ArchivePolicies.Policy policy, KeyColumns key, long cutoffEpochMs, KeyValue after,
            List<HeldRange> held) {
        return next(policy, key, cutoffEpochMs, after, held, policy.batchSize());
    }

    /** {@link #next} of at most {@code rows} eligible rows instead of the policy's batch-size (a run's first batches: {@link BatchRamp}). */
    public Uni<Optional<PlannedRange>> next(ArchivePolicies.Policy policy, KeyColumns key, long cutoffEpochMs, KeyValue after,
            List<HeldRange> held, int rows) {
        if (key.isSingleInteger()) {
            return nextOutside(policy, cutoffEpochMs, after == null ? -1 : Long.parseLong(after.part(0)), held, rows);
        }
        KeyRangeRows sql = new KeyRangeRows(policy, key);
        return pools.pool(policy.source()).chain(pool -> UtcSession.query(pool, sql.comparesInUtc(), sql.nextBatch(after != null),
                sql.nextBatchArgs(after, cutoffEpochMs, rows))
                .map(found -> Optional.ofNullable(sql.planned(found)).map(p -> new PlannedRange(0, 0, p.rows(), p.first(), p.last()))));
    }

    /** The next id range after {@code afterId} that starts after any held range it would begin in and stops before the next one. */
    private Uni<Optional<PlannedRange>> nextOutside(ArchivePolicies.Policy policy, long cutoffEpochMs, long afterId, List<HeldRange> held,
            int rows) {
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
            return next(policy, cutoffEpochMs, start, rows);
        }
        long below = ahead.get().first();
        EligibleRows sql = new EligibleRows(policy);
        return pools.pool(policy.source()).chain(pool -> UtcSession.query(pool, sql.comparesInUtc(), sql.nextBatchBelow(),
                sql.nextBatchBelowArgs(start, below, cutoffEpochMs, rows)).chain(found -> {
                    Row row = found.iterator().next();
                    long count = row.getLong("n");
                    // nothing eligible before the held range: go on after it
                    return count == 0 ? nextOutside(policy, cutoffEpochMs, below - 1, held, rows)
                            : Uni.createFrom().item(Optional.of(new PlannedRange(row.getLong("lo"), row.getLong("hi"), count)));
                }));
    }

    public Uni<Optional<PlannedRange>> next(ArchivePolicies.Policy policy, long cutoffEpochMs, long afterId) {
        return next(policy, cutoffEpochMs, afterId, policy.batchSize());
    }

    private Uni<Optional<PlannedRange>> next(ArchivePolicies.Policy policy, long cutoffEpochMs, long afterId, int rows) {
        EligibleRows sql = new EligibleRows(policy);
        // the policy's table is read in its source's database (the control database's pool for source control)
        return pools.pool(policy.source()).chain(pool -> UtcSession.query(pool, sql.comparesInUtc(), sql.nextBatch(), sql.nextBatchArgs(afterId, cutoffEpochMs, rows))
                .map(found -> {
                    Row row = found.iterator().next();
                    long count = row.getLong("n");
                    return count == 0 ? Optional.empty() : Optional.of(new PlannedRange(row.getLong("lo"), row.getLong("hi"), count));
                }));
    }
}
