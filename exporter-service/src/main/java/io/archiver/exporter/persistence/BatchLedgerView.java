package io.archiver.exporter.persistence;

import java.time.Duration;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowIterator;
import io.vertx.mutiny.sqlclient.Tuple;

/** Read-only view of the scanner's ledger: is a batch known, with which range, and has it ended? */
@ApplicationScoped
public class BatchLedgerView {

    /** A batch as the ledger has it. */
    public record LedgerBatch(String runId, long firstId, long lastId, long cutoffEpochMs, String state, Long removedThroughId) {
        public boolean ended() {
            return "DELETED".equals(state) || "FAILED".equals(state);
        }

        /** The deleter has committed at least one chunk of the batch. */
        public boolean deletionStarted() {
            return removedThroughId != null;
        }
    }

    private final Pool pool;

    public BatchLedgerView(Pool pool) {
        this.pool = pool;
    }

    public Optional<LedgerBatch> find(String batchId, Duration timeout) {
        RowIterator<Row> rows = pool.preparedQuery("SELECT b.run_id, b.first_id, b.last_id, r.cutoff_epoch_ms, b.state, b.removed_through_id"
                + " FROM archive_batch b JOIN archive_run r ON r.run_id = b.run_id WHERE b.batch_id = ?")
                .execute(Tuple.of(batchId)).await().atMost(timeout).iterator();
        if (!rows.hasNext()) {
            return Optional.empty();
        }
        Row row = rows.next();
        return Optional.of(new LedgerBatch(row.getString(0), row.getLong(1), row.getLong(2), row.getLong(3), row.getString(4), row.getLong(5)));
    }
}
