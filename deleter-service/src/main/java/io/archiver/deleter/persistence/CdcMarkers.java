package io.archiver.deleter.persistence;

import java.time.Duration;

import io.archiver.deleter.domain.DeleteConfig;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The CDC marker table of the source database ({@code archiver_cdc_marker}): one row written in each deleting (or moving)
 * transaction, before its deletes, so that a change-data-capture consumer (Debezium) reading the binlog finds the marker in
 * the same transaction as the archival deletes and can drop them (docs/cdc.md). Created by the deleter where absent;
 * markers older than {@code archiver.delete.cdc-marker.keep} are pruned, at most once an hour.
 */
public final class CdcMarkers {

    public static final String TABLE = "archiver_cdc_marker";

    private static final String CREATE = "CREATE TABLE IF NOT EXISTS " + TABLE + " (id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,"
            + " run_id VARCHAR(128) NOT NULL, batch_id VARCHAR(160) NOT NULL, policy VARCHAR(128) NOT NULL, chunk INT NOT NULL,"
            + " created_at TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3), KEY ix_archiver_cdc_marker_created (created_at))";
    private static final Duration PRUNE_EVERY = Duration.ofHours(1);

    private final DeleteConfig.CdcMarker config;
    private final Duration timeout;
    /** By source: each database a policy archives from has its own marker table. */
    private final java.util.Set<String> created = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final java.util.Map<String, Long> prunedAtNanos = new java.util.concurrent.ConcurrentHashMap<>();

    public CdcMarkers(DeleteConfig config) {
        this.config = config.cdcMarker();
        this.timeout = config.dbTimeout();
    }

    /** Creates the table where absent and prunes old markers; outside any chunk's transaction (DDL commits). */
    void ensure(SqlConnection connection, String source) {
        if (!config.enabled()) {
            return;
        }
        if (!created.contains(source)) {
            connection.query(CREATE).execute().await().atMost(timeout);
            created.add(source);
        }
        Long pruned = prunedAtNanos.get(source);
        if (pruned == null || System.nanoTime() - pruned > PRUNE_EVERY.toNanos()) {
            connection.preparedQuery("DELETE FROM " + TABLE + " WHERE created_at < NOW(3) - INTERVAL ? SECOND")
                    .execute(Tuple.of(config.keep().toSeconds())).await().atMost(timeout);
            prunedAtNanos.put(source, System.nanoTime());
        }
    }

    /** The marker of one chunk, in the chunk's transaction. */
    void insert(SqlConnection connection, String runId, String batchId, String policy, int chunk) {
        if (config.enabled()) {
            connection.preparedQuery("INSERT INTO " + TABLE + " (run_id, batch_id, policy, chunk) VALUES (?, ?, ?, ?)")
                    .execute(Tuple.of(runId, batchId, policy, chunk)).await().atMost(timeout);
        }
    }
}
