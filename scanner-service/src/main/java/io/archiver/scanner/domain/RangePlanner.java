package io.archiver.scanner.domain;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.archiver.support.policy.ArchivePolicies;
import io.archiver.table.EligibleRows;
import io.archiver.table.UtcSession;
import io.smallrye.mutiny.Uni;
import io.archiver.support.source.SourcePools;
import io.vertx.mutiny.sqlclient.Row;

/**
 * Plans a run's id ranges by a keyset walk on the primary key: each step reads the ids of the next
 * {@code batch-size} eligible rows after the previous range (an index range scan, never a full
 * scan per batch) and returns their first and last id and their count.
 */
@ApplicationScoped
public class RangePlanner {

    /** A planned range: rows {@code firstId..lastId} of which {@code rows} are eligible. */
    public record PlannedRange(long firstId, long lastId, long rows) {
    }

    private final SourcePools pools;

    public RangePlanner(SourcePools pools) {
        this.pools = pools;
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
