package io.archiver.exporter.persistence;

import java.time.Duration;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.archiver.exporter.domain.ExportConfig;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowIterator;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/** Read-only view of the scanner's ledger: is a batch known, with which range, and how far has it got? */
@ApplicationScoped
public class BatchLedgerView {

    /** A batch as the ledger has it. */
    public record LedgerBatch(String runId, long firstId, long lastId, long cutoffEpochMs, String state, Long removedThroughId,
            Long rowsRemoved) {
        public boolean ended() {
            return "DELETED".equals(state) || "FAILED".equals(state);
        }

        /** The deleter has committed at least one chunk of the batch. */
        public boolean deletionStarted() {
            return removedThroughId != null;
        }
    }

    private final Pool pool;
    private final ExportConfig config;

    public BatchLedgerView(Pool pool, ExportConfig config) {
        this.pool = pool;
        this.config = config;
    }

    /** The batch as committed now. */
    public Optional<LedgerBatch> find(String batchId) {
        return find(pool, batchId, config.dbTimeout());
    }

    /** The batch as {@code client} sees it (a transaction's snapshot, for {@link RangeReader}). */
    static Optional<LedgerBatch> find(SqlClient client, String batchId, Duration timeout) {
        RowIterator<Row> rows = client.preparedQuery("SELECT b.run_id, b.first_id, b.last_id, r.cutoff_epoch_ms, b.state,"
                + " b.removed_through_id, b.rows_removed FROM archive_batch b JOIN archive_run r ON r.run_id = b.run_id WHERE b.batch_id = ?")
                .execute(Tuple.of(batchId)).await().atMost(timeout).iterator();
        if (!rows.hasNext()) {
            return Optional.empty();
        }
        Row row = rows.next();
        return Optional.of(new LedgerBatch(row.getString(0), row.getLong(1), row.getLong(2), row.getLong(3), row.getString(4), row.getLong(5),
                row.getLong(6)));
    }
}
