package io.archiver.deleter.restore;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.archiver.events.RestoreRequested;
import io.archiver.ledger.LedgerSql;
import io.archiver.ledger.RestoreRecord;
import io.archiver.ledger.RestoreSql;
import io.archiver.ledger.RestoreState;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowIterator;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Transaction;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * A restore's record in the control database ({@link RestoreSql}): created once per restore id, its number of objects, and
 * its end (with the audit row, in one commit). The figures of each chunk are {@link RestoreSession}'s, in the chunk's commit.
 */
@ApplicationScoped
public class RestoreLedger {

    private final Pool pool;
    private final RestoreConfig config;

    public RestoreLedger(Pool pool, RestoreConfig config) {
        this.pool = pool;
        this.config = config;
    }

    /** Records the request (once: a replay finds the first record) and returns the record as it stands. */
    public RestoreRecord open(RestoreRequested request, String table) {
        long now = System.currentTimeMillis();
        pool.preparedQuery(RestoreSql.INSERT_RESTORE).execute(Tuple.tuple(Arrays.asList(request.runId(), request.policy(), table,
                request.targetTable(), request.scope().describe(), request.intoSource(), request.dryRun(), request.requestedBy(), now, now)))
                .await().atMost(config.dbTimeout());
        return find(pool, request.runId()).orElseThrow();
    }

    public Optional<RestoreRecord> find(String restoreId) {
        return find(pool, restoreId);
    }

    static Optional<RestoreRecord> find(SqlClient client, String restoreId) {
        RowIterator<Row> rows = client.preparedQuery(RestoreSql.RESTORE).execute(Tuple.of(restoreId)).await().atMost(java.time.Duration.ofMinutes(2))
                .iterator();
        if (!rows.hasNext()) {
            return Optional.empty();
        }
        Row r = rows.next();
        return Optional.of(new RestoreRecord(r.getString("restore_id"), r.getString("policy"), r.getString("table_name"),
                r.getString("target_table"), r.getString("scope"), r.getBoolean("into_source"), r.getBoolean("dry_run"),
                r.getString("requested_by"), RestoreState.valueOf(r.getString("state")), r.getInteger("objects_total"),
                r.getInteger("objects_done"), r.getLong("rows_restored"), r.getLong("rows_skipped"), r.getLong("rows_conflicting"),
                r.getString("error"), r.getLong("requested_at_ms"), r.getLong("updated_at_ms"), r.getLong("completed_at_ms")));
    }

    public void recordObjectsTotal(String restoreId, int objects) {
        pool.preparedQuery(RestoreSql.RECORD_OBJECTS_TOTAL).execute(Tuple.of(objects, System.currentTimeMillis(), restoreId))
                .await().atMost(config.dbTimeout());
    }

    /** Whether a run of {@code policy} is planned or running: its batches could remove rows a restore writes into the source. */
    public boolean runInFlight(String policy) {
        return pool.preparedQuery(RestoreSql.RUNS_IN_FLIGHT).execute(Tuple.of(policy)).await().atMost(config.dbTimeout()).iterator().next()
                .getLong(0) > 0;
    }

    /**
     * Ends the restore (COMPLETED, or FAILED with {@code error}) and, unless it was a dry run or failed before it wrote a row,
     * appends its audit row in the same commit: who asked (the actor), the target, the rows written, the objects read and their SHA-256. A restore that has ended already
     * is left as it is and audited no second time.
     */
    public RestoreRecord end(String restoreId, RestoreState state, String error, List<String> objectKeys, List<String> sha256s) {
        SqlConnection connection = pool.getConnection().await().atMost(config.dbTimeout());
        try {
            Transaction tx = connection.begin().await().atMost(config.dbTimeout());
            try {
                long now = System.currentTimeMillis();
                int ended = connection.preparedQuery(RestoreSql.END_RESTORE).execute(Tuple.tuple(Arrays.asList(state.name(), error, now, now,
                        restoreId))).await().atMost(config.dbTimeout()).rowCount();
                RestoreRecord record = find(connection, restoreId).orElseThrow();
                if (ended == 1 && !record.dryRun() && (state == RestoreState.COMPLETED || record.rowsRestored() > 0)) {
                    connection.preparedQuery(LedgerSql.AUDIT_INSERT).execute(Tuple.tuple(Arrays.asList(now, record.requestedBy(), RestoreSql.AUDIT_RESTORED,
                            record.policy(), record.targetTable(), restoreId, null, record.rowsRestored(), Json.array(objectKeys),
                            Json.sha256s(objectKeys, sha256s), detail(record, state, error)))).await().atMost(config.dbTimeout());
                }
                tx.commit().await().atMost(config.dbTimeout());
                return record;
            } catch (RuntimeException e) {
                tx.rollback().onFailure().recoverWithNull().await().atMost(config.dbTimeout());
                throw e;
            }
        } finally {
            connection.close().await().atMost(config.dbTimeout());
        }
    }

    private static String detail(RestoreRecord r, RestoreState state, String error) {
        String text = state + " " + r.scope() + " of " + r.table() + " into " + r.targetTable() + " requested by " + r.requestedBy() + ": restored "
                + r.rowsRestored() + ", skipped (same values) " + r.rowsSkipped() + ", conflicting (other values, kept) " + r.rowsConflicting()
                + (error == null ? "" : "; " + error);
        return text.length() <= 1024 ? text : text.substring(0, 1021) + "...";
    }

    /** JSON text of object keys and their digests (keys have no control characters; quotes and backslashes escaped all the same). */
    static final class Json {
        private Json() {
        }

        static String array(List<String> values) {
            StringBuilder json = new StringBuilder("[");
            for (String value : values) {
                json.append(json.length() > 1 ? "," : "").append(string(value));
            }
            return json.append(']').toString();
        }

        static String sha256s(List<String> keys, List<String> sha256s) {
            StringBuilder json = new StringBuilder("{\"objectSha256\":{");
            for (int i = 0; i < keys.size(); i++) {
                json.append(i > 0 ? "," : "").append(string(keys.get(i))).append(':').append(string(sha256s.get(i)));
            }
            return json.append("}}").toString();
        }

        private static String string(String value) {
            return '"' + value.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
        }
    }
}
