package io.archiver.deleter.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.archiver.deleter.DeleterTestProfile;
import io.archiver.deleter.DeleterTestProfile.WithReplicaStandIn;
import io.archiver.deleter.UploadedBatches;
import io.archiver.deleter.UploadedBatches.Batch;
import io.archiver.deleter.domain.RemovalOutcome.Refused;
import io.archiver.deleter.domain.RemovalOutcome.Removed;
import io.archiver.deleter.persistence.DatabaseHealth;
import io.archiver.events.ArchiveMode;
import io.archiver.events.ShardCompression;
import io.archiver.ledger.ThrottlePauseOutcome;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Protects the primary: the deleter pauses before a chunk while a replica lags above its limit and resumes when the lag
 * drops. The replica is a stand-in the test controls (the test database, its lag read from a heartbeat table the test
 * writes, pt-heartbeat style; {@link WithReplicaStandIn}). The primary's own probes read real figures from the server.
 */
@QuarkusTest
@TestProfile(DeleterTestProfile.WithReplicaStandIn.class)
class HealthThrottleTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String HEARTBEAT = WithReplicaStandIn.HEARTBEAT;

    @Inject
    BatchRemoval removal;

    @Inject
    UploadedBatches batches;

    @Inject
    DatabaseHealth health;

    @Inject
    MeterRegistry registry;

    @Inject
    HealthThrottle throttle;

    @Inject
    DeleteConfig config;

    /** The stand-in is behind, and the healthy reading the throttle trusts for a check interval (from an earlier batch) has run out. */
    private void lagSeenAfterTheTrustedReadingExpired(int seconds) {
        beatSecondsAgo(seconds);
        await().pollDelay(config.throttle().checkInterval().multipliedBy(2)).atMost(WAIT).until(() -> !throttle.breaches().isEmpty());
    }

    @BeforeEach
    void heartbeat() {
        sql("CREATE TABLE IF NOT EXISTS " + HEARTBEAT + " (id INT PRIMARY KEY, ts DATETIME(6) NOT NULL)");
        beatSecondsAgo(0);
    }

    @Test
    void replicaLagAboveItsLimit_theDeleterPausesBeforeTheChunk_andResumesWhenTheLagDrops() {
        Batch batch = batches.uploaded(ArchiveMode.DELETE, 25, ShardCompression.NONE);
        double pausesBefore = pauses();
        lagSeenAfterTheTrustedReadingExpired(60); // the stand-in replica is a minute behind; the limit is 5 s

        CompletableFuture<RemovalOutcome> outcome = CompletableFuture.supplyAsync(() -> removal.remove(batch.event()));

        await().atMost(WAIT).until(() -> pauses() > pausesBefore);
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3))
                .until(() -> !outcome.isDone() && batches.rows(batch) == 25);
        beatSecondsAgo(0);

        RemovalOutcome removed = outcome.orTimeout(WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS).join();
        assertThat(removed).isEqualTo(new Removed(RemovalOutcome.BatchEnd.allRemoved(25)));
        assertThat(batches.rows(batch)).isZero();
        assertThat(registry.timer("archiver.delete.throttle.paused", "reason", HealthThrottle.REPLICA_LAG).count()).isPositive();
        // the run's progress shows the pause: kept in the ledger with its reason, how it ended and how long it lasted
        assertThat(pausesRecorded(batch)).singleElement().satisfies(p -> {
            assertThat(p.getString("reason")).isEqualTo("REPLICA_LAG:standin");
            assertThat(p.getString("outcome")).isEqualTo(ThrottlePauseOutcome.RESUMED.name());
            assertThat(p.getString("detail")).contains("above limit 5");
            assertThat(p.getLong("paused_ms")).as("paused at least the second the test held the lag").isGreaterThanOrEqualTo(1_000L);
        });
    }

    @Test
    void replicaLagStaysAboveItsLimitPastTheMaxPause_theBatchFailsDatabaseUnhealthy_andItsRowsStay() {
        Batch batch = batches.uploaded(ArchiveMode.DELETE, 25, ShardCompression.NONE);
        try {
            lagSeenAfterTheTrustedReadingExpired(60);
            RemovalOutcome outcome = CompletableFuture.supplyAsync(() -> removal.remove(batch.event()))
                    .orTimeout(WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS).join();
            assertThat(outcome).isInstanceOfSatisfying(Refused.class, r -> {
                assertThat(r.reason()).isEqualTo(RemovalReason.DATABASE_UNHEALTHY);
                assertThat(r.detail()).contains("REPLICA_LAG:standin").contains("above limit 5");
            });
            assertThat(batches.rows(batch)).isEqualTo(25);
            assertThat(pausesRecorded(batch)).singleElement().satisfies(p -> {
                assertThat(p.getString("outcome")).isEqualTo(ThrottlePauseOutcome.GAVE_UP.name());
                assertThat(p.getLong("paused_ms")).isGreaterThanOrEqualTo(config.throttle().maxPause().toMillis());
            });
        } finally {
            beatSecondsAgo(0);
        }
    }

    @Test
    void thePrimarysProbesReadRealFigures_historyLengthGrowsWhileASnapshotHoldsPurgeBack() {
        assertThat(health.threadsRunning()).as("this read itself runs").isGreaterThanOrEqualTo(1);
        sql("CREATE TABLE IF NOT EXISTS history_probe (id INT PRIMARY KEY, n INT NOT NULL)");
        sql("REPLACE INTO history_probe VALUES (1, 0)");
        SqlConnection snapshot = batches.pool.getConnection().await().atMost(WAIT);
        try {
            // an open consistent snapshot keeps every later update's undo log in the history list
            snapshot.query("START TRANSACTION WITH CONSISTENT SNAPSHOT").execute().await().atMost(WAIT);
            snapshot.query("SELECT n FROM history_probe").execute().await().atMost(WAIT);
            for (int i = 1; i <= 50; i++) {
                sql("UPDATE history_probe SET n = " + i + " WHERE id = 1"); // each its own committed transaction
            }
            assertThat(health.historyLength()).isGreaterThanOrEqualTo(50);
        } finally {
            snapshot.query("ROLLBACK").execute().await().atMost(WAIT);
            snapshot.close().await().atMost(WAIT);
        }
    }

    private java.util.List<Row> pausesRecorded(Batch batch) {
        java.util.List<Row> rows = new java.util.ArrayList<>();
        batches.pool.preparedQuery("SELECT reason, detail, outcome, paused_ms FROM archive_throttle_pause WHERE run_id = ? AND batch_id = ?")
                .execute(Tuple.of(batch.event().runId(), batch.event().batchId())).await().atMost(WAIT).forEach(rows::add);
        return rows;
    }

    private double pauses() {
        return registry.counter("archiver.delete.throttle.pauses", "reason", HealthThrottle.REPLICA_LAG).count();
    }

    private void beatSecondsAgo(int seconds) {
        sql("REPLACE INTO " + HEARTBEAT + " VALUES (1, NOW(6) - INTERVAL " + seconds + " SECOND)");
    }

    private void sql(String statement) {
        batches.pool.query(statement).execute().await().atMost(WAIT);
    }
}
