package io.archiver.deleter.restore;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import io.archiver.ledger.RestoreRecord;
import io.archiver.ledger.RestoreSql;
import io.archiver.ledger.RestoreState;
import io.archiver.ledger.SourceRestoreProgress;
import io.archiver.table.CanonicalRow;
import io.archiver.table.ColumnForms;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowIterator;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Transaction;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * One restore's connection to the target database and the SQL of its chunks. The session reads and writes values in the
 * archive's forms: time zone UTC (TIMESTAMP text is UTC) and an {@code sql_mode} that accepts zero dates and ENUM's '' as
 * writing them did; what a lax mode could bend, the re-read of every inserted row in its own transaction catches
 * ({@link Chunk#insert}). Both settings are put back before the connection returns to the pool. The progress of each chunk
 * is committed with its rows, in the target's database: the control database's {@code archive_restore_object} when the target
 * is there, else that source's {@link SourceRestoreProgress}, which the control database's record is brought up to after each
 * commit ({@link #objectProgress} does it again for a commit a stop left unsynced).
 */
final class RestoreSession implements AutoCloseable {

    /** A chunk's figures: rows written, rows already there with the same values, keys whose row holds other values. */
    record ChunkResult(int restored, int skipped, List<String> conflicts) {
    }

    private static final String ENTER = "SET @archiver_restore_mode = @@session.sql_mode, @archiver_restore_zone = @@session.time_zone,"
            + " @@session.sql_mode = 'NO_ENGINE_SUBSTITUTION', @@session.time_zone = '+00:00'";
    private static final String LEAVE = "SET @@session.sql_mode = @archiver_restore_mode, @@session.time_zone = @archiver_restore_zone";
    private static final String TABLE_EXISTS = "SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ?";

    private final SqlConnection connection;
    private final Pool control;
    /** The target is in another database than the control one: progress in its {@link SourceRestoreProgress} table. */
    private final boolean source;
    private final RestoreConfig config;

    /** A session on {@code target}: the control database's pool ({@code control} itself) or a source's. */
    RestoreSession(Pool control, Pool target, RestoreConfig config) {
        this.config = config;
        this.control = control;
        this.source = target != control;
        this.connection = target.getConnection().await().atMost(config.dbTimeout());
        try {
            connection.query(ENTER).execute().await().atMost(config.dbTimeout());
        } catch (RuntimeException e) {
            connection.close().await().atMost(config.dbTimeout());
            throw e;
        }
    }

    boolean tableExists(String table) {
        return connection.preparedQuery(TABLE_EXISTS).execute(Tuple.of(table)).await().atMost(config.dbTimeout()).iterator().next().getLong(0) > 0;
    }

    /** Creates {@code target} with {@code source}'s definition (columns, keys, indexes), unless it exists. */
    void createLike(String target, String source) {
        connection.query("CREATE TABLE IF NOT EXISTS " + quote(target) + " LIKE " + quote(source)).execute().await().atMost(config.dbTimeout());
    }

    ColumnForms forms(String table) {
        return ColumnForms.read(connection, table, "", config.dbTimeout());
    }

    /** Records the object's progress row once; returns how many of its records are handled and whether it is done. */
    long[] objectProgress(String restoreId, String objectKey, String sha256) {
        control.preparedQuery(RestoreSql.INSERT_OBJECT).execute(Tuple.of(restoreId, objectKey, sha256, System.currentTimeMillis()))
                .await().atMost(config.dbTimeout());
        if (source) {
            SourceRestoreProgress.Progress progress = SourceRestoreProgress.find(connection, restoreId, objectKey, config.dbTimeout());
            syncControl(restoreId, objectKey, progress);
            return new long[] { progress.done() ? 1 : 0, progress.recordsDone() };
        }
        Row row = connection.preparedQuery(RestoreSql.OBJECT)
                .execute(Tuple.of(restoreId, objectKey)).await().atMost(config.dbTimeout()).iterator().next();
        return new long[] { row.getBoolean("done") ? 1 : 0, row.getLong("records_done") };
    }

    /**
     * Brings the control database's record of an object (and the restore's figures, by the difference) up to its progress in
     * the target's source database, in one control transaction; a record already there is left as it is, so each chunk counts once.
     */
    private void syncControl(String restoreId, String objectKey, SourceRestoreProgress.Progress progress) {
        SqlConnection connection = control.getConnection().await().atMost(config.dbTimeout());
        try {
            Transaction tx = connection.begin().await().atMost(config.dbTimeout());
            try {
                SourceRestoreProgress.Progress known = SourceRestoreProgress.Progress.of(connection.preparedQuery(RestoreSql.LOCK_OBJECT_FIGURES)
                        .execute(Tuple.of(restoreId, objectKey)).await().atMost(config.dbTimeout()).iterator().next());
                if (progress.aheadOf(known)) {
                    long now = System.currentTimeMillis();
                    connection.preparedQuery(RestoreSql.SET_OBJECT_PROGRESS).execute(Tuple.tuple(Arrays.asList(progress.recordsDone(),
                            progress.restored(), progress.skipped(), progress.conflicting(), progress.done(), now, restoreId, objectKey)))
                            .await().atMost(config.dbTimeout());
                    connection.preparedQuery(RestoreSql.ADD_PROGRESS).execute(Tuple.tuple(Arrays.asList(progress.restored() - known.restored(),
                            progress.skipped() - known.skipped(), progress.conflicting() - known.conflicting(),
                            progress.done() && !known.done() ? 1 : 0, now, restoreId))).await().atMost(config.dbTimeout());
                }
                tx.commit().await().atMost(config.dbTimeout());
            } catch (RuntimeException e) {
                tx.rollback().onFailure().recoverWithNull().await().atMost(config.dbTimeout());
                throw e;
            }
        } finally {
            connection.close().await().atMost(config.dbTimeout());
        }
    }

    /** Begins one chunk's transaction (READ COMMITTED: it sees what is committed and locks what it reads). */
    Chunk begin(String restoreId, String objectKey) {
        connection.query("SET TRANSACTION ISOLATION LEVEL READ COMMITTED").execute().await().atMost(config.dbTimeout());
        Transaction tx = connection.begin().await().atMost(config.dbTimeout());
        return new Chunk(tx, restoreId, objectKey);
    }

    /** One chunk's transaction: rolled back on {@link #close()} unless committed. */
    final class Chunk implements AutoCloseable {
        private final Transaction tx;
        private final String restoreId;
        private final String objectKey;
        private boolean committed;
        private Runnable afterCommit = () -> {
        };

        private Chunk(Transaction tx, String restoreId, String objectKey) {
            this.tx = tx;
            this.restoreId = restoreId;
            this.objectKey = objectKey;
        }

        /**
         * Locks the restore's record and the object's progress; the records of the object handled so far, or -1 if the restore
         * ended. For a target in a source, the object's progress row there is locked, and the restore's state read as committed.
         */
        long lockProgress() {
            if (source) {
                Optional<RestoreRecord> record = RestoreLedger.find(control, restoreId);
                if (record.isEmpty() || record.get().state().ended()) {
                    return -1;
                }
                return SourceRestoreProgress.lock(connection, restoreId, objectKey, config.dbTimeout()).recordsDone();
            }
            RowIterator<Row> restore = connection.preparedQuery(RestoreSql.LOCK_RESTORE).execute(Tuple.of(restoreId)).await()
                    .atMost(config.dbTimeout()).iterator();
            if (!restore.hasNext() || RestoreState.valueOf(restore.next().getString(0)).ended()) {
                return -1;
            }
            Row object = connection.preparedQuery(RestoreSql.LOCK_OBJECT).execute(Tuple.of(restoreId, objectKey)).await()
                    .atMost(config.dbTimeout()).iterator().next();
            return object.getLong("records_done");
        }

        /**
         * The rows of {@code keys} (each the key's parts in the archive's forms, bound as {@code bind} gives) that {@code table}
         * holds, read in the archive's forms with a lock on each, by their whole key.
         */
        Map<List<String>, List<String>> lockRows(String table, ColumnForms forms, RowKey key, List<List<String>> keys) {
            Map<List<String>, List<String>> found = new HashMap<>();
            if (keys.isEmpty()) {
                return found;
            }
            String one = key.columns().size() == 1 ? "?" : key.columns().stream().map(c -> "?").collect(Collectors.joining(", ", "(", ")"));
            String sql = "SELECT " + forms.selectList() + " FROM " + quote(table) + " WHERE " + key.columnList() + " IN ("
                    + keys.stream().map(k -> one).collect(Collectors.joining(", ")) + ") FOR UPDATE";
            List<Object> args = new ArrayList<>();
            keys.forEach(k -> args.addAll(key.bind(k)));
            for (Row row : connection.preparedQuery(sql).execute(Tuple.tuple(args)).await().atMost(config.dbTimeout())) {
                List<String> values = CanonicalRow.values(row);
                found.put(key.of(values), values);
            }
            return found;
        }

        /** Inserts {@code rows} (archive values, in the table's column order) into {@code table}. */
        void insert(String table, ColumnForms forms, List<Integer> writtenIndexes, List<List<String>> rows) {
            if (rows.isEmpty()) {
                return;
            }
            List<Tuple> batch = new ArrayList<>(rows.size());
            for (List<String> row : rows) {
                List<Object> args = new ArrayList<>(writtenIndexes.size());
                writtenIndexes.forEach(i -> args.add(row.get(i)));
                batch.add(Tuple.tuple(args));
            }
            connection.preparedQuery(forms.insertInto(table)).executeBatch(batch).await().atMost(config.dbTimeout());
        }

        void recordConflicts(List<String> keys) {
            if (keys.isEmpty()) {
                return;
            }
            long now = System.currentTimeMillis();
            // a target in a source: in the control database before the chunk's commit (INSERT IGNORE: a retried chunk records them again)
            (source ? control : connection).preparedQuery(RestoreSql.RECORD_CONFLICT)
                    .executeBatch(keys.stream().map(k -> Tuple.of(restoreId, k, objectKey, now)).toList()).await().atMost(config.dbTimeout());
        }

        /** The chunk's progress and figures, on the object's row and the restore's, in this commit (a source's: then in the control database). */
        void recordProgress(long recordsDone, ChunkResult result, boolean objectDone) {
            if (source) {
                SourceRestoreProgress.record(connection, restoreId, objectKey, recordsDone, result.restored(), result.skipped(),
                        result.conflicts().size(), objectDone, config.dbTimeout());
                afterCommit = () -> syncControl(restoreId, objectKey, SourceRestoreProgress.find(connection, restoreId, objectKey,
                        config.dbTimeout()));
                return;
            }
            long now = System.currentTimeMillis();
            connection.preparedQuery(RestoreSql.RECORD_OBJECT_PROGRESS).execute(Tuple.tuple(Arrays.asList(recordsDone, result.restored(),
                    result.skipped(), result.conflicts().size(), objectDone, now, restoreId, objectKey))).await().atMost(config.dbTimeout());
            int changed = connection.preparedQuery(RestoreSql.ADD_PROGRESS).execute(Tuple.tuple(Arrays.asList(result.restored(),
                    result.skipped(), result.conflicts().size(), objectDone ? 1 : 0, now, restoreId))).await().atMost(config.dbTimeout())
                    .rowCount();
            if (changed != 1) {
                throw new IllegalStateException("restore " + restoreId + " ended while its chunk was locked");
            }
        }

        void commit() {
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

    static String quote(String identifier) {
        return "`" + identifier.replace("`", "``") + "`";
    }

    @Override
    public void close() {
        try {
            connection.query(LEAVE).execute().onFailure().recoverWithNull().await().atMost(config.dbTimeout());
        } finally {
            connection.close().await().atMost(config.dbTimeout());
        }
    }
}
