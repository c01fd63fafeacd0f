package io.archiver.scanner.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

import io.archiver.scanner.domain.RangePlanner.PlannedRange;

/**
 * {@link RangeRanks} without a server: for ids of any spread, batch size and bucket width, the buckets counted as
 * {@code EligibleRows#rangeEnds} counts them and the ids its reads would find give the ranges of cutting the ids in order,
 * {@code batch} at a time; a read that finds fewer ids than were counted fails the plan.
 */
class RangeRanksTest {

    @Test
    void theRangesByRankAreTheIdsCutInOrderForAnySpreadBatchAndWidth() {
        Random random = new Random(25);
        for (int round = 0; round < 300; round++) {
            long after = random.nextBoolean() ? -1 : random.nextInt(50);
            long[] ids = ids(random, after);
            long id = ids.length == 0 ? after : ids[ids.length - 1];
            Long below = random.nextBoolean() ? null : id + 1 + random.nextInt(5);
            int batch = 1 + random.nextInt(round % 3 == 0 ? 3 : 60);
            long width = 1 + random.nextInt(random.nextBoolean() ? 5 : 400);
            assertThat(byRank(ids, after, below, width, batch)).as("round %d: batch %d width %d", round, batch, width)
                    .isEqualTo(cut(ids, batch));
        }
    }

    @Test
    void withARampTheRangesAreTheIdsCutByEachPlacesRowsFromAnyFirstPlace() {
        Random random = new Random(515);
        for (int round = 0; round < 300; round++) {
            long after = random.nextBoolean() ? -1 : random.nextInt(50);
            long[] ids = ids(random, after);
            BatchRamp ramp = new BatchRamp(1 + random.nextInt(90), 1 + random.nextInt(12));
            int seq = 1 + random.nextInt(4);
            long width = 1 + random.nextInt(random.nextBoolean() ? 5 : 400);
            // the count keeps the buckets where a multiple of the ramp's granularity from this place falls
            RangeRanks ranks = new RangeRanks(ramp, seq, after, null, width, ids.length, buckets(ids, after, width, (int) ramp.granularity(seq)));
            assertThat(read(ranks, ids)).as("round %d: %s from place %d, width %d", round, ramp, seq, width).isEqualTo(cut(ids, ramp, seq));
        }
    }

    @Test
    void idsNearTheLargestBigintAndOneBucketOverEverything() {
        long[] ids = { 0, 1, 2, Long.MAX_VALUE - 2, Long.MAX_VALUE - 1, Long.MAX_VALUE };
        for (int batch = 1; batch <= 7; batch++) {
            assertThat(byRank(ids, -1, null, Long.MAX_VALUE / 2, batch)).isEqualTo(cut(ids, batch));
            assertThat(byRank(ids, -1, null, RangeRanks.width(batch, 0, Long.MAX_VALUE, 6), batch)).isEqualTo(cut(ids, batch));
        }
    }

    @Test
    void aReadThatFindsFewerIdsThanWereCountedFailsThePlan() {
        long[] ids = { 1, 2, 3, 4, 5 };
        RangeRanks ranks = new RangeRanks(2, 0, null, 10, ids.length, buckets(ids, 0, 10, 2));
        RangeRanks.Lookup lookup = ranks.lookups().get(0);
        assertThat(ranks.found(lookup, new long[lookup.count() - 1])).isFalse();
    }

    @Test
    void idsReadOutOfTheirRanksOrderFailThePlanAndHandOnNoRange() {
        long[] ids = { 1, 2, 3, 4, 5, 6, 7, 8, 9 };
        RangeRanks ranks = new RangeRanks(3, 0, null, 100, ids.length, buckets(ids, 0, 100, 3));
        // each read finds as many ids as it counted, but the last one finds an id below the one before it
        List<RangeRanks.Lookup> lookups = ranks.lookups();
        for (int l = 0; l < lookups.size(); l++) {
            RangeRanks.Lookup lookup = lookups.get(l);
            long[] read = java.util.Arrays.stream(ids).skip(lookup.offset()).limit(lookup.count()).toArray();
            if (l == lookups.size() - 1) {
                read[read.length - 1] = 2;
            }
            assertThat(ranks.found(lookup, read)).isTrue();
        }
        List<PlannedRange> ranges = new ArrayList<>();
        assertThat(ranks.ranges(ranges::add)).isFalse();
        assertThat(ranges).isEmpty();
    }

