package io.archiver.exporter.persistence;

import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Predicate;

import jakarta.enterprise.context.ApplicationScoped;

import io.archiver.events.BatchScope;
import io.archiver.events.KeyColumns;
import io.archiver.exporter.domain.ExportConfig;
import io.archiver.ledger.LedgerBatch;
import io.archiver.ledger.LedgerBatches;
import io.archiver.ledger.SourceProgress;
import io.archiver.policy.SourceSpec;
import io.archiver.rows.CanonicalEncoding;
import io.archiver.support.policy.ArchivePolicies;
import io.archiver.support.source.SourcePools;
import io.archiver.table.CanonicalRow;
import io.archiver.table.ColumnForms;
import io.archiver.table.EligibleRows;
import io.archiver.table.KeyColumnsReader;
import io.archiver.table.KeyRangePages;
import io.archiver.table.KeyRangeRows;
import io.archiver.table.KeysetPages;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Transaction;

/**
 * Streams a batch's eligible rows ({@code id BETWEEN lo AND hi AND date < cutoff ORDER BY id}, or a range of a whole key) in one read-only
 * transaction, a page of {@code archiver.export.fetch-size} rows at a time ({@link KeysetPages}, all pages in the
 * transaction's one snapshot), as column names and each row's canonical encoding. The batch's ledger row is read first,
 * in the same snapshot, where a deleting transaction's removed rows and its recorded progress are both visible or both
 * not; the caller says whether what it shows may be exported. For a policy of another source the rows are read in that
 * database, and the deleter's progress with them from its table there ({@link SourceProgress}, written with the deletes), over
 * the batch's state in the control database's ledger. Every statement waits at most {@code archiver.export.db-timeout}.
 */
@ApplicationScoped
public class RangeReader {

    /** Receives the columns once, then every row. */
    public interface RowSink {
        void columns(List<String> names);

        /** One row's canonical encoding; valid during the call only (the next row reuses it). */
        void row(CanonicalEncoding row);

        /** The table's columns as read (names and SQL types), once after the rows; also for a range with no row. */
        default void forms(ColumnForms forms) {
        }
    }

    private final Pool control;
    private final SourcePools pools;
    private final ExportConfig config;

    public RangeReader(Pool control, SourcePools pools, ExportConfig config) {
        this.control = control;
        this.pools = pools;
        this.config = config;
    }

    private Pool pool(ArchivePolicies.Policy policy) {
        return pools.pool(policy.source()).await().atMost(config.dbTimeout());
    }

    /** The table's column names, for the header of an empty shard. */
    public List<String> columns(ArchivePolicies.Policy policy) {
        return pool(policy).query("SELECT * FROM `" + policy.table() + "` LIMIT 0").execute().await().atMost(config.dbTimeout()).columnsNames();
    }

    /**
     * The batch as the ledger has it, read first in the export's transaction: in the same database as the rows, so the
     * deleter's removed rows and its progress are seen together. For another source the progress is its table there, read in
     * the snapshot; the batch's state comes from the control database (committed now), so an ended batch is still not exported.
     */
    private Optional<LedgerBatch> ledger(ArchivePolicies.Policy policy, SqlConnection connection, String batchId) {
        if (SourceSpec.CONTROL.equals(policy.source())) {
            return LedgerBatches.find(connection, batchId, config.dbTimeout());
        }
        SourceProgress.Progress progress = SourceProgress.find(connection, batchId, config.dbTimeout());
        return LedgerBatches.find(control, batchId, config.dbTimeout()).map(progress::over);
    }

    /**
     * The policy's key as the table defines it now ({@link KeyColumnsReader}): a one-integer key's batches are id ranges, any
     * other key's ranges of the whole key (docs/keys.md).
     */
    public KeyColumns key(ArchivePolicies.Policy policy) {
        SqlConnection connection = pool(policy).getConnection().await().atMost(config.dbTimeout());
        try {
            return KeyColumnsReader.read(connection, policy.table(), policy.key(), config.dbTimeout());
        } finally {
            connection.close().await().atMost(config.dbTimeout());
        }
    }

    /**
     * Streams the batch's rows into {@code sink} when {@code exportable} accepts the batch's ledger row as of the read's
     * snapshot (empty when the ledger has no such batch); false, and no row read, when it does not.
     */
    public boolean read(ArchivePolicies.Policy policy, KeyColumns key, String batchId, BatchScope scope,
            Predicate<Optional<LedgerBatch>> exportable, RowSink sink) {
        SqlConnection connection = pool(policy).getConnection().await().atMost(config.dbTimeout());
        try {
            connection.query("SET SESSION TRANSACTION READ ONLY").execute().await().atMost(config.dbTimeout());
            Transaction tx = connection.begin().await().atMost(config.dbTimeout());
            try {
                // the first read fixes the snapshot (REPEATABLE READ): the ledger's progress and the rows are read as of one moment
                if (!exportable.test(ledger(policy, connection, batchId))) {
                    tx.rollback().await().atMost(config.dbTimeout());
                    return false;
                }
                boolean[] first = { true };
                CanonicalEncoding encoding = new CanonicalEncoding();
                ColumnForms[] forms = new ColumnForms[1]; // resolved by the first page's statement, before any row
                Consumer<Row> consumer = row -> {
                    if (first[0]) {
                        sink.columns(CanonicalRow.columns(row));
                        first[0] = false;
                    }
                    sink.row(CanonicalRow.encode(row, forms[0], encoding));
                };
                if (scope.byKeys()) {
                    // first <= (k1, ..., kn) <= last as row constructors, in key order on PRIMARY (KeyRangeRows)
                    KeyRangeRows rows = new KeyRangeRows(policy, key);
                    forms[0] = rows.resolve(connection, config.dbTimeout()).forms();
                    KeyRangePages.forEach(connection, rows, false, key.check(scope.first(), "scope.firstKey"),
                            key.check(scope.last(), "scope.lastKey"), scope.cutoffEpochMs(), config.fetchSize(), config.dbTimeout(), consumer);
                    sink.forms(rows.forms());
                } else {
                    EligibleRows eligible = new EligibleRows(policy);
                    forms[0] = eligible.resolve(connection, config.dbTimeout()).forms();
                    KeysetPages.forEach(connection, eligible, false, scope.firstId(), scope.lastId(), scope.cutoffEpochMs(),
                            config.fetchSize(), config.dbTimeout(), consumer);
                    sink.forms(eligible.forms());
                }
                tx.commit().await().atMost(config.dbTimeout());
                return true;
            } catch (RuntimeException e) {
                tx.rollback().onFailure().recoverWithNull().await().atMost(config.dbTimeout());
                throw e;
            }
        } finally {
            connection.query("SET SESSION TRANSACTION READ WRITE").execute().onFailure().recoverWithNull().await().atMost(config.dbTimeout());
            connection.close().await().atMost(config.dbTimeout());
        }
    }
}
