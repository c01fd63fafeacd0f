package io.archiver.operations.purge;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.archiver.events.ArchiveMode;
import io.archiver.objectstore.ObjectStore;
import io.archiver.operations.OperationFailed;
import io.archiver.operations.OperationRefused;
import io.archiver.operations.holds.Hold;
import io.archiver.operations.holds.HoldScope;
import io.archiver.operations.holds.HoldStore;
import io.archiver.operations.sources.SourceOperations;
import io.archiver.policy.PolicySpec;
import io.archiver.policy.PolicyStore;
import io.archiver.policy.SourceSpec;
import io.archiver.policy.SourceStore;
import io.archiver.policy.StoredSource;
import io.archiver.policy.StoredPolicy;

/**
 * Disposes of archived data once its retention is over, never while a legal hold covers it (promise 8): per policy, the MOVE
 * table's rows past {@code archive-table-retention} ({@link RowPurge}) and the bucket's objects past {@code object-retention}
 * ({@link ObjectPurge}), each removal audited (promise 9). A dry run counts and lists the same, changing nothing. The one
 * place purge is decided: archivectl's {@code purge} (run by a CronJob) and the API call it.
 */
public final class Purger {

    /** Rows removed per transaction: short, so that row locks are held briefly and replicas keep up. */
    public static final int DEFAULT_BATCH_ROWS = 1_000;

    private final Connection control;
    private final ObjectStore store;
    private final Clock clock;
    private final String actor;
    private final int batchRows;
    private final SourceOperations.Connector sources;

    /** {@code store} may be null: the archive tables alone are purged, and the report says the objects were not looked at. */
    public Purger(Connection control, ObjectStore store, Clock clock, String actor, int batchRows) {
        this(control, store, clock, actor, batchRows, null);
    }

    /**
     * {@code sources} connects to another source's database, for the archive tables there, with the right to delete (null:
     * those tables are skipped, saying so).
     */
    public Purger(Connection control, ObjectStore store, Clock clock, String actor, int batchRows, SourceOperations.Connector sources) {
        if (batchRows < 1) {
            throw new OperationRefused("batch-rows", "must be at least 1, not " + batchRows);
        }
        this.control = control;
        this.store = store;
        this.clock = clock;
        this.actor = actor;
        this.batchRows = batchRows;
        this.sources = sources;
    }

    /** Purges what is due of one policy ({@code policy}) or of every policy (null). */
    public PurgeReport purge(String policy, boolean dryRun) {
        Instant now = clock.instant();
        PolicyStore policies = new PolicyStore(control);
        List<StoredPolicy> chosen = policy == null ? policies.list()
                : List.of(policies.find(policy).orElseThrow(() -> new OperationRefused("policy", "no policy named '" + policy
                        + "'; see archivectl policy list")));
        List<PurgeReport.PolicyPurge> done = new ArrayList<>();
        for (StoredPolicy stored : chosen) {
            PolicySpec spec = stored.spec();
            try {
                List<Hold> holds = new HoldStore(control).active(spec.name(), now);
                done.add(new PurgeReport.PolicyPurge(spec.name(), rows(spec, now, holds, dryRun), objects(spec, now, holds, dryRun)));
            } catch (SQLException e) {
                throw new OperationFailed("cannot purge policy " + spec.name() + ": " + e.getMessage(), e);
            }
        }
        return new PurgeReport(now, dryRun, done);
    }

    private PurgeReport.Rows rows(PolicySpec spec, Instant now, List<Hold> holds, boolean dryRun) throws SQLException {
        if (spec.mode() != ArchiveMode.MOVE) {
            return PurgeReport.Rows.skipped(null, "not a MOVE policy: no archive table");
        }
        if (spec.archiveTableRetention() == null) {
            return PurgeReport.Rows.skipped(spec.archiveTable(), "no archive-table-retention: rows are kept");
        }
        List<HoldStore.KeyRange> held = new ArrayList<>();
        HoldStore store = new HoldStore(control);
        for (Hold hold : holds) {
            if (hold.scope() == HoldScope.POLICY) {
                held = null;
                break;
            }
            held.addAll(store.keyRanges(hold));
        }
        if (SourceSpec.CONTROL.equals(spec.source())) {
            return new RowPurge(control, control, actor, batchRows).purge(spec, now, held, dryRun);
        }
        if (sources == null) {
            return PurgeReport.Rows.skipped(spec.archiveTable(), "the archive table is in source " + spec.source()
                    + ", and this purge was given no connection to sources");
        }
        Optional<StoredSource> source = new SourceStore(control).find(spec.source());
        if (source.isEmpty() || !source.get().spec().enabled()) {
            return PurgeReport.Rows.skipped(spec.archiveTable(), "source " + spec.source() + " is " + (source.isEmpty() ? "not in the control"
                    + " database" : "disabled") + ": its archive table is left as it is (archivectl source list)");
        }
        try (Connection tables = sources.connect(source.get().spec())) {
            return new RowPurge(tables, control, actor, batchRows).purge(spec, now, held, dryRun);
        }
    }

    private PurgeReport.Objects objects(PolicySpec spec, Instant now, List<Hold> holds, boolean dryRun) throws SQLException {
        if (store == null) {
            return PurgeReport.Objects.skipped("no bucket given: objects not looked at");
        }
        return new ObjectPurge(control, store, actor).purge(spec, now, holds, dryRun);
    }
}
