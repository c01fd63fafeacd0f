package io.archiver.scanner.persistence;

import java.time.LocalDate;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.function.BiFunction;

import jakarta.enterprise.context.ApplicationScoped;

import io.archiver.events.ArchiveBatchDeleted;
import io.archiver.events.ArchiveBatchFailed;
import io.archiver.events.ArchiveEvent;
import io.archiver.events.ArchiveMode;
import io.archiver.events.ArchiveShardExported;
import io.archiver.events.ArchiveUploaded;
import io.archiver.events.BatchScope;
import io.archiver.ledger.BatchState;
import io.archiver.ledger.LedgerSql;
import io.archiver.ledger.RunState;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowIterator;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The ledger's writes and reads of every progress event (three per batch: exported, uploaded, ended) and of a run's window, as
 * plain statements of the Vert.x client instead of Hibernate Reactive: these run a few hundred times per run, too seldom for
 * the JIT to compile Hibernate's many layers, so on the scanner's event loop they ran mostly interpreted (docs/performance.md).
 * Each event is one transaction that locks the run, then the batch (the order every writer of the ledger keeps), checks the
 * event's whole range against the ledger, and writes only the columns the event sets: a replayed event finds its effect
 * recorded and changes no figure. The run's close, once per run, stays with {@link RunLedger} (Hibernate).
 */
@ApplicationScoped
public class BatchLedger {

    /** The states of a batch that has ended, as SQL literals ({@link BatchState#ENDED}). */
    private static final String ENDED = LedgerSql.inList(BatchState.DELETED, BatchState.FAILED);

    static final String LOCK_RUN = "SELECT state, cutoff_epoch_ms FROM archive_run WHERE run_id = ? FOR UPDATE";
    static final String LOCK_BATCH = "SELECT run_id, first_id, last_id, first_key, last_key, state, rows_exported, rows_uploaded"
            + " FROM archive_batch WHERE batch_id = ? FOR UPDATE";
    static final String TOUCH = "UPDATE archive_batch SET updated_at_ms = ? WHERE batch_id = ?";
    static final String EXPORTED = "UPDATE archive_batch SET rows_exported = ?, rows_digest = ?, file_bytes = ?, state = ?, updated_at_ms = ?"
            + " WHERE batch_id = ?";
    static final String UPLOADED = "UPDATE archive_batch SET object_key = ?, object_bytes = ?, rows_uploaded = ?, state = ?, updated_at_ms = ?"
            + " WHERE batch_id = ?";
    static final String DELETED = "UPDATE archive_batch SET rows_removed = ?, rows_kept_changed = ?, rows_kept_not_in_object = ?,"
            + " rows_missing = ?, exceptions_key = COALESCE(?, exceptions_key), object_key = COALESCE(object_key, ?),"
            + " state = " + LedgerSql.inList(BatchState.DELETED) + ","
            + " updated_at_ms = ? WHERE batch_id = ?";
    static final String FAILED = "UPDATE archive_batch SET state = " + LedgerSql.inList(BatchState.FAILED)
            + ", failed_stage = ?, failure_reason = ?, failure_detail = ?,"
            + " updated_at_ms = ? WHERE batch_id = ?";
    static final String COUNT_OPEN = "SELECT COUNT(*) FROM archive_batch WHERE run_id = ? AND state NOT IN (" + ENDED + ")";
    static final String RUN_SCOPE = "SELECT run_id, policy, table_name, cutoff_epoch_ms, mode, run_date, state, dry_run FROM archive_run"
            + " WHERE run_id = ?";
    static final String OPEN_BATCHES = "SELECT batch_id, run_id, seq, first_id, last_id, first_key, last_key, expected_rows, state,"
            + " rows_exported, rows_digest, file_bytes, object_key, object_bytes, rows_uploaded, rows_removed, rows_kept_changed,"
            + " rows_kept_not_in_object, rows_missing, exceptions_key, failed_stage, failure_reason, failure_detail, updated_at_ms,"
            + " published_at_ms FROM archive_batch WHERE run_id = ? AND state NOT IN (" + ENDED + ") ORDER BY seq LIMIT ?";
    static final String PUBLISHED = "UPDATE archive_batch SET published_at_ms = ? WHERE published_at_ms IS NULL AND batch_id IN ";

    /** What a run's batches are published with: the run's side of every ArchiveBatchReady, and whether it may publish. */
    public record RunScope(String runId, String policy, String table, long cutoffEpochMs, ArchiveMode mode, LocalDate runDate, RunState state,
            boolean dryRun) {

        public static RunScope of(ArchiveRunEntity run) {
            return new RunScope(run.runId, run.policy, run.tableName, run.cutoffEpochMs, run.mode, run.runDate, run.state, run.dryRun);
        }
    }

