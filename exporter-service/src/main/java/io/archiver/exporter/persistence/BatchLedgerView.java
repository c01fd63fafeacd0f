package io.archiver.exporter.persistence;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.archiver.exporter.domain.ExportConfig;
import io.archiver.ledger.LedgerBatch;
import io.archiver.ledger.LedgerBatches;
import io.vertx.mutiny.sqlclient.Pool;

/** Read-only view of the ledger: is a batch known, with which range, and how far has it got? */
@ApplicationScoped
public class BatchLedgerView {

    private final Pool pool;
    private final ExportConfig config;

    public BatchLedgerView(Pool pool, ExportConfig config) {
        this.pool = pool;
        this.config = config;
    }

    /** The batch as committed now. */
    public Optional<LedgerBatch> find(String batchId) {
        return LedgerBatches.find(pool, batchId, config.dbTimeout());
    }
}
