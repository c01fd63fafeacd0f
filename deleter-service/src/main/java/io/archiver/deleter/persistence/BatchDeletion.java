package io.archiver.deleter.persistence;

import java.time.Duration;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.archiver.deleter.domain.RowFingerprints;
import io.archiver.events.ArchiveMode;
import io.archiver.events.BatchScope;
import io.archiver.rows.CanonicalEncoding;
import io.archiver.support.policy.ArchivePolicies;
import io.archiver.table.CanonicalRow;
import io.archiver.table.EligibleRows;
import io.archiver.table.KeysetPages;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowIterator;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Transaction;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Removes a batch's rows in chunks of at most {@code chunkRows} rows, one short transaction each, so
 * that row locks are held briefly whatever the batch size. Each chunk's transaction locks the
 * ledger's batch row and the chunk's eligible rows, compares them, id by id and value by value, with
 * the archived object's rows of that id range, and only on a match removes them (in MOVE mode after
 * copying them into the archive table) and records the progress in the ledger in the same commit:
 * the last id removed and the rows removed so far, or, with the last chunk, the batch DELETED. A
 * redelivered or resumed batch goes on after the recorded progress. A chunk that no longer matches
 * rolls back: its rows and every row after it stay, the batch fails with the reason, and the rows
 * removed before it (each verified under lock) are counted as removed.
 */
@ApplicationScoped
public class BatchDeletion {

    /** How the deletion ended. */
    public sealed interface Outcome {
    }

    /** The rows were removed now ({@code already} false) or by an earlier delivery (true). */
    public record Removed(long rows, boolean already, int transactions) implements Outcome {
    }

    /** The batch had already failed; nothing was done. */
    public record AlreadyFailed() implements Outcome {
    }

    /** The rows no longer match the archive: kept (those of earlier chunks, equal to the archive, may have been removed). */
    public record Mismatch(String reason, String detail) implements Outcome {
    }

    /** The ledger has no such batch, or with another range. */
    public record NotInLedger(String detail) implements Outcome {
    }

    private static final String LEDGER_BATCH = "SELECT b.run_id, b.first_id, b.last_id, r.cutoff_epoch_ms, b.state, b.rows_removed,"
            + " b.removed_through_id FROM archive_batch b JOIN archive_run r ON r.run_id = b.run_id WHERE b.batch_id = ?";

    private final Pool pool;

    public BatchDeletion(Pool pool) {
        this.pool = pool;
    }

    /** Where the ledger already has the batch ended, without locking anything; null while it is not. */
    public Outcome peek(String batchId, BatchScope scope, Duration timeout) {
        return ledger(pool.preparedQuery(LEDGER_BATCH).execute(Tuple.of(batchId)).await().atMost(timeout).iterator(), batchId, scope)
                .outcome();
    }

    /** The ledger's view of a batch: an outcome if it has ended (or is not the event's), else its progress. */
    private record LedgerBatch(Outcome outcome, Long removedThroughId, long rowsRemoved) {
    }

    private static LedgerBatch ledger(RowIterator<Row> rows, String batchId, BatchScope scope) {
        if (!rows.hasNext()) {
            return new LedgerBatch(new NotInLedger("batch " + batchId + " is not in the ledger"), null, 0);
        }
        Row row = rows.next();
        if (row.getLong(1) != scope.firstId() || row.getLong(2) != scope.lastId() || row.getLong(3) != scope.cutoffEpochMs()) {
            return new LedgerBatch(new NotInLedger("batch " + batchId + " has range " + row.getLong(1) + ".." + row.getLong(2)
                    + " and cutoff " + row.getLong(3) + " in the ledger"), null, 0);
        }
        long removed = row.getLong(5) == null ? 0 : row.getLong(5);
        Long through = row.getLong(6);
        if (through != null && (through < scope.firstId() || through >= scope.lastId())) {
            throw new IllegalStateException("batch " + batchId + " records removal through id " + through + ", outside its range "
                    + scope.firstId() + ".." + scope.lastId());
        }
        String state = row.getString(4);
        if ("DELETED".equals(state)) {
            return new LedgerBatch(new Removed(removed, true, 0), through, removed);
        }
        if ("FAILED".equals(state)) {
            return new LedgerBatch(new AlreadyFailed(), through, removed);
        }
        return new LedgerBatch(null, through, removed);
    }