    private final Pool control;

    public BatchLedger(Pool control) {
        this.control = control;
    }

    public Uni<Void> recordExported(ArchiveShardExported event) {
        return update(event, event.scope(), (connection, locked) -> {
            if (locked.batch().getLong("rows_exported") != null) {
                return touch(connection, event); // the first export reported stands: a replayed or repeated report changes no figure
            }
            return execute(connection, EXPORTED, Tuple.tuple(java.util.Arrays.asList(event.rowCount(), event.rowsDigest(), event.fileBytes(),
                    locked.state().advanceTo(BatchState.EXPORTED).name(), System.currentTimeMillis(), event.batchId())));
        }).replaceWithVoid();
    }

    public Uni<Void> recordUploaded(ArchiveUploaded event) {
        return update(event, event.scope(), (connection, locked) -> {
            if (locked.batch().getLong("rows_uploaded") != null) {
                return touch(connection, event); // the first verified upload reported stands
            }
            return execute(connection, UPLOADED, Tuple.tuple(java.util.Arrays.asList(event.objectKey(), event.objectBytes(), event.rowCount(),
                    locked.state().advanceTo(BatchState.UPLOADED).name(), System.currentTimeMillis(), event.batchId())));
        }).replaceWithVoid();
    }

    /**
     * Records a batch's end as the deleter reported it (the first end is the batch's end: a FAILED batch stays FAILED); true when
     * the run may close now ({@link RunLedger} then looks, with the run locked again).
     */
    public Uni<Boolean> recordDeleted(ArchiveBatchDeleted event) {
        return update(event, event.scope(), (connection, locked) -> {
            Uni<Void> written = locked.state() == BatchState.FAILED ? touch(connection, event)
                    : execute(connection, DELETED, Tuple.tuple(java.util.Arrays.asList(event.rowsRemoved(), event.rowsKeptChanged(),
                            event.rowsKeptNotInObject(), event.rowsMissing(), event.exceptionsKey(), event.objectKey(), System.currentTimeMillis(),
                            event.batchId())));
            return written.chain(() -> mayClose(connection, locked.runState(), event.runId()));
        });
    }

    /** Records a batch's failure unless it ended before (the first failure is the cause); true when the run may close now. */
    public Uni<Boolean> recordFailed(ArchiveBatchFailed event) {
        return update(event, event.scope(), (connection, locked) -> {
            Uni<Void> written = locked.state().ended() ? touch(connection, event)
                    : execute(connection, FAILED, Tuple.tuple(java.util.Arrays.asList(event.stage().name(), truncate(event.reason(), 64),
                            truncate(event.detail(), 1024), System.currentTimeMillis(), event.batchId())));
            return written.chain(() -> mayClose(connection, locked.runState(), event.runId()));
        });
    }

    /** The run's side of its batches' announcements, or null when the ledger has no such run. */
    public Uni<RunScope> runScope(String runId) {
        return control.preparedQuery(RUN_SCOPE).execute(Tuple.of(runId)).map(rows -> {
            RowIterator<Row> found = rows.iterator();
            if (!found.hasNext()) {
                return null;
            }
            Row row = found.next();
            return new RunScope(row.getString(0), row.getString(1), row.getString(2), row.getLong(3), ArchiveMode.valueOf(row.getString(4)),
                    row.getLocalDate(5), RunState.valueOf(row.getString(6)), row.getBoolean(7));
        });
    }

    /** The run's first {@code limit} batches that have not ended, in plan order, as the ledger has them now (detached). */
    public Uni<List<ArchiveBatchEntity>> openBatches(String runId, int limit) {
        return control.preparedQuery(OPEN_BATCHES).execute(Tuple.of(runId, limit)).map(rows -> {
            List<ArchiveBatchEntity> open = new java.util.ArrayList<>(rows.size());
            for (Row row : rows) {
                open.add(batch(row));
            }
            return open;
        });
    }

