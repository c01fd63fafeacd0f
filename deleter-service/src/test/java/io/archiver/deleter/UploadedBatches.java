package io.archiver.deleter;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPOutputStream;

import jakarta.inject.Singleton;

import io.archiver.events.ArchiveMode;
import io.archiver.events.ArchiveObjectKey;
import io.archiver.events.ArchiveUploaded;
import io.archiver.events.BatchScope;
import io.archiver.events.KeyColumns;
import io.archiver.events.KeyValue;
import io.archiver.events.ShardCompression;
import io.archiver.ledger.BatchState;
import io.archiver.objectstore.ObjectStore;
import io.archiver.rows.CanonicalEncoding;
import io.archiver.rows.RowsDigest;
import io.archiver.rows.ShardCsvWriter;
import io.archiver.support.policy.ArchivePolicies;
import io.archiver.support.testing.RunTable;
import io.archiver.support.testing.TestLedger;
import io.archiver.table.CanonicalRow;
import io.archiver.table.EligibleRows;
import io.archiver.table.KeyColumnsReader;
import io.archiver.table.KeyRangePages;
import io.archiver.table.KeyRangeRows;
import io.archiver.table.KeysetPages;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * Batches as the deleter finds them: rows in the table, the batch UPLOADED in the ledger, and its object in S3 written as
 * the exporter writes it (the eligible rows' canonical values in the shard CSV format), announced by an ArchiveUploaded
 * whose figures are the object's own.
 */
@Singleton
public class UploadedBatches {

    private static final AtomicInteger RUNS = new AtomicInteger();

    /** A batch ready for the deleter. */
    public record Batch(ArchiveUploaded event, BatchScope scope) {
        public long firstId() {
            return scope.firstId();
        }

        public long lastId() {
            return scope.lastId();
        }
    }

    public final Pool pool;
    public final ObjectStore store;
    public final TestLedger ledger;
    public final RunTable table;
    private final ArchivePolicies policies;

    public UploadedBatches(Pool pool, ObjectStore store, ArchivePolicies policies) {
        this.pool = pool;
        this.store = store;
        this.policies = policies;
        this.ledger = new TestLedger(pool).create();
        this.table = new RunTable(pool);
    }

    /** {@code rows} old rows in a fresh id range, archived and announced. */
    public Batch uploaded(ArchiveMode mode, int rows, ShardCompression compression) {
        long first = RunTable.freshRange();
        table.insertRange(first, first + rows - 1, RunTable.OLD);
        return uploaded(scope(mode, first, first + rows - 1), compression);
    }

    public BatchScope scope(ArchiveMode mode, long firstId, long lastId) {
        return new BatchScope("run", "run", RunTable.CUTOFF, firstId, lastId, mode, LocalDate.now(ZoneOffset.UTC));
    }

    /** The batch of {@code scope} planned in the ledger, its eligible rows archived now, and the event that announces them. */
    public Batch uploaded(BatchScope scope, ShardCompression compression) {
        return uploaded(pool, policies.all().get("run"), scope, compression);
    }

    /** The same for a policy whose table is in the database of {@code tables} (another source's). */
    public Batch uploaded(Pool tables, ArchivePolicies.Policy policy, BatchScope scope, ShardCompression compression) {
        String runId = "run-" + System.currentTimeMillis() + "-" + RUNS.incrementAndGet();
        String batchId = runId + "-0001";
        ledger.run(runId, scope);
        ledger.batch(runId, batchId, 1, scope, scope.lastId() - scope.firstId() + 1, BatchState.UPLOADED);
        String key = ArchiveObjectKey.of(policy.keyPrefix(), runId, scope, compression);
        Shard shard = shard(tables, policy, scope, compression);
        put(key, shard.bytes());
        return new Batch(ArchiveUploaded.of(runId, batchId, scope, shard.rows(), shard.rowsDigest(), store.bucket(), key, shard.bytes().length,
                sha256(shard.bytes())), scope);
    }

    /** A shard's bytes and what they hold. */
    public record Shard(byte[] bytes, long rows, String rowsDigest) {
    }

    /** The eligible rows of {@code scope}, read from the table now, as the exporter writes them. */
    public Shard shard(BatchScope scope, ShardCompression compression) {
        return shard(pool, policies.all().get("run"), scope, compression);
    }

    private Shard shard(Pool tables, ArchivePolicies.Policy policy, BatchScope scope, ShardCompression compression) {
        RowsDigest digest = new RowsDigest();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        SqlConnection connection = tables.getConnection().await().atMost(Duration.ofSeconds(30));
        try (OutputStream out = compression == ShardCompression.GZIP ? new GZIPOutputStream(bytes) : bytes) {
            ShardCsvWriter csv = new ShardCsvWriter(out, digest);
            CanonicalEncoding encoding = new CanonicalEncoding();
            boolean[] first = { true };
            EligibleRows eligible = new EligibleRows(policy);
            KeysetPages.forEach(connection, eligible, false, scope.firstId(), scope.lastId(),
                    scope.cutoffEpochMs(), 100, Duration.ofSeconds(30), row -> {
                        try {
                            if (first[0]) {
                                csv.header(CanonicalRow.columns(row));
                                first[0] = false;
                            }
                            csv.row(CanonicalRow.encode(row, eligible.forms(), encoding));
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            connection.close().await().atMost(Duration.ofSeconds(30));
        }
        return new Shard(bytes.toByteArray(), digest.rows(), digest.hex());
    }

    /**
     * A batch of whole keys {@code first..last} of {@code policy}'s table (in {@code tables}: the control database's or a
     * source's), UPLOADED in the ledger with its keys' texts, its object (the range's eligible rows as the exporter writes them,
     * gzip) in S3, announced with the object's own figures.
     */
    public Batch uploadedKeys(Pool tables, String name, ArchivePolicies.Policy policy, KeyValue first, KeyValue last, ArchiveMode mode) {
        BatchScope scope = BatchScope.ofKeys(name, policy.table(), RunTable.CUTOFF, first, last, mode, LocalDate.now(ZoneOffset.UTC));
        String runId = "keys-" + System.nanoTime();
        String batchId = runId + "-0001";
        ledger.run(runId, scope);
        ledger.batch(runId, batchId, 1, scope, 0, BatchState.UPLOADED);
        pool.preparedQuery("UPDATE archive_batch SET first_key = ?, last_key = ? WHERE batch_id = ?")
                .execute(io.vertx.mutiny.sqlclient.Tuple.of(first.text(), last.text(), batchId)).await().atMost(Duration.ofSeconds(30));
        SqlConnection connection = tables.getConnection().await().atMost(Duration.ofSeconds(30));
        KeyColumns key;
        byte[] shard;
        RowsDigest digest = new RowsDigest();
        try {
            key = KeyColumnsReader.read(connection, policy.table(), policy.key(), Duration.ofSeconds(30));
            shard = keyRangeShard(connection, new KeyRangeRows(policy, key), scope, digest);
        } finally {
            connection.close().await().atMost(Duration.ofSeconds(30));
        }
        String objectKey = ArchiveObjectKey.of(policy.keyPrefix(), runId, scope, key, ShardCompression.GZIP);
        put(objectKey, shard);
        return new Batch(ArchiveUploaded.of(runId, batchId, scope, digest.rows(), digest.hex(), store.bucket(), objectKey, shard.length,
                sha256(shard)), scope);
    }

    /** The eligible rows of a range of whole keys as the exporter writes them (gzip), read on {@code connection}. */
    public static byte[] keyRangeShard(SqlConnection connection, KeyRangeRows sql, BatchScope scope, RowsDigest digest) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream out = new GZIPOutputStream(bytes)) {
            ShardCsvWriter csv = new ShardCsvWriter(out, digest);
            CanonicalEncoding encoding = new CanonicalEncoding();
            boolean[] header = { true };
            KeyRangePages.forEach(connection, sql, false, scope.first(), scope.last(), scope.cutoffEpochMs(), 4, Duration.ofSeconds(30), row -> {
                try {
                    if (header[0]) {
                        csv.header(CanonicalRow.columns(row));
                        header[0] = false;
                    }
                    csv.row(CanonicalRow.encode(row, sql.forms(), encoding));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    public void put(String key, byte[] bytes) {
        store.client().putObject(b -> b.bucket(store.bucket()).key(key), RequestBody.fromBytes(bytes));
    }

    /** The text of the object under {@code key}, or null when there is none. */
    public String sidecar(String key) {
        if (store.size(key).isEmpty()) {
            return null;
        }
        return new String(store.client().getObjectAsBytes(b -> b.bucket(store.bucket()).key(key)).asByteArray(),
                java.nio.charset.StandardCharsets.UTF_8);
    }

    public void deleteObject(String key) {
        store.client().deleteObject(b -> b.bucket(store.bucket()).key(key));
    }

    /** The event with other object figures (what a faulty or forged upload would announce). */
    public static ArchiveUploaded announcing(ArchiveUploaded e, String bucket, String key, long rows, String rowsDigest, long bytes,
            String sha256) {
        return new ArchiveUploaded(e.eventId(), e.runId(), e.batchId(), e.occurredAt(), e.schemaVersion(), e.scope(), rows, rowsDigest, bucket,
                key, bytes, sha256);
    }

    public long rows(Batch batch) {
        return table.count("run", batch.firstId(), batch.lastId());
    }

    public long archivedRows(Batch batch) {
        return table.count("run_archive", batch.firstId(), batch.lastId());
    }

    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static List<Long> ids(long first, long last) {
        return java.util.stream.LongStream.rangeClosed(first, last).boxed().toList();
    }
}