    public Outcome delete(ArchivePolicies.Policy policy, String batchId, BatchScope scope, RowFingerprints archived, String archivedDigest,
            String objectKey, long objectBytes, int fetchSize, int chunkRows, Duration timeout) {
        if (chunkRows < 1) {
            throw new IllegalArgumentException("archiver.delete.chunk-rows must be at least 1");
        }
        if (archived.size() > 0 && (archived.id(0) < scope.firstId() || archived.id(archived.size() - 1) > scope.lastId())) {
            // every chunk's range comes from the archive's ids: none may reach outside the batch (promise 2)
            return new Mismatch("OBJECT_OUT_OF_RANGE", "the archive holds ids " + archived.id(0) + ".." + archived.id(archived.size() - 1)
                    + ", outside the batch's range " + scope.firstId() + ".." + scope.lastId() + "; nothing removed");
        }
        EligibleRows sql = new EligibleRows(policy);
        SqlConnection connection = pool.getConnection().await().atMost(timeout);
        try {
            int transactions = 0;
            while (true) {
                transactions++;
                Outcome chunk = deleteNextChunk(connection, policy, sql, batchId, scope, archived, archivedDigest, objectKey, objectBytes,
                        fetchSize, chunkRows, timeout);
                if (chunk instanceof Removed removed) {
                    return new Removed(removed.rows(), removed.already() && transactions == 1, transactions);
                }
                if (chunk != null) {
                    return chunk;
                }
            }
        } finally {
            connection.close().await().atMost(timeout);
        }
    }