    /** Records that these batches were published (the first time counts). */
    public Uni<Void> published(List<String> batchIds, long atMs) {
        if (batchIds.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<Object> arguments = new java.util.ArrayList<>(batchIds.size() + 1);
        arguments.add(atMs);
        arguments.addAll(batchIds);
        String sql = PUBLISHED + "(" + String.join(", ", Collections.nCopies(batchIds.size(), "?")) + ")";
        return control.preparedQuery(sql).execute(Tuple.from(arguments)).replaceWithVoid();
    }

    private static ArchiveBatchEntity batch(Row row) {
        ArchiveBatchEntity b = new ArchiveBatchEntity();
        b.batchId = row.getString("batch_id");
        b.runId = row.getString("run_id");
        b.seq = row.getInteger("seq");
        b.firstId = row.getLong("first_id");
        b.lastId = row.getLong("last_id");
        b.firstKey = row.getString("first_key");
        b.lastKey = row.getString("last_key");
        b.expectedRows = row.getLong("expected_rows");
        b.state = BatchState.valueOf(row.getString("state"));
        b.rowsExported = row.getLong("rows_exported");
        b.rowsDigest = row.getString("rows_digest");
        b.fileBytes = row.getLong("file_bytes");
        b.objectKey = row.getString("object_key");
        b.objectBytes = row.getLong("object_bytes");
        b.rowsUploaded = row.getLong("rows_uploaded");
        b.rowsRemoved = row.getLong("rows_removed");
        b.rowsKeptChanged = row.getLong("rows_kept_changed");
        b.rowsKeptNotInObject = row.getLong("rows_kept_not_in_object");
        b.rowsMissing = row.getLong("rows_missing");
        b.exceptionsKey = row.getString("exceptions_key");
        b.failedStage = row.getString("failed_stage");
        b.failureReason = row.getString("failure_reason");
        b.failureDetail = row.getString("failure_detail");
        b.updatedAtMs = row.getLong("updated_at_ms");
        b.publishedAtMs = row.getLong("published_at_ms");
        return b;
    }

    /** The run's state and the batch's row, both locked by this event's transaction. */
    private record Locked(RunState runState, Row batch) {
        BatchState state() {
            return BatchState.valueOf(batch.getString("state"));
        }
    }

    /**
     * In one transaction: locks the run, then the batch, checks that the event's whole range is the ledger's (ids for a
     * one-integer key, the keys' texts for any other) and its cutoff the run's, then applies {@code change}.
     */
    private <T> Uni<T> update(ArchiveEvent event, BatchScope scope, BiFunction<SqlConnection, Locked, Uni<T>> change) {
        return control.withTransaction(connection -> connection.preparedQuery(LOCK_RUN).execute(Tuple.of(event.runId())).chain(runs -> {
            RowIterator<Row> run = runs.iterator();
            if (!run.hasNext()) {
                return Uni.createFrom().failure(new RunLedger.UnknownBatch("no run " + event.runId() + " in the ledger"));
            }
            Row runRow = run.next();
            RunState runState = RunState.valueOf(runRow.getString(0));
            long cutoff = runRow.getLong(1);
            return connection.preparedQuery(LOCK_BATCH).execute(Tuple.of(event.batchId())).chain(batches -> {
                RowIterator<Row> found = batches.iterator();
                Row batch = found.hasNext() ? found.next() : null;
                if (batch == null || !event.runId().equals(batch.getString("run_id")) || !Objects.equals(batch.getString("first_key"), scope.firstKeyText())
                        || !Objects.equals(batch.getString("last_key"), scope.lastKeyText()) || batch.getLong("first_id") != scope.firstId()
                        || batch.getLong("last_id") != scope.lastId() || cutoff != scope.cutoffEpochMs()) {
                    return Uni.createFrom().failure(new RunLedger.UnknownBatch("batch " + event.batchId() + " with range " + scope.rangeText()
                            + " is not a batch of run " + event.runId()));
                }
                return change.apply(connection, new Locked(runState, batch));
            });
        }));
    }

    /** Whether the run may close: planning ended and no batch is open (a completed run: whether its close was announced is RunLedger's). */
    private static Uni<Boolean> mayClose(SqlConnection connection, RunState runState, String runId) {
        if (runState == RunState.PLANNING || runState == RunState.AWAITING_CONFIRMATION) {
            return Uni.createFrom().item(false);
        }
        if (runState != RunState.RUNNING) {
            return Uni.createFrom().item(true);
        }
        return connection.preparedQuery(COUNT_OPEN).execute(Tuple.of(runId)).map(rows -> rows.iterator().next().getLong(0) == 0);
    }

    private static Uni<Void> touch(SqlConnection connection, ArchiveEvent event) {
        return execute(connection, TOUCH, Tuple.of(System.currentTimeMillis(), event.batchId()));
    }

    private static Uni<Void> execute(SqlConnection connection, String sql, Tuple arguments) {
        return connection.preparedQuery(sql).execute(arguments).invoke(BatchLedger::atMostOneRow).replaceWithVoid();
    }

    /** Each update names one batch by its key (a row left as it was counts 0 in MySQL's answer): more is a wrong statement. */
    private static void atMostOneRow(RowSet<Row> result) {
        if (result.rowCount() > 1) {
            throw new IllegalStateException("a batch update changed " + result.rowCount() + " rows");
        }
    }

    private static String truncate(String text, int max) {
        return text == null || text.length() <= max ? text : text.substring(0, max);
    }
}