    @Test
    void bucketsHoldAboutAThirtySecondOfABatchAtTheTablesDensity() {
        // 1M rows over ids 1..4M, batches of 10,000: 312 rows, 1,248 ids a bucket
        assertThat(RangeRanks.width(10_000, 1, 4_000_000, 1_000_000)).isEqualTo(1_248);
        assertThat(RangeRanks.width(1, 1, 100, 100)).isEqualTo(1);
        // no estimate: still at most 2^18 buckets over the span
        assertThat(RangeRanks.width(10_000, 1, 1L << 40, 0)).isGreaterThanOrEqualTo((1L << 40) >> 18);
    }

    /** Up to 400 ids after {@code after}, in order, mostly dense with some wide gaps. */
    private static long[] ids(Random random, long after) {
        long[] ids = new long[random.nextInt(400)];
        long id = after;
        for (int i = 0; i < ids.length; i++) {
            id += 1 + (random.nextInt(10) == 0 ? random.nextInt(1000) : random.nextInt(3));
            ids[i] = id;
        }
        return ids;
    }

    private static List<PlannedRange> byRank(long[] ids, long after, Long below, long width, int batch) {
        return read(new RangeRanks(batch, after, below, width, ids.length, buckets(ids, after, width, batch)), ids);
    }

    /** Every lookup answered from the ids, then the ranges. */
    private static List<PlannedRange> read(RangeRanks ranks, long[] ids) {
        for (RangeRanks.Lookup lookup : ranks.lookups()) {
            // as EligibleRows#rankedIds: the ids lo..hi in order, skipping offset, at most count
            long[] read = java.util.Arrays.stream(ids).filter(i -> i >= lookup.lo() && i <= lookup.hi()).skip(lookup.offset())
                    .limit(lookup.count()).toArray();
            assertThat(ranks.found(lookup, read)).isTrue();
        }
        List<PlannedRange> ranges = new ArrayList<>();
        assertThat(ranks.ranges(ranges::add)).isTrue();
        return ranges;
    }

    /** As EligibleRows#rangeEnds counts: per bucket, running counts, only buckets holding a range's first or last rank. */
    private static List<RangeRanks.Bucket> buckets(long[] ids, long after, long width, int batch) {
        TreeMap<Long, Long> counts = new TreeMap<>();
        for (long id : ids) {
            counts.merge((id - (after + 1)) / width, 1L, Long::sum);
        }
        long total = ids.length;
        List<RangeRanks.Bucket> buckets = new ArrayList<>();
        long c = 0;
        for (var bucket : counts.entrySet()) {
            long n = bucket.getValue();
            c += n;
            if (c == n || c == total || (c - n) / batch != c / batch || (c - n - 1) / batch != (c - 1) / batch) {
                buckets.add(new RangeRanks.Bucket(bucket.getKey(), n, c));
            }
        }
        return buckets;
    }

    /** The ids cut in order, the range at place {@code seq + k} holding {@code ramp.rows(seq + k)} of them. */
    private static List<PlannedRange> cut(long[] ids, BatchRamp ramp, int seq) {
        List<PlannedRange> ranges = new ArrayList<>();
        for (int i = 0, place = seq; i < ids.length; i += ramp.rows(place++)) {
            int last = Math.min(i + ramp.rows(place), ids.length) - 1;
            ranges.add(new PlannedRange(ids[i], ids[last], last - i + 1));
        }
        return ranges;
    }

    private static List<PlannedRange> cut(long[] ids, int batch) {
        List<PlannedRange> ranges = new ArrayList<>();
        for (int i = 0; i < ids.length; i += batch) {
            int last = Math.min(i + batch, ids.length) - 1;
            ranges.add(new PlannedRange(ids[i], ids[last], last - i + 1));
        }
        return ranges;
    }
}
