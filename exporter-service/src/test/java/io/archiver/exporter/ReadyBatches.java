package io.archiver.exporter;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPInputStream;

import jakarta.inject.Singleton;

import io.archiver.events.ArchiveBatchReady;
import io.archiver.events.ArchiveMode;
import io.archiver.events.BatchScope;
import io.archiver.ledger.BatchState;
import io.archiver.rows.CanonicalEncoding;
import io.archiver.rows.ShardCsvReader;
import io.archiver.support.testing.RunTable;
import io.archiver.support.testing.TestLedger;
import io.vertx.mutiny.sqlclient.Pool;

/** Batches as the exporter finds them: rows in the table, the batch PLANNED in the ledger, announced by an ArchiveBatchReady. */
@Singleton
public class ReadyBatches {

    private static final AtomicInteger RUNS = new AtomicInteger();

    private final TestLedger ledger;
    private final RunTable table;

    public ReadyBatches(Pool pool) {
        this.ledger = new TestLedger(pool).create();
        this.table = new RunTable(pool);
    }

    public TestLedger ledger() {
        return ledger;
    }

    public RunTable table() {
        return table;
    }

    /** {@code oldRows} old rows then {@code youngRows} rows after the cutoff, all in the batch's range. */
    public ArchiveBatchReady ready(int oldRows, int youngRows) {
        long first = RunTable.freshRange();
        if (oldRows > 0) {
            table.insertRange(first, first + oldRows - 1, RunTable.OLD);
        }
        if (youngRows > 0) {
            table.insertRange(first + oldRows, first + oldRows + youngRows - 1, System.currentTimeMillis());
        }
        return planned(new BatchScope("run", "run", RunTable.CUTOFF, first, first + Math.max(0, oldRows + youngRows - 1), ArchiveMode.DELETE,
                LocalDate.now(ZoneOffset.UTC)));
    }

    /** The batch of {@code scope} planned in the ledger, and the event that announces it. */
    public ArchiveBatchReady planned(BatchScope scope) {
        String runId = "run-" + System.currentTimeMillis() + "-" + RUNS.incrementAndGet();
        String batchId = runId + "-0001";
        ledger.run(runId, scope);
        ledger.batch(runId, batchId, 1, scope, scope.lastId() - scope.firstId() + 1, BatchState.PLANNED);
        return ArchiveBatchReady.of(runId, batchId, scope, scope.lastId() - scope.firstId() + 1);
    }

    /** The ids of the rows a gzip shard holds, in order, read back with the deleter's reader. */
    public static List<Long> ids(Path shard) throws IOException {
        List<Long> ids = new ArrayList<>();
        try (InputStream in = new GZIPInputStream(Files.newInputStream(shard))) {
            ShardCsvReader.read(in, new ShardCsvReader.Rows() {
                @Override
                public void header(List<String> names) {
                }

                @Override
                public void row(long recordNumber, CanonicalEncoding row) {
                    ids.add(row.longValue(0));
                }
            });
        }
        return ids;
    }
}