    /** One chunk's transaction: null when it removed a chunk and more remain; Removed when the batch is now done; else why not. */
    private static Outcome deleteNextChunk(SqlConnection connection, ArchivePolicies.Policy policy, EligibleRows sql, String batchId,
            BatchScope scope, RowFingerprints archived, String archivedDigest, String objectKey, long objectBytes, int fetchSize,
            int chunkRows, Duration timeout) {
        // applies to the next transaction only: each chunk's reads see what is committed, and lock what they read
        connection.query("SET TRANSACTION ISOLATION LEVEL READ COMMITTED").execute().await().atMost(timeout);
        Transaction tx = connection.begin().await().atMost(timeout);
        try {
            // lock the ledger's batch row only (the scanner locks run, then batch: no lock cycle), then read it as committed
            connection.preparedQuery("SELECT batch_id FROM archive_batch WHERE batch_id = ? FOR UPDATE").execute(Tuple.of(batchId))
                    .await().atMost(timeout);
            LedgerBatch ledger = ledger(connection.preparedQuery(LEDGER_BATCH).execute(Tuple.of(batchId)).await().atMost(timeout).iterator(),
                    batchId, scope);
            if (ledger.outcome() != null) {
                tx.rollback().await().atMost(timeout);
                return ledger.outcome();
            }
            long after = ledger.removedThroughId() != null ? ledger.removedThroughId() : scope.firstId() - 1;
            int from = archived.firstAfter(after);
            int to = Math.min(archived.size(), from + chunkRows);
            boolean last = to == archived.size();
            long through = last ? scope.lastId() : archived.id(to - 1);
            RowFingerprints current = read(connection, sql, scope, after, through, true, to - from, fetchSize, timeout);
            if (!archived.sameRows(from, to, current)) {
                tx.rollback().await().atMost(timeout);
                return changed(scope, after, through, archived, from, to, current, ledger.rowsRemoved());
            }
            long rows = current.size();
            Tuple range = Tuple.of(after + 1, through, scope.cutoffEpochMs());
            if (scope.mode() == ArchiveMode.MOVE) {
                int copied = connection.preparedQuery(sql.copyToArchive()).execute(range).await().atMost(timeout).rowCount();
                if (copied != rows) {
                    tx.rollback().await().atMost(timeout);
                    return new Mismatch("MOVE_COUNT_MISMATCH", "copied " + copied + " rows of " + (after + 1) + ".." + through + " into "
                            + policy.archiveTable() + ", expected " + rows + "; rolled back");
                }
            }
            int deleted = connection.preparedQuery(sql.delete()).execute(range).await().atMost(timeout).rowCount();
            if (deleted != rows) {
                tx.rollback().await().atMost(timeout);
                return new Mismatch("DELETE_COUNT_MISMATCH", "the delete of " + (after + 1) + ".." + through + " matched " + deleted
                        + " rows, expected " + rows + "; rolled back");
            }
            long removed = ledger.rowsRemoved() + rows;
            int marked;
            if (last) {
                // what the export and the upload reported is recorded here too, so a run's statistics never wait on the scanner's progress topics
                marked = connection.preparedQuery("UPDATE archive_batch SET state = 'DELETED', rows_removed = ?, removed_through_id = NULL,"
                        + " object_key = ?, object_bytes = ?, rows_uploaded = ?, rows_exported = ?, rows_digest = ?, updated_at_ms = ?"
                        + " WHERE batch_id = ? AND state NOT IN ('DELETED', 'FAILED')")
                        .execute(Tuple.tuple(List.of(removed, objectKey, objectBytes, (long) archived.size(), (long) archived.size(),
                                archivedDigest, System.currentTimeMillis(), batchId))).await().atMost(timeout).rowCount();
            } else {
                marked = connection.preparedQuery("UPDATE archive_batch SET rows_removed = ?, removed_through_id = ?, updated_at_ms = ?"
                        + " WHERE batch_id = ? AND state NOT IN ('DELETED', 'FAILED')")
                        .execute(Tuple.of(removed, through, System.currentTimeMillis(), batchId)).await().atMost(timeout).rowCount();
            }
            if (marked != 1) {
                tx.rollback().await().atMost(timeout);
                throw new IllegalStateException("batch " + batchId + " changed in the ledger while locked");
            }
            tx.commit().await().atMost(timeout);
            return last ? new Removed(removed, false, 1) : null;
        } catch (RuntimeException e) {
            tx.rollback().onFailure().recoverWithNull().await().atMost(timeout);
            throw e;
        }
    }

    /** The eligible rows of {@code after+1 .. through}, in id order, as fingerprints; with {@code lock}, a locking read. */
    private static RowFingerprints read(SqlConnection connection, EligibleRows sql, BatchScope scope, long after, long through,
            boolean lock, int expectedRows, int fetchSize, Duration timeout) {
        RowFingerprints current = new RowFingerprints(expectedRows);
        if (after >= through) {
            return current;
        }
        CanonicalEncoding encoding = new CanonicalEncoding();
        KeysetPages.forEach(connection, sql, lock, after + 1, through, scope.cutoffEpochMs(), fetchSize, timeout,
                row -> current.add(row.getLong(sql.idColumn()), CanonicalRow.encode(row, encoding)));
        return current;
    }

    private static Mismatch changed(BatchScope scope, long after, long through, RowFingerprints archived, int from, int to,
            RowFingerprints current, long removedBefore) {
        return new Mismatch("ROWS_CHANGED_SINCE_EXPORT", "the table now has " + current.size() + " eligible rows in " + (after + 1) + ".."
                + through + ", the archive " + (to - from) + " (" + archived.firstDifference(from, to, current) + "); the rows are kept from id "
                + (after + 1) + " on and a later run archives them again" + (removedBefore > 0 ? "; the " + removedBefore
                        + " rows before them, equal to the archive, were removed" : ""));
    }
}
