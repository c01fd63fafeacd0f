package io.archiver.cdc;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.archiver.deleter.domain.DeleteConfig;
import io.archiver.deleter.persistence.BatchDeletion;
import io.archiver.deleter.persistence.BatchDeletion.Chunk;
import io.archiver.events.ArchiveMode;
import io.archiver.events.BatchScope;
import io.archiver.events.RowCounts;
import io.archiver.ledger.BatchState;
import io.archiver.localstack.LocalStack;
import io.archiver.localstack.mysql.MySqlServer;
import io.archiver.localstack.process.StackLayout;
import io.archiver.support.policy.ArchivePolicies;
import io.archiver.support.policy.PolicySettings;
import io.archiver.support.testing.RunTable;
import io.archiver.support.testing.TestLedger;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mysqlclient.MySQLBuilder;
import io.vertx.mysqlclient.MySQLConnectOptions;
import io.vertx.sqlclient.PoolOptions;

/**
 * A CDC consumer tells archival deletes apart: on an embedded MariaDB with binary logging in ROW format, the deleter's own
 * transactions ({@link BatchDeletion}: one {@code archiver_cdc_marker} row, then the chunk's deletes, in one commit) remove
 * two batches (one in DELETE mode, one in MOVE mode), while a "business" delete removes an old row of the same table
 * outside them. The binlog is read back ({@link BinlogChanges}) and every change goes through {@link ArchivalDeleteFilter}:
 * every archival delete is recognised, the business delete is not.
 */
class ArchivalDeletesInTheBinlogTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final int CHUNK = 10;

    private static MySqlServer mysql;
    private static Path dataDir;
    private static Vertx vertx;
    private static Pool pool;

    @BeforeAll
    static void start() {
        Path workDir = Path.of("target", "cdc-check").toAbsolutePath();
        LocalStack.deleteRecursively(workDir);
        mysql = new MySqlServer(StackLayout.locate(workDir), workDir.resolve("mysql"), "archiver_cdc").mode("embedded")
                .serverArgs("--log-bin=cdc-bin", "--binlog-format=ROW", "--binlog-row-image=FULL", "--server-id=1");
        mysql.start(0, 0);
        dataDir = workDir.resolve("mysql").resolve("mariadb-data");
        vertx = Vertx.vertx();
        pool = Pool.newInstance(MySQLBuilder.pool().with(new PoolOptions().setMaxSize(4))
                .connectingTo(new MySQLConnectOptions().setHost(mysql.host()).setPort(mysql.port()).setDatabase(mysql.database())
                        .setUser(mysql.user()).setPassword(mysql.password()))
                .using(vertx.getDelegate()).build());
    }

    @AfterAll
    static void stop() {
        if (pool != null) {
            pool.close().await().atMost(WAIT);
            vertx.close().await().atMost(WAIT);
        }
        if (mysql != null) {
            mysql.close();
        }
    }

    @Test
    void everyArchivalDeleteIsRecognisedAsArchival_theBusinessDeleteIsNot() throws Exception {
        TestLedger ledger = new TestLedger(pool).create();
        RunTable table = new RunTable(pool);
        SmallRyeConfig config = new SmallRyeConfigBuilder().withMapping(DeleteConfig.class)
                .withDefaultValues(Map.of("archiver.delete.chunk-rows", String.valueOf(CHUNK))).build();
        BatchDeletion deletion = new BatchDeletion(pool, new io.archiver.support.source.SourcePools(pool, vertx, java.time.Duration.ofSeconds(10), System::getenv),
                config.getConfigMapping(DeleteConfig.class));
        ArchivePolicies.Policy policy = PolicySettings.defaults("run"); // the run policy as the control database holds it

        BinlogChanges binlog = BinlogChanges.start(mysql, dataDir, pool);
        long deleteFirst = RunTable.freshRange();
        table.insertRange(deleteFirst, deleteFirst + 2 * CHUNK + 4, RunTable.OLD);
        long moveFirst = RunTable.freshRange();
        table.insertRange(moveFirst, moveFirst + CHUNK + 2, RunTable.OLD);
        long business = RunTable.freshRange();
        table.insertRange(business, business + 2, RunTable.OLD);

        List<Long> archived = new ArrayList<>();
        archived.addAll(archive(ledger, deletion, policy, ArchiveMode.DELETE, deleteFirst, deleteFirst + 2 * CHUNK + 4));
        // a business delete of an old (eligible) row, between two archival batches, and one inside a transaction of its own
        // that also writes another table: neither carries a marker
        pool.query("DELETE FROM run WHERE id = " + (business + 1)).execute().await().atMost(WAIT);
        archived.addAll(archive(ledger, deletion, policy, ArchiveMode.MOVE, moveFirst, moveFirst + CHUNK + 2));
        pool.withTransaction(c -> c.query("UPDATE run SET subject = 'business' WHERE id = " + business).execute()
                .chain(() -> c.query("DELETE FROM run WHERE id = " + (business + 2)).execute())).await().atMost(WAIT);

        List<ArchivalDeleteFilter.Change> changes = binlog.readUntil(business + 2);
        ArchivalDeleteFilter filter = new ArchivalDeleteFilter();
        List<Long> recognised = new ArrayList<>();
        List<Long> passed = new ArrayList<>();
        for (ArchivalDeleteFilter.Change change : changes) {
            boolean archival = filter.archival(change);
            if (change.table().equals("run") && change.op().equals("d")) {
                (archival ? recognised : passed).add(change.id());
            }
        }
        System.out.printf("cdc-check (%s): %d changes read, %d archival deletes recognised of %d, business deletes passed: %s%n",
                binlog.reader(), changes.size(), recognised.size(), archived.size(), passed);
        assertThat(archived).hasSize(2 * CHUNK + 5 + CHUNK + 3);
        assertThat(recognised).containsExactlyInAnyOrderElementsOf(archived);
        assertThat(passed).containsExactly(business + 1, business + 2);
    }

    /** Removes {@code first..last} as the deleter does: chunk by chunk, each a marker and its deletes in one commit. */
    private List<Long> archive(TestLedger ledger, BatchDeletion deletion, ArchivePolicies.Policy policy, ArchiveMode mode, long first,
            long last) {
        BatchScope scope = new BatchScope("run", "run", RunTable.CUTOFF, first, last, mode, LocalDate.now(ZoneOffset.UTC));
        String runId = "cdc-" + mode + "-" + first;
        String batchId = runId + "-0001";
        ledger.run(runId, scope);
        ledger.batch(runId, batchId, 1, scope, last - first + 1, BatchState.UPLOADED);
        List<Long> removed = new ArrayList<>();
        try (BatchDeletion.Session session = deletion.open(policy, scope)) {
            long after = first - 1;
            for (int transaction = 1; after < last; transaction++) {
                long through = Math.min(last, after + CHUNK);
                try (Chunk chunk = session.begin(batchId, runId)) {
                    var rows = chunk.lockRows(after, through, (int) (through - after));
                    chunk.markArchival(runId, transaction);
                    long[] keys = new long[rows.size()];
                    for (int i = 0; i < rows.size(); i++) {
                        keys[i] = rows.id(i);
                    }
                    if (mode == ArchiveMode.MOVE) {
                        assertThat(chunk.copyToArchive(keys, after, through)).isEqualTo(rows.size());
                    }
                    assertThat(chunk.delete(keys, after, through)).isEqualTo(rows.size());
                    for (long key : keys) {
                        removed.add(key);
                    }
                    chunk.recordProgress(new RowCounts(removed.size(), 0, 0, 0, 0), through);
                    chunk.commit();
                }
                after = through;
            }
        }
        return removed;
    }
}
