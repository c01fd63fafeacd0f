package io.archiver.exporter.persistence;

import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

import jakarta.enterprise.context.ApplicationScoped;

import io.archiver.events.BatchScope;
import io.archiver.rows.CanonicalEncoding;
import io.archiver.support.policy.ArchivePolicies;
import io.archiver.table.CanonicalRow;
import io.archiver.table.EligibleRows;
import io.archiver.table.KeysetPages;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Transaction;

/**
 * Streams a batch's eligible rows ({@code id BETWEEN lo AND hi AND date < cutoff ORDER BY id}) in
 * one read-only transaction, a page of {@code fetchSize} rows at a time ({@link KeysetPages}, all
 * pages in the transaction's one snapshot), as column names and each row's canonical encoding.
 */
@ApplicationScoped
public class RangeReader {

    /**
     * The deleter has begun (or ended) removing the batch: a new export would miss the rows already removed, so there is none.
     * Seen in the export's own snapshot, where a deleting transaction's rows and its progress are both visible or both not.
     */
    public static final class DeletionStarted extends RuntimeException {
        public DeletionStarted(String message) {
            super(message);
        }
    }

    /** Receives the columns once, then every row. */
    public interface RowSink {
        void columns(List<String> names);

        /** One row's canonical encoding; valid during the call only (the next row reuses it). */
        void row(CanonicalEncoding row);
    }

    private final Pool pool;

    public RangeReader(Pool pool) {
        this.pool = pool;
    }

    /** The table's column names, for the header of an empty shard. */
    public List<String> columns(ArchivePolicies.Policy policy, Duration timeout) {
        return pool.query("SELECT * FROM `" + policy.table() + "` LIMIT 0").execute().await().atMost(timeout).columnsNames();
    }

    public long read(ArchivePolicies.Policy policy, String batchId, BatchScope scope, int fetchSize, Duration timeout, RowSink sink) {
        SqlConnection connection = pool.getConnection().await().atMost(timeout);
        try {
            connection.query("SET SESSION TRANSACTION READ ONLY").execute().await().atMost(timeout);
            Transaction tx = connection.begin().await().atMost(timeout);
            try {
                // the first read fixes the snapshot (REPEATABLE READ): the ledger's progress and the rows are read as of one moment
                var progress = connection.preparedQuery("SELECT state, removed_through_id, rows_removed FROM archive_batch WHERE batch_id = ?")
                        .execute(io.vertx.mutiny.sqlclient.Tuple.of(batchId)).await().atMost(timeout).iterator();
                if (progress.hasNext()) {
                    var row = progress.next();
                    String state = row.getString(0);
                    if (row.getLong(1) != null || "DELETED".equals(state) || "FAILED".equals(state)) {
                        throw new DeletionStarted("batch " + batchId + " is " + state + (row.getLong(1) != null ? ", rows removed through id "
                                + row.getLong(1) + " (" + row.getLong(2) + " rows)" : "") + ": the uploaded object stands, nothing is exported again");
                    }
                }
                boolean[] first = { true };
                CanonicalEncoding encoding = new CanonicalEncoding();
                Consumer<io.vertx.mutiny.sqlclient.Row> consumer = row -> {
                    if (first[0]) {
                        sink.columns(CanonicalRow.columns(row));
                        first[0] = false;
                    }
                    sink.row(CanonicalRow.encode(row, encoding));
                };
                long rows = KeysetPages.forEach(connection, new EligibleRows(policy), false, scope.firstId(), scope.lastId(),
                        scope.cutoffEpochMs(), fetchSize, timeout, consumer);
                tx.commit().await().atMost(timeout);
                return rows;
            } catch (RuntimeException e) {
                tx.rollback().onFailure().recoverWithNull().await().atMost(timeout);
                throw e;
            }
        } finally {
            connection.query("SET SESSION TRANSACTION READ WRITE").execute().onFailure().recoverWithNull().await().atMost(timeout);
            connection.close().await().atMost(timeout);
        }
    }
}
