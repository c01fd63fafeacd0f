package io.archiver.deleter.persistence;

import java.util.Arrays;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.archiver.deleter.domain.DeleteConfig;
import io.archiver.ledger.LedgerSql;
import io.archiver.ledger.ThrottlePauseOutcome;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Keeps each ended pause of the health throttle in the ledger ({@code archive_throttle_pause}), so a run's progress
 * ({@code archivectl status}) says how long it waited for the database and why. Observability only: a failed write is
 * logged and the batch goes on, since its rows and state never depend on it.
 */
@ApplicationScoped
public class ThrottlePauses {

    private static final Logger LOG = Logger.getLogger(ThrottlePauses.class);
    private static final int DETAIL_MAX = 1000;

    private final Pool pool;
    private final DeleteConfig config;

    public ThrottlePauses(Pool pool, DeleteConfig config) {
        this.pool = pool;
        this.config = config;
    }

    public void record(String runId, String batchId, String reason, String detail, ThrottlePauseOutcome outcome, long beganAtMs,
            long pausedMs) {
        String bounded = detail.length() > DETAIL_MAX ? detail.substring(0, DETAIL_MAX) : detail;
        try {
            pool.preparedQuery(LedgerSql.RECORD_THROTTLE_PAUSE)
                    .execute(Tuple.tuple(Arrays.asList(runId, batchId, reason, bounded, outcome.name(), beganAtMs, pausedMs)))
                    .await().atMost(config.dbTimeout());
        } catch (RuntimeException e) {
            LOG.warnf("throttle pause not recorded runId=%s batchId=%s reason=%s: %s", runId, batchId, reason, e.getMessage());
        }
    }
}
