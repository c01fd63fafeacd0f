package io.archiver.scanner.domain;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.archiver.events.KeyColumns;
import io.archiver.events.KeyValue;
import io.archiver.support.policy.ArchivePolicies;
import io.archiver.table.EligibleRows;
import io.archiver.table.KeyColumnsReader;
import io.archiver.table.KeyRangeRows;
import io.archiver.table.UtcSession;
import io.smallrye.mutiny.Uni;
import io.archiver.support.source.SourcePools;
import io.vertx.mutiny.sqlclient.Row;

/**
 * Plans a run's ranges by a keyset walk on the primary key: each step reads the keys of the next
 * {@code batch-size} eligible rows after the previous range (an index range scan, never a full
 * scan per batch) and returns their first and last key and their count. A one-integer key's ranges are
 * ids as they always were; any other key's ranges are whole keys ({@link KeyRangeRows#nextBatch}, docs/keys.md).
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

    /** The next range after {@code after} (null: from the table's first row): the last range's last key. */
    public Uni<Optional<PlannedRange>> next(ArchivePolicies.Policy policy, KeyColumns key, long cutoffEpochMs, KeyValue after) {
        if (key.isSingleInteger()) {
            return next(policy, cutoffEpochMs, after == null ? -1 : Long.parseLong(after.part(0)));
        }
        KeyRangeRows sql = new KeyRangeRows(policy, key);
        return pools.pool(policy.source()).chain(pool -> UtcSession.query(pool, sql.comparesInUtc(), sql.nextBatch(after != null),
                sql.nextBatchArgs(after, cutoffEpochMs, policy.batchSize()))
                .map(rows -> Optional.ofNullable(sql.planned(rows)).map(p -> new PlannedRange(0, 0, p.rows(), p.first(), p.last()))));
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
