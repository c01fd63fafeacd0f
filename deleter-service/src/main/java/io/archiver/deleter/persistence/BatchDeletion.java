package io.archiver.deleter.persistence;

import java.time.Duration;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.archiver.events.ArchiveMode;
import io.archiver.events.BatchScope;
import io.archiver.rows.RowsDigest;
import io.archiver.support.policy.ArchivePolicies;
import io.archiver.table.CanonicalRow;
import io.archiver.table.EligibleRows;
import io.archiver.table.RowStreams;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowIterator;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Transaction;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The deleting transaction of one batch: locks the ledger's batch row and the batch's eligible
 * rows, recomputes their count and digest, and only when both equal the archived object's removes
 * the rows (in MOVE mode after copying them into the archive table) and marks the batch DELETED in
 * the ledger, all in one commit. Anything else rolls back and leaves every row in place.
 */
@ApplicationScoped
public class BatchDeletion {

    /** How the transaction ended. */
    public sealed interface Outcome {
    }

    /** The rows were removed now ({@code already} false) or by an earlier delivery (true). */
    public record Removed(long rows, boolean already) implements Outcome {
    }

    /** The batch had already failed; nothing was done. */
    public record AlreadyFailed() implements Outcome {
    }

    /** The rows no longer match the archive: kept. */
    public record Mismatch(String reason, String detail) implements Outcome {
    }

    /** The ledger has no such batch, or with another range. */
    public record NotInLedger(String detail) implements Outcome {
    }

    private final Pool pool;

    public BatchDeletion(Pool pool) {
        this.pool = pool;
    }

    /** Where the ledger already has the batch ended, without locking anything. */
    public Outcome peek(String batchId, BatchScope scope, Duration timeout) {
        RowIterator<Row> rows = pool.preparedQuery(LEDGER_BATCH).execute(Tuple.of(batchId)).await().atMost(timeout).iterator();
        return ledgerOutcome(batchId, scope, rows);
    }

    private static final String LEDGER_BATCH = "SELECT b.run_id, b.first_id, b.last_id, r.cutoff_epoch_ms, b.state, b.rows_removed"
            + " FROM archive_batch b JOIN archive_run r ON r.run_id = b.run_id WHERE b.batch_id = ?";

    private static Outcome ledgerOutcome(String batchId, BatchScope scope, RowIterator<Row> rows) {
        if (!rows.hasNext()) {
            return new NotInLedger("batch " + batchId + " is not in the ledger");
        }
        Row row = rows.next();
        if (row.getLong(1) != scope.firstId() || row.getLong(2) != scope.lastId() || row.getLong(3) != scope.cutoffEpochMs()) {
            return new NotInLedger("batch " + batchId + " has range " + row.getLong(1) + ".." + row.getLong(2) + " and cutoff "
                    + row.getLong(3) + " in the ledger");
        }
        String state = row.getString(4);
        if ("DELETED".equals(state)) {
            return new Removed(row.getLong(5) == null ? 0 : row.getLong(5), true);
        }
        if ("FAILED".equals(state)) {
            return new AlreadyFailed();
        }
        return null;
    }

    public Outcome delete(ArchivePolicies.Policy policy, String batchId, BatchScope scope, long archivedRows, String archivedDigest,
            String objectKey, long objectBytes, int fetchSize, Duration timeout) {
        EligibleRows sql = new EligibleRows(policy);
        SqlConnection connection = pool.getConnection().await().atMost(timeout);
        try {
            connection.query("SET TRANSACTION ISOLATION LEVEL READ COMMITTED").execute().await().atMost(timeout);
            Transaction tx = connection.begin().await().atMost(timeout);
            try {
                // lock the ledger's batch row only (the scanner locks run, then batch: no lock cycle), then read it as committed
                connection.preparedQuery("SELECT batch_id FROM archive_batch WHERE batch_id = ? FOR UPDATE").execute(Tuple.of(batchId))
                        .await().atMost(timeout);
                Outcome ledger = ledgerOutcome(batchId, scope, connection.preparedQuery(LEDGER_BATCH)
                        .execute(Tuple.of(batchId)).await().atMost(timeout).iterator());
                if (ledger != null) {
                    tx.rollback().await().atMost(timeout);
                    return ledger;
                }
                RowsDigest digest = new RowsDigest();
                List<String>[] header = new List[1];
                RowStreams.forEach(connection, sql.select(true), EligibleRows.range(scope), fetchSize, timeout, row -> {
                    if (header[0] == null) {
                        header[0] = CanonicalRow.columns(row);
                    }
                    digest.add(CanonicalRow.values(row));
                });
                long rows = digest.rows();
                String current = digest.hex();
                if (rows != archivedRows || !current.equals(archivedDigest)) {
                    tx.rollback().await().atMost(timeout);
                    return new Mismatch("ROWS_CHANGED_SINCE_EXPORT", "the table now has " + rows + " eligible rows in " + scope.firstId()
                            + ".." + scope.lastId() + " with digest " + current + ", the archive " + archivedRows + " with digest "
                            + archivedDigest + "; the rows are kept and a later run archives them again");
                }
                if (scope.mode() == ArchiveMode.MOVE) {
                    int copied = connection.preparedQuery(sql.copyToArchive()).execute(EligibleRows.range(scope)).await().atMost(timeout)
                            .rowCount();
                    if (copied != rows) {
                        tx.rollback().await().atMost(timeout);
                        return new Mismatch("MOVE_COUNT_MISMATCH", "copied " + copied + " rows into " + policy.archiveTable() + ", expected "
                                + rows + "; rolled back");
                    }
                }
                int deleted = connection.preparedQuery(sql.delete()).execute(EligibleRows.range(scope)).await().atMost(timeout).rowCount();
                if (deleted != rows) {
                    tx.rollback().await().atMost(timeout);
                    return new Mismatch("DELETE_COUNT_MISMATCH", "the delete matched " + deleted + " rows, expected " + rows + "; rolled back");
                }
                // what the export and the upload reported is recorded here too, so a run's statistics never wait on the scanner's progress topics
                int marked = connection.preparedQuery("UPDATE archive_batch SET state = 'DELETED', rows_removed = ?, object_key = ?,"
                        + " object_bytes = ?, rows_uploaded = ?, rows_exported = ?, rows_digest = ?, updated_at_ms = ?"
                        + " WHERE batch_id = ? AND state NOT IN ('DELETED', 'FAILED')")
                        .execute(Tuple.tuple(List.of(rows, objectKey, objectBytes, archivedRows, archivedRows, archivedDigest,
                                System.currentTimeMillis(), batchId))).await().atMost(timeout).rowCount();
                if (marked != 1) {
                    tx.rollback().await().atMost(timeout);
                    throw new IllegalStateException("batch " + batchId + " changed in the ledger while locked");
                }
                tx.commit().await().atMost(timeout);
                return new Removed(rows, false);
            } catch (RuntimeException e) {
                tx.rollback().onFailure().recoverWithNull().await().atMost(timeout);
                throw e;
            }
        } finally {
            connection.close().await().atMost(timeout);
        }
    }
}
