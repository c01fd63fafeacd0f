package io.archiver.deleter.persistence;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.archiver.deleter.domain.DeleteConfig;
import io.archiver.deleter.domain.KeyFingerprints;
import io.archiver.deleter.domain.RowFingerprints;
import io.archiver.events.ArchiveMode;
import io.archiver.events.BatchScope;
import io.archiver.events.KeyColumns;
import io.archiver.events.KeyValue;
import io.archiver.events.RowCounts;
import io.archiver.events.RowException;
import io.archiver.ledger.LedgerBatch;
import io.archiver.ledger.LedgerBatches;
import io.archiver.ledger.LedgerSql;
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
import io.archiver.table.UtcSession;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Transaction;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The SQL of removing a batch: the ledger's batch row as committed, and the short transactions that remove a batch chunk
 * by chunk on one connection ({@link Session}, {@link Chunk}), each locking the ledger's batch row and the chunk's eligible
 * rows, copying (MOVE mode) and deleting them and recording the progress in the same commit. What is checked between
 * these steps, and whether a chunk may be removed at all, is {@link io.archiver.deleter.domain.BatchRemoval}'s to decide.
 * For a policy of another source the chunks run in that database (its pool from {@link SourcePools}): each locks and records
 * the batch's progress in its table there ({@link SourceProgress}), in the commit of its deletes, since one transaction cannot
 * span two servers; the control database's ledger gets the kept keys before that commit and the DELETED mark with its audit
 * row after the last one ({@link Chunk#commit}). Every statement waits at most {@code archiver.delete.db-timeout}.
 */
@ApplicationScoped
public class BatchDeletion {

    /** The verified object whose rows the batch's last chunk removes, recorded in the ledger (and the audit trail) with it. */
    public record ArchivedObject(String key, long bytes, long rows, String rowsDigest, String sha256) {
    }

    /** Who the audit trail names for what the deleter removes. */
    public static final String AUDIT_ACTOR = "deleter-service";

    private final Pool pool;
    private final SourcePools pools;
    private final DeleteConfig config;
    private final CdcMarkers markers;

    public BatchDeletion(Pool pool, SourcePools pools, DeleteConfig config) {
        this.pool = pool;
        this.pools = pools;
        this.config = config;
        this.markers = new CdcMarkers(config);
    }

    /** The batch as committed in the ledger, without locking anything. */
    public Optional<LedgerBatch> find(String batchId) {
        return LedgerBatches.find(pool, batchId, config.dbTimeout());
    }

    /** The batch's counts as the ledger has them (none failed: a batch the deleter works on has not failed). */
    public static RowCounts counts(LedgerBatch batch) {
        return new RowCounts(batch.rowsRemoved(), batch.rowsKeptChanged(), batch.rowsKeptNotInObject(), batch.rowsMissing(), 0);
    }

    /**
     * The batch's exceptions in key order, at most {@code limit} ({@link Integer#MAX_VALUE}: all), only those whose version in
     * the object was not removed when {@code staleVersionsOnly}.
     */
    public List<RowException> exceptions(String batchId, boolean staleVersionsOnly, int limit) {
        List<RowException> found = new ArrayList<>();
        for (Row row : pool.preparedQuery(staleVersionsOnly ? LedgerSql.BATCH_STALE_VERSIONS : LedgerSql.BATCH_EXCEPTIONS)
                .execute(Tuple.of(batchId, limit)).await().atMost(config.dbTimeout())) {
            String key = row.getString(2);
            found.add(new RowException(row.getLong(0), RowException.Reason.valueOf(row.getString(1)),
                    key == null ? null : KeyValue.parse(key, "archive_batch_exception.key_text")));
        }
        return found;
    }

    /**
     * The policy's key as the table defines it now ({@link KeyColumnsReader}): a one-integer key's batches are id ranges, any
     * other key's ranges of the whole key (docs/keys.md).
     */
    public KeyColumns key(ArchivePolicies.Policy policy) {
        SqlConnection connection = tables(policy).getConnection().await().atMost(config.dbTimeout());
        try {
            return KeyColumnsReader.read(connection, policy.table(), policy.key(), config.dbTimeout());
        } finally {
            connection.close().await().atMost(config.dbTimeout());
        }
    }

    /** The pool of the policy's table: the control database's own, or its source's. */
    private Pool tables(ArchivePolicies.Policy policy) {
        return SourceSpec.CONTROL.equals(policy.source()) ? pool : pools.pool(policy.source()).await().atMost(config.dbTimeout());
    }

    /** A connection of its own for one batch's chunks, one transaction at a time. */
    public Session open(ArchivePolicies.Policy policy, BatchScope scope) {
        return open(policy, scope, null);
    }

    /** {@link #open(ArchivePolicies.Policy, BatchScope)} for a batch of whole keys of {@code key} (null: a one-integer key). */
    public Session open(ArchivePolicies.Policy policy, BatchScope scope, KeyColumns key) {
        boolean control = SourceSpec.CONTROL.equals(policy.source());
        SqlConnection connection = tables(policy).getConnection().await().atMost(config.dbTimeout());
        EligibleRows sql = new EligibleRows(policy);
        try {
            markers.ensure(connection, policy.source());
            if (sql.comparesInUtc()) {
                UtcSession.enter(connection, config.dbTimeout()); // the exact-key delete and copy compare a TIMESTAMP with UTC text
            }
        } catch (RuntimeException e) {
            connection.close().await().atMost(config.dbTimeout());
            throw e;
        }
        return new Session(connection, sql, scope.byKeys() ? new KeyRangeRows(policy, key) : null, scope, !control);
    }

    /** One batch's connection. */
    public final class Session implements AutoCloseable {
        private final SqlConnection connection;
        private final EligibleRows sql;
        private final KeyRangeRows keys;
        private final BatchScope scope;
        /** The table is in another database than the control one: progress in its {@link SourceProgress} table. */
        private final boolean source;

        private Session(SqlConnection connection, EligibleRows sql, KeyRangeRows keys, BatchScope scope, boolean source) {
            this.connection = connection;
            this.sql = sql;
            this.keys = keys;
            this.scope = scope;
            this.source = source;
        }

        /**
         * Begins the next chunk's transaction (READ COMMITTED: each chunk's reads see what is committed, and lock what they
         * read) and locks the ledger's batch row, then reads it as committed. Only the batch row: the scanner locks run,
         * then batch, so there is no lock cycle. For another source, the batch's progress row in that database is locked
         * instead (one delivery of a batch at a time there), and the ledger's batch read as committed in the control database.
         */
        public Chunk begin(String batchId, String runId) {
            connection.query("SET TRANSACTION ISOLATION LEVEL READ COMMITTED").execute().await().atMost(config.dbTimeout());
            Transaction tx = connection.begin().await().atMost(config.dbTimeout());
            Chunk chunk = new Chunk(this, tx, batchId);
            try {
                if (source) {
                    SourceProgress.Progress progress = SourceProgress.lock(connection, batchId, runId, config.dbTimeout());
                    Optional<LedgerBatch> control = LedgerBatches.find(pool, batchId, config.dbTimeout());
                    chunk.unmarked = progress.completed() && control.isPresent() && !control.get().ended();
                    chunk.ledger = control.map(progress::over);
                } else {
                    LedgerBatches.lock(connection, batchId, config.dbTimeout());
                    chunk.ledger = LedgerBatches.find(connection, batchId, config.dbTimeout());
                }
                return chunk;
            } catch (RuntimeException e) {
                chunk.close();
                throw e;
            }
        }

        @Override
        public void close() {
            try {
                if (sql.comparesInUtc()) {
                    UtcSession.restore(connection, config.dbTimeout());
                }
            } finally {
                connection.close().await().atMost(config.dbTimeout());
            }
        }
    }

    /** One chunk's transaction: rolled back on {@link #close()} unless committed. */
    public final class Chunk implements AutoCloseable {
        private final Session session;
        private final Transaction tx;
        private final String batchId;
        private Optional<LedgerBatch> ledger;
        private boolean unmarked;
        private Runnable afterCommit = () -> {
        };
        private boolean committed;

        private Chunk(Session session, Transaction tx, String batchId) {
            this.session = session;
            this.tx = tx;
            this.batchId = batchId;
        }

        /** The batch as the ledger has it under this transaction's lock. */
        public Optional<LedgerBatch> ledger() {
            return ledger;
        }

        /**
         * The batch's last chunk committed in its source database, but the control database's ledger does not have it DELETED
         * yet (the deleter stopped in between): {@link #recordDeleted} with the recorded counts is all that is left.
         */
        public boolean removedButUnmarked() {
            return unmarked;
        }

        /** The eligible rows of {@code after+1 .. through}, in id order, as fingerprints, read with a lock on each. */
        public RowFingerprints lockRows(long after, long through, int expectedRows) {
            RowFingerprints current = new RowFingerprints(expectedRows);
            if (after >= through) {
                return current;
            }
            CanonicalEncoding encoding = new CanonicalEncoding();
            ColumnForms forms = session.sql.resolve(session.connection, config.dbTimeout()).forms();
            KeysetPages.forEach(session.connection, session.sql, true, after + 1, through, session.scope.cutoffEpochMs(), config.fetchSize(),
                    config.dbTimeout(), (id, row) -> current.add(id, CanonicalRow.encode(row, forms, encoding)));
            return current;
        }

        /**
         * The eligible rows of a batch of whole keys after {@code after} (null: from the batch's first key) through {@code through},
         * in key order, as fingerprints, read with a lock on each ({@link KeyRangePages}).
         */
        public KeyFingerprints lockKeys(KeyValue after, KeyValue through, int expectedRows) {
            KeyFingerprints current = new KeyFingerprints(expectedRows);
            CanonicalEncoding encoding = new CanonicalEncoding();
            KeyRangeRows keys = session.keys;
            ColumnForms forms = keys.resolve(session.connection, config.dbTimeout()).forms();
            KeyRangePages.forEach(session.connection, keys, true, after != null, after != null ? after : session.scope.first(), through,
                    session.scope.cutoffEpochMs(), config.fetchSize(), config.dbTimeout(),
                    row -> current.add(keys.key(row), CanonicalRow.encode(row, forms, encoding)));
            return current;
        }

        /** Copies the eligible rows of exactly {@code keys}, within the batch's range, into the policy's archive table; the rows copied. */
        public int copyKeysToArchive(List<KeyValue> keys) {
            return execute(session.keys.copyKeysToArchive(keys.size()), session.keys.keysInRange(keys, session.scope.first(),
                    session.scope.last(), session.scope.cutoffEpochMs()));
        }

        /** Deletes the eligible rows of exactly {@code keys}, within the batch's range, by their whole key; the rows deleted. */
        public int deleteKeys(List<KeyValue> keys) {
            return execute(session.keys.deleteKeys(keys.size()), session.keys.keysInRange(keys, session.scope.first(), session.scope.last(),
                    session.scope.cutoffEpochMs()));
        }

        /** Records that the rows of a batch of whole keys through {@code through} are handled, with what became of them so far. */
        public void recordProgress(RowCounts counts, KeyValue through) {
            if (session.source) {
                SourceProgress.record(session.connection, batchId, null, through.text(), false, counts.removed(), counts.keptChanged(),
                        counts.keptNotInObject(), counts.missing(), config.dbTimeout());
                return;
            }
            mark(execute(LedgerSql.RECORD_REMOVAL_PROGRESS_KEY, Tuple.tuple(List.of(counts.removed(), counts.keptChanged(),
                    counts.keptNotInObject(), counts.missing(), through.text(), System.currentTimeMillis(), batchId))));
        }

        /**
         * Writes this chunk's CDC marker ({@link CdcMarkers}) in its transaction, so that the binlog carries it with the
         * chunk's deletes.
         */
        public void markArchival(String runId, int chunk) {
            markers.insert(session.connection, runId, batchId, session.scope.policy(), chunk);
        }

        /** Copies the eligible rows of exactly {@code keys} (of {@code after+1 .. through}) into the policy's archive table; the rows copied. */
        public int copyToArchive(long[] keys, long after, long through) {
            return execute(session.sql.copyKeysToArchive(keys.length), session.sql.keysInRange(keys, after + 1, through,
                    session.scope.cutoffEpochMs()));
        }

        /** Deletes the eligible rows of exactly {@code keys} (of {@code after+1 .. through}), by primary key; the rows deleted. */
        public int delete(long[] keys, long after, long through) {
            return execute(session.sql.deleteKeys(keys.length), session.sql.keysInRange(keys, after + 1, through,
                    session.scope.cutoffEpochMs()));
        }

        /**
         * Records the chunk's kept and missing keys, naming the object whose version of them is not the archived one; a key
         * recorded before is left as it is (a chunk is handled once: its commit is also its progress).
         */
        public void recordExceptions(List<RowException> exceptions, String runId, String objectKey) {
            if (exceptions.isEmpty()) {
                return;
            }
            long now = System.currentTimeMillis();
            List<Tuple> rows = exceptions.stream().map(e -> Tuple.tuple(Arrays.asList(batchId, e.id(), runId, e.reason().name(), objectKey, now,
                    e.key() == null ? null : e.key().text()))).toList();
            // another source: in the control database before the chunk's commit (INSERT IGNORE: a retried chunk records them again)
            (session.source ? pool : session.connection).preparedQuery(LedgerSql.RECORD_BATCH_EXCEPTION).executeBatch(rows).await()
                    .atMost(config.dbTimeout());
        }

        /** Records that the rows through id {@code through} are handled, with what became of them so far. */
        public void recordProgress(RowCounts counts, long through) {
            if (session.source) {
                SourceProgress.record(session.connection, batchId, through, null, false, counts.removed(), counts.keptChanged(),
                        counts.keptNotInObject(), counts.missing(), config.dbTimeout());
                return;
            }
            mark(execute(LedgerSql.RECORD_REMOVAL_PROGRESS, Tuple.tuple(List.of(counts.removed(), counts.keptChanged(), counts.keptNotInObject(),
                    counts.missing(), through, System.currentTimeMillis(), batchId))));
        }

        /**
         * Marks the batch DELETED with its counts and the key of its exceptions sidecar (null: none); what the export and the
         * upload reported is recorded here too (from the verified object), so a run's statistics never wait on the scanner's
         * progress topics.
         */
        public void recordDeleted(RowCounts counts, ArchivedObject object, String exceptionsKey, String runId, BatchScope scope) {
            if (!session.source) {
                long now = System.currentTimeMillis();
                mark(execute(session.connection, LedgerSql.RECORD_BATCH_DELETED, deletedArguments(counts, object, exceptionsKey, now)));
                audit(session.connection, counts, object, exceptionsKey, runId, scope, now);
                return;
            }
            if (!unmarked) {
                // through the batch's last id, or its last key for a batch of whole keys
                SourceProgress.record(session.connection, batchId, scope.byKeys() ? null : scope.lastId(),
                        scope.byKeys() ? scope.last().text() : null, true, counts.removed(), counts.keptChanged(),
                        counts.keptNotInObject(), counts.missing(), config.dbTimeout());
            }
            afterCommit = () -> markDeletedInControl(counts, object, exceptionsKey, runId, scope);
        }

        /**
         * Another source's batch, once its last chunk committed there: DELETED in the control database's ledger with its audit
         * row, in one control transaction; a batch another delivery marked already is left as it is (and audited once).
         */
        private void markDeletedInControl(RowCounts counts, ArchivedObject object, String exceptionsKey, String runId, BatchScope scope) {
            SqlConnection connection = pool.getConnection().await().atMost(config.dbTimeout());
            try {
                Transaction controlTx = connection.begin().await().atMost(config.dbTimeout());
                try {
                    long now = System.currentTimeMillis();
                    if (execute(connection, LedgerSql.RECORD_BATCH_DELETED, deletedArguments(counts, object, exceptionsKey, now)) == 1) {
                        audit(connection, counts, object, exceptionsKey, runId, scope, now);
                    }
                    controlTx.commit().await().atMost(config.dbTimeout());
                } catch (RuntimeException e) {
                    controlTx.rollback().onFailure().recoverWithNull().await().atMost(config.dbTimeout());
                    throw e;
                }
            } finally {
                connection.close().await().atMost(config.dbTimeout());
            }
        }

        private Tuple deletedArguments(RowCounts counts, ArchivedObject object, String exceptionsKey, long now) {
            return Tuple.tuple(Arrays.asList(counts.removed(), counts.keptChanged(), counts.keptNotInObject(), counts.missing(), exceptionsKey,
                    object.key(), object.bytes(), object.rows(), object.rows(), object.rowsDigest(), now, batchId));
        }

        /**
         * The batch's audit row, in the commit that marks it DELETED: for the control database's own tables removed and audited
         * together or neither (promise 9); for another source's, audited with the mark that follows the last chunk's commit, so a
         * stop in between is audited by the delivery that finishes it. Only an INSERT: the services' user may not change the trail.
         */
        private void audit(SqlConnection connection, RowCounts counts, ArchivedObject object, String exceptionsKey, String runId, BatchScope scope, long now) {
            String keys = exceptionsKey == null ? Json.array(object.key()) : Json.array(object.key(), exceptionsKey);
            String digests = "{\"objectSha256\":\"" + object.sha256() + "\",\"rowsDigest\":\"" + object.rowsDigest() + "\",\"objectBytes\":"
                    + object.bytes() + "}";
            String detail = "removed " + counts.removed() + " of " + object.rows() + " archived rows; kept changed " + counts.keptChanged()
                    + ", kept not in object " + counts.keptNotInObject() + ", missing " + counts.missing();
            execute(connection, LedgerSql.AUDIT_INSERT, Tuple.tuple(Arrays.asList(now, AUDIT_ACTOR,
                    scope.mode() == ArchiveMode.MOVE ? LedgerSql.AUDIT_BATCH_MOVED : LedgerSql.AUDIT_BATCH_DELETED, scope.policy(),
                    scope.table(), runId, batchId, counts.removed(), keys, digests, detail)));
        }

        private void mark(int rows) {
            if (rows != 1) {
                throw new IllegalStateException("batch " + batchId + " changed in the ledger while locked");
            }
        }

        private int execute(String statement, Tuple arguments) {
            return execute(session.connection, statement, arguments);
        }

        private int execute(SqlConnection connection, String statement, Tuple arguments) {
            return connection.preparedQuery(statement).execute(arguments).await().atMost(config.dbTimeout()).rowCount();
        }

        /** Commits the chunk; for another source's last chunk, then marks the batch DELETED in the control database. */
        public void commit() {
            tx.commit().await().atMost(config.dbTimeout());
            committed = true;
            afterCommit.run();
        }

        @Override
        public void close() {
            if (!committed) {
                tx.rollback().onFailure().recoverWithNull().await().atMost(config.dbTimeout());
            }
        }
    }

    /** JSON text of a few strings (object keys: no control characters, but quotes and backslashes escaped all the same). */
    static final class Json {
        private Json() {
        }

        static String array(String... values) {
            StringBuilder json = new StringBuilder("[");
            for (String value : values) {
                if (json.length() > 1) {
                    json.append(',');
                }
                json.append('"').append(value.replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
            }
            return json.append(']').toString();
        }
    }
}
