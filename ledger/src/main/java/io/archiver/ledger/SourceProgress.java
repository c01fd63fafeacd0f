package io.archiver.ledger;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowIterator;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The deleter's per-batch progress in a source database ({@code archiver_batch_progress}, {@value #SCHEMA}): for a policy of
 * another database than the control one, the deleter records how far it got in the same transaction as the chunk's deletes,
 * in the database those deletes happen in, since one transaction cannot span two servers. The control database's ledger keeps
 * the batch's state; the deleter marks it DELETED after the last chunk's commit here (the progress row's {@code completed}), so a stop in between
 * is finished by the next delivery. The one owner of that table's SQL.
 */
public final class SourceProgress {

    /** The table's definition, a resource of this module (idempotent: CREATE TABLE IF NOT EXISTS). */
    public static final String SCHEMA = "db/source/V1__batch_progress.sql";
    /**
     * Schema 2: the restore progress table ({@link SourceRestoreProgress}), and the progress of a batch of whole keys (docs/keys.md)
     * applied after {@link #SCHEMA} where its column is absent.
     */
    public static final String KEYS_SCHEMA = "db/source/V2__batch_progress_keys.sql";
    public static final String TABLE = "archiver_batch_progress";

    private static final String HAS_KEY_COLUMN = "SELECT COUNT(*) FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE()"
            + " AND TABLE_NAME = '" + TABLE + "' AND COLUMN_NAME = 'removed_through_key'";
    private static final String COLUMNS = "removed_through_id, completed, rows_removed, rows_kept_changed, rows_kept_not_in_object,"
            + " rows_missing, removed_through_key";
    private static final String SELECT = "SELECT " + COLUMNS + " FROM " + TABLE + " WHERE batch_id = ?";
    private static final String OPEN = "INSERT IGNORE INTO " + TABLE + " (batch_id, run_id, updated_at_ms) VALUES (?, ?, ?)";
    private static final String RECORD = "UPDATE " + TABLE + " SET removed_through_id = ?, removed_through_key = ?, completed = ?, rows_removed = ?,"
            + " rows_kept_changed = ?, rows_kept_not_in_object = ?, rows_missing = ?, updated_at_ms = ? WHERE batch_id = ? AND completed = 0";

    /**
     * How far the deleter got with a batch in its source database: the last id a committed chunk handled (null before the
     * first), or for a batch of whole keys the last key's text ({@code removedThroughKey}), whether the last chunk committed,
     * and the rows removed, kept and missing so far.
     */
    public record Progress(Long removedThroughId, boolean completed, long rowsRemoved, long rowsKeptChanged, long rowsKeptNotInObject,
            long rowsMissing, String removedThroughKey) {

        static final Progress NONE = new Progress(null, false, 0, 0, 0, 0, null);

        /**
         * The control ledger's batch as the deleter and the exporter judge it: its state from the control database, its
         * progress from the source's. A completed batch reads as DELETED (its rows are gone, with its progress) even while the
         * control database has not marked it yet: what is left for the deleter is that mark; nothing is exported again.
         */
        public LedgerBatch over(LedgerBatch batch) {
            if (batch.ended()) {
                return batch;
            }
            return new LedgerBatch(batch.runId(), batch.firstId(), batch.lastId(), batch.cutoffEpochMs(),
                    completed ? BatchState.DELETED : batch.state(), rowsRemoved, completed ? null : removedThroughId, rowsKeptChanged,
                    rowsKeptNotInObject, rowsMissing, batch.exceptionsKey(), batch.firstKey(), batch.lastKey(),
                    completed ? null : removedThroughKey);
        }
    }

    private SourceProgress() {
    }

    /** The table's CREATE statement, as {@value #SCHEMA} holds it. */
    public static String createStatement() {
        return statement(SCHEMA);
    }

    /** {@value #KEYS_SCHEMA}'s CREATE of the restore progress table ({@link SourceRestoreProgress}), idempotent. */
    public static String restoreProgressStatement() {
        return statement(KEYS_SCHEMA).split(";\n", 2)[0].trim();
    }

    /** {@value #KEYS_SCHEMA}'s upgrade of a table of {@value #SCHEMA} to the progress of whole keys (only where its column is absent). */
    public static String upgradeStatement() {
        return statement(KEYS_SCHEMA).split(";\n", 2)[1].trim();
    }

    private static String statement(String resource) {
        try (InputStream in = SourceProgress.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is missing from the ledger module");
            }
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            // the file's comment lines explain the table; the server gets the statement alone
            return Arrays.stream(text.split("\n")).filter(line -> !line.startsWith("--")).reduce("", (a, b) -> a + b + "\n").trim();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Creates the table where absent and upgrades a table of schema 1 in place, and creates the restore progress table
     * ({@link SourceRestoreProgress}) where absent (needs CREATE on both tables, ALTER on this one).
     */
    public static void ensure(SqlClient client, Duration timeout) {
        ensure(client).await().atMost(timeout);
    }

    /**
     * {@link #ensure(SqlClient, Duration)} without blocking (the scanner's event loop): V1's CREATE TABLE IF NOT EXISTS, then
     * V2's ALTER only where the key column is absent, so a table a DBA created with both needs no ALTER grant; a concurrent
     * upgrade that added the column first is no failure.
     */
    public static Uni<Void> ensure(SqlClient client) {
        return client.query(createStatement()).execute()
                .chain(() -> client.query(restoreProgressStatement()).execute())
                .chain(() -> hasKeyColumn(client))
                .chain(upgraded -> upgraded ? Uni.createFrom().voidItem()
                        : client.query(upgradeStatement()).execute().replaceWithVoid()
                                // another process may have added the column first: then the table is as wanted
                                .onFailure().recoverWithUni(e -> hasKeyColumn(client).map(added -> {
                                    if (!added) {
                                        throw e instanceof RuntimeException r ? r : new IllegalStateException(e);
                                    }
                                    return null;
                                })))
                .replaceWithVoid();
    }

    private static Uni<Boolean> hasKeyColumn(SqlClient client) {
        return client.query(HAS_KEY_COLUMN).execute().map(rows -> rows.iterator().next().getLong(0) > 0);
    }

    /** The batch's progress as {@code client} sees it (a pool: as committed; a connection: in its transaction's snapshot). */
    public static Progress find(SqlClient client, String batchId, Duration timeout) {
        return read(client, SELECT, batchId, timeout);
    }

    /** The batch's progress row, created where absent and locked in the caller's transaction: one delivery of a batch at a time. */
    public static Progress lock(SqlClient connection, String batchId, String runId, Duration timeout) {
        connection.preparedQuery(OPEN).execute(Tuple.of(batchId, runId, System.currentTimeMillis())).await().atMost(timeout);
        return read(connection, SELECT + " FOR UPDATE", batchId, timeout);
    }

    /**
     * Records the progress in the caller's (the chunk's) transaction, through id {@code through} or, for a batch of whole keys,
     * through the key of text {@code throughKey} (the other null); fails if the batch was already completed.
     */
    public static void record(SqlClient connection, String batchId, Long through, String throughKey, boolean completed, long removed,
            long keptChanged, long keptNotInObject, long missing, Duration timeout) {
        int rows = connection.preparedQuery(RECORD).execute(Tuple.tuple(Arrays.asList(through, throughKey, completed ? 1 : 0, removed, keptChanged,
                keptNotInObject, missing, System.currentTimeMillis(), batchId))).await().atMost(timeout).rowCount();
        if (rows != 1) {
            throw new IllegalStateException("batch " + batchId + " has no open progress row in " + TABLE + " while locked");
        }
    }

    private static Progress read(SqlClient client, String sql, String batchId, Duration timeout) {
        RowIterator<Row> rows = client.preparedQuery(sql).execute(Tuple.of(batchId)).await().atMost(timeout).iterator();
        if (!rows.hasNext()) {
            return Progress.NONE;
        }
        Row row = rows.next();
        return new Progress(row.getLong(0), row.getInteger(1) != 0, row.getLong(2), row.getLong(3), row.getLong(4), row.getLong(5),
                row.getString(6));
    }
}
