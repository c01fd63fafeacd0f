package io.archiver.scanner;

import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.inject.Singleton;

import io.archiver.events.ArchiveEvent;
import io.archiver.events.ArchiveMode;
import io.archiver.events.ArchiveRequested;
import io.archiver.events.BatchScope;
import io.archiver.events.RunStatistics;
import io.archiver.ledger.BatchState;
import io.archiver.ledger.LedgerSql;
import io.archiver.support.testing.RunTable;
import io.archiver.support.testing.TestLedger;
import io.smallrye.reactive.messaging.memory.InMemorySink;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowIterator;
import io.vertx.mutiny.sqlclient.Tuple;

/** What the scanner's tests set up and read back: rows of {@code run}, requests, runs and batches in the ledger. */
@Singleton
public class ScannerLedger {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final AtomicInteger RUNS = new AtomicInteger();

    /** A run as the ledger has it (archivectl's columns, {@link LedgerSql#RUN}). */
    public record Run(String state, String outcome, String reason, int batchesPlanned, long rowsFound, String confirmedBy,
            RunStatistics statistics) {
    }

    /** A batch as the ledger has it. */
    public record Batch(String batchId, long firstId, long lastId, long expectedRows, BatchState state) {
    }

    private final Pool pool;
    /** The ledger's batches as service-support's fixture reads and writes them (the scanner's Flyway created the tables). */
    public final TestLedger batches;
    public final RunTable table;

    public ScannerLedger(Pool pool) {
        this.pool = pool;
        this.batches = new TestLedger(pool).create();
        this.table = new RunTable(pool);
    }

    /** Runs DDL or DML the test needs on its database (a table that no longer fits a policy, say). */
    /** Each batch of the run in order as first_key, last_key and expected_rows (a range of a whole key, docs/keys.md). */
    public List<List<String>> keyRanges(String runId) {
        List<List<String>> ranges = new ArrayList<>();
        for (Row row : pool.preparedQuery("SELECT first_key, last_key, expected_rows, first_id, last_id FROM archive_batch WHERE run_id = ? ORDER BY seq")
                .execute(Tuple.of(runId)).await().atMost(WAIT)) {
            ranges.add(List.of(row.getString(0), row.getString(1), row.getValue(2).toString(), row.getValue(3) + ".." + row.getValue(4)));
        }
        return ranges;
    }

    public void execute(String sql) {
        pool.query(sql).execute().await().atMost(WAIT);
    }

    /** The rows of {@code run} older than {@code cutoff}, counted now: what a run with that cutoff finds eligible. */
    public long eligible(long cutoff) {
        return pool.preparedQuery("SELECT COUNT(*) FROM run WHERE msg_sent_date < ?").execute(Tuple.of(cutoff)).await().atMost(WAIT).iterator()
                .next().getLong(0);
    }

    public static String newRunId(String what) {
        return what + "-" + System.currentTimeMillis() + "-" + RUNS.incrementAndGet();
    }

    /** A request of {@code policy} (table run) with the default test cutoff, 61 days ago. */
    public static ArchiveRequested request(String policy) {
        return ArchiveRequested.of(newRunId(policy), policy, "run", RunTable.CUTOFF, ArchiveMode.DELETE, "test", false, null);
    }

    /** A scope of a batch of a run of {@code policy} on ids {@code first..last}. */
    public static BatchScope scope(String policy, long first, long last) {
        return new BatchScope(policy, "run", RunTable.CUTOFF, first, last, ArchiveMode.DELETE, LocalDate.now(ZoneOffset.UTC));
    }

    public Run run(String runId) {
        RowIterator<Row> rows = pool.preparedQuery(LedgerSql.RUN).execute(Tuple.of(runId)).await().atMost(WAIT).iterator();
        if (!rows.hasNext()) {
            throw new AssertionError("run " + runId + " is not in the ledger");
        }
        Row row = rows.next();
        RunStatistics stats = row.getLong("stats_rows_found") == null ? null
                : new RunStatistics(row.getLong("stats_rows_found"), row.getLong("stats_rows_exported"), row.getLong("stats_rows_uploaded"),
                        row.getLong("stats_rows_removed"), row.getLong("stats_rows_failed"), row.getLong("stats_batches"),
                        row.getLong("stats_batches_failed"), row.getLong("stats_bytes_uploaded"), row.getLong("stats_objects"),
                        row.getLong("stats_duration_ms"));
        return new Run(row.getString("state"), row.getString("outcome"), row.getString("reason"), row.getInteger("batches_planned"),
                row.getLong("rows_found"), row.getString("confirmed_by"), stats);
    }

    public List<Batch> batches(String runId) {
        List<Batch> batches = new ArrayList<>();
        for (Row row : pool.preparedQuery(LedgerSql.BATCHES_OF_RUN).execute(Tuple.of(runId)).await().atMost(WAIT)) {
            batches.add(new Batch(row.getString("batch_id"), row.getLong("first_id"), row.getLong("last_id"), row.getLong("expected_rows"),
                    BatchState.valueOf(row.getString("state"))));
        }
        return batches;
    }

    /** The events about run {@code runId} published on {@code sink} so far, of {@code type}. */
    public static <T extends ArchiveEvent> List<T> published(InMemorySink<ArchiveEvent> sink, Class<T> type, String runId) {
        return sink.received().stream().map(m -> m.getPayload()).filter(type::isInstance).map(type::cast)
                .filter(e -> runId.equals(e.runId())).toList();
    }
}
