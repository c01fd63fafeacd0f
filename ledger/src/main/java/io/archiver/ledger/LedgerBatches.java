package io.archiver.ledger;

import java.time.Duration;
import java.util.Optional;

import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowIterator;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/** The ledger's batches read with the Vert.x SQL client, as the exporter and the deleter read them. */
public final class LedgerBatches {

    private LedgerBatches() {
    }

    /** The batch as {@code client} sees it (a pool: as committed now; a connection: in its transaction), waiting at most {@code timeout}. */
    public static Optional<LedgerBatch> find(SqlClient client, String batchId, Duration timeout) {
        RowIterator<Row> rows = client.preparedQuery(LedgerSql.BATCH_IN_RUN).execute(Tuple.of(batchId)).await().atMost(timeout).iterator();
        if (!rows.hasNext()) {
            return Optional.empty();
        }
        Row row = rows.next();
        return Optional.of(new LedgerBatch(row.getString("run_id"), row.getLong("first_id"), row.getLong("last_id"),
                row.getLong("cutoff_epoch_ms"), BatchState.valueOf(row.getString("state")), value(row.getLong("rows_removed")),
                row.getLong("removed_through_id"), value(row.getLong("rows_kept_changed")), value(row.getLong("rows_kept_not_in_object")),
                value(row.getLong("rows_missing")), row.getString("exceptions_key"), row.getString("first_key"), row.getString("last_key"),
                row.getString("removed_through_key")));
    }

    private static long value(Long value) {
        return value == null ? 0 : value;
    }

    /** Locks the batch's row in {@code client}'s transaction (the deleter's chunks: the scanner locks run, then batch, no cycle). */
    public static void lock(SqlClient client, String batchId, Duration timeout) {
        client.preparedQuery(LedgerSql.LOCK_BATCH).execute(Tuple.of(batchId)).await().atMost(timeout);
    }
}
