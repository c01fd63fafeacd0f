package io.archiver.scanner.domain;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import io.archiver.scanner.domain.RangePlanner.PlannedRange;

/**
 * One stretch of ids' ranges by rank, from the date index's counts per bucket of ids ({@code EligibleRows#rangeEnds}): range
 * {@code k} holds the next {@code ramp.rows(firstSeq + k)} eligible ids in id order (without a ramp: ranks {@code k * batch + 1}
 * to {@code min((k + 1) * batch, total)}), which are exactly the rows the walk of one {@code LIMIT} query per range puts in it. Only the ids at those ranks are read
 * ({@link #lookups}: each a range scan of the one bucket that holds them, {@code EligibleRows#rankedIds}), never every id.
 */
final class RangeRanks {

    /** Buckets are cut to hold about this share of a batch, so that reading a rank in one reads a few pages of rows. */
    private static final int RANKS_PER_BATCH_BUCKET = 32;
    /** At most this many buckets: the server keeps one row per bucket while it counts, in memory (a few MB) at this many. */
    private static final double MAX_BUCKETS = 1 << 18;
    /** At most this many ids per read. */
    private static final int MAX_READ = 10_000;

    /** Bucket {@code b}: {@code n} eligible ids, {@code c} of them up to its end. */
    record Bucket(long b, long n, long c) {
    }

    /** One read: the eligible ids {@code offset + 1 ..} ({@code count} of them) of ids {@code lo..hi}, ranks {@code ranks[first..]}. */
    record Lookup(long lo, long hi, long offset, int count, int first) {
    }

    private final BatchRamp ramp;
    private final int firstSeq;
    private final long total;
    private final long[] ranks;
    private final long[] ids;
    private final List<Lookup> lookups = new ArrayList<>();

    /**
     * @param after the stretch's ids are above it; bucket {@code b} begins at id {@code after + 1 + b * width}
     * @param below the stretch's ids are below it (a held range begins there), or null
     * @param buckets in order of {@code b}: at least those that hold a range's first or last rank
     */
    RangeRanks(int batch, long after, Long below, long width, long total, List<Bucket> buckets) {
        this(BatchRamp.none(batch), 1, after, below, width, total, buckets);
    }

    /**
     * @param ramp the rows of the range at each place of the run's plan
     * @param firstSeq the place of this stretch's first range
     */
    RangeRanks(BatchRamp ramp, int firstSeq, long after, Long below, long width, long total, List<Bucket> buckets) {
        this.ramp = ramp;
        this.firstSeq = firstSeq;
        this.total = total;
        long[] wanted = new long[16];
        int size = 0;
        int seq = firstSeq;
        for (long first = 1; first <= total; first += ramp.rows(seq++)) {
            long last = Math.min(first + ramp.rows(seq) - 1, total);
            if (size + 2 > wanted.length) {
                wanted = java.util.Arrays.copyOf(wanted, wanted.length * 2);
            }
            wanted[size++] = first;
            if (last != first) {
                wanted[size++] = last;
            }
        }
        this.ranks = java.util.Arrays.copyOf(wanted, size);
        this.ids = new long[size];
        int at = 0;
        for (int i = 0; i < size;) {
            while (at < buckets.size() && buckets.get(at).c() < ranks[i]) {
                at++;
            }
            if (at == buckets.size() || buckets.get(at).c() - buckets.get(at).n() >= ranks[i]) {
                throw new IllegalStateException("no bucket counted for rank " + ranks[i] + " of " + total);
            }
            Bucket bucket = buckets.get(at);
            long before = bucket.c() - bucket.n();
            int first = i;
            // the ranks that follow one another in this bucket: one read
            while (i < size && ranks[i] <= bucket.c() && ranks[i] == ranks[first] + (i - first) && i - first < MAX_READ) {
                i++;
            }
            long lo = after + 1 + bucket.b() * width;
            long hi = width - 1 > Long.MAX_VALUE - lo ? Long.MAX_VALUE : lo + width - 1;
            if (below != null) {
                hi = Math.min(hi, below - 1);
            }
            lookups.add(new Lookup(lo, hi, ranks[first] - before - 1, i - first, first));
        }
    }

    /**
     * Ids per bucket: about {@code batch / 32} of the table's rows at its density (the server's estimate of its rows over its
     * primary key's span), at most {@link #MAX_BUCKETS} buckets over the span.
     */
    static long width(int batch, long lo, long hi, long estimatedRows) {
        double span = (double) hi - (double) lo + 1;
        double perBucket = Math.max(1, batch / RANKS_PER_BATCH_BUCKET);
        double width = Math.max(Math.ceil(perBucket * span / Math.max(1, estimatedRows)), Math.ceil(span / MAX_BUCKETS));
        return (long) Math.max(1, Math.min(width, (double) (1L << 62)));
    }

    List<Lookup> lookups() {
        return lookups;
    }

    /** The ids one lookup read, in order; false when fewer came than it counted (the table changed since). */
    boolean found(Lookup lookup, long[] read) {
        if (read.length != lookup.count()) {
            return false;
        }
        System.arraycopy(read, 0, ids, lookup.first(), read.length);
        return true;
    }

    /**
     * The ranges, in id order, after every lookup was {@link #found}; false, handing on none, where the ids read are not in
     * the order of their ranks. The reads run as several statements on a table that may be written meanwhile; rather than hand
     * on two ranges that could share a row, the plan is then walked.
     */
    boolean ranges(Consumer<PlannedRange> out) {
        for (int i = 1; i < ids.length; i++) {
            if (ids[i] <= ids[i - 1]) {
                return false;
            }
        }
        int i = 0;
        int seq = firstSeq;
        for (long first = 1; first <= total; first += ramp.rows(seq++)) {
            long last = Math.min(first + ramp.rows(seq) - 1, total);
            long firstId = ids[i++];
            long lastId = last == first ? firstId : ids[i++];
            out.accept(new PlannedRange(firstId, lastId, last - first + 1));
        }
        return true;
    }
}
