package io.archiver.support.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import io.archiver.events.BatchScope;
import io.archiver.ledger.BatchState;
import io.archiver.ledger.RunState;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowIterator;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The run ledger ({@code archive_run}, {@code archive_batch}) on a service test's real MySQL, created with the ledger
 * module's own migrations ({@code ledger/src/main/resources/db/ledger}, read from the checkout), so the tests run against
 * the schema the scanner creates in production; runs and batches written as the scanner writes them.
 */
public final class TestLedger {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String MIGRATIONS = "ledger/src/main/resources/db/ledger";

    /** A batch row as the ledger has it. */
    public record Batch(BatchState state, Long rowsExported, Long rowsRemoved, Long removedThroughId, String objectKey, Long objectBytes,
            String rowsDigest) {
    }

    private final Pool pool;

    public TestLedger(Pool pool) {
        this.pool = pool;
    }

    /** Creates the ledger's tables unless they exist. */
    public synchronized TestLedger create() {
        boolean exists = pool.query("SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = DATABASE()"
                + " AND table_name = 'archive_batch'").execute().await().atMost(WAIT).iterator().next().getLong(0) > 0;
        if (!exists) {
            for (Path migration : migrations()) {
                for (String statement : statements(migration)) {
                    pool.query(statement).execute().await().atMost(WAIT);
                }
            }
        }
        return this;
    }

    private static List<Path> migrations() {
        Path dir = checkoutRoot().resolve(MIGRATIONS);
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().matches("V\\d+__.*\\.sql"))
                    .sorted(Comparator.comparingInt(f -> Integer.parseInt(f.getFileName().toString().replaceAll("^V(\\d+)__.*", "$1"))))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the ledger's migrations in " + dir, e);
        }
    }

    private static Path checkoutRoot() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve(MIGRATIONS))) {
                return dir;
            }
        }
        throw new IllegalStateException("no " + MIGRATIONS + " above " + Path.of("").toAbsolutePath());
    }

    private static List<String> statements(Path migration) {
        try {
            String sql = Files.readAllLines(migration).stream().filter(line -> !line.trim().startsWith("--"))
                    .reduce("", (a, b) -> a + "\n" + b);
            return Arrays.stream(sql.split(";")).map(String::trim).filter(s -> !s.isEmpty()).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A RUNNING run of {@code scope}'s policy, table, cutoff, mode and run date. */
    public void run(String runId, BatchScope scope) {
        pool.preparedQuery("INSERT INTO archive_run (run_id, policy, table_name, cutoff_epoch_ms, mode, run_date, dry_run, requested_by,"
                + " state, batches_planned, requested_at_ms, planned_at_ms) VALUES (?, ?, ?, ?, ?, ?, FALSE, 'test', ?, 1, ?, ?)")
                .execute(Tuple.tuple(List.of(runId, scope.policy(), scope.table(), scope.cutoffEpochMs(), scope.mode().name(), scope.runDate(),
                        RunState.RUNNING.name(),
                        System.currentTimeMillis(), System.currentTimeMillis())))
                .await().atMost(WAIT);
    }

    /** A batch of a run made by {@link #run}, in {@code state}. */
    public void batch(String runId, String batchId, int seq, BatchScope scope, long expectedRows, BatchState state) {
        pool.preparedQuery("INSERT INTO archive_batch (batch_id, run_id, seq, first_id, last_id, expected_rows, state, updated_at_ms)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
                .execute(Tuple.tuple(List.of(batchId, runId, seq, scope.firstId(), scope.lastId(), expectedRows, state.name(),
                        System.currentTimeMillis())))
                .await().atMost(WAIT);
    }

    /** Records the deleter's progress as a chunk's commit does. */
    public void removedThrough(String batchId, long throughId, long rowsRemoved) {
        pool.preparedQuery("UPDATE archive_batch SET removed_through_id = ?, rows_removed = ? WHERE batch_id = ?")
                .execute(Tuple.of(throughId, rowsRemoved, batchId)).await().atMost(WAIT);
    }

    public void state(String batchId, BatchState state) {
        pool.preparedQuery("UPDATE archive_batch SET state = ? WHERE batch_id = ?").execute(Tuple.of(state.name(), batchId)).await().atMost(WAIT);
    }

    public Optional<Batch> find(String batchId) {
        RowIterator<Row> rows = pool.preparedQuery("SELECT state, rows_exported, rows_removed, removed_through_id, object_key, object_bytes,"
                + " rows_digest FROM archive_batch WHERE batch_id = ?").execute(Tuple.of(batchId)).await().atMost(WAIT).iterator();
        if (!rows.hasNext()) {
            return Optional.empty();
        }
        Row row = rows.next();
        return Optional.of(new Batch(BatchState.valueOf(row.getString(0)), row.getLong(1), row.getLong(2), row.getLong(3), row.getString(4), row.getLong(5),
                row.getString(6)));
    }

    public Batch get(String batchId) {
        return find(batchId).orElseThrow(() -> new AssertionError("batch " + batchId + " is not in the ledger"));
    }
}
