package io.archiver.scanner.domain;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import io.archiver.scanner.domain.RangePlanner.PlannedRange;
import io.archiver.scanner.persistence.RunLedger;
import io.smallrye.mutiny.Uni;

/**
 * Records a run's ranges in the ledger in plan order while the plan goes on ({@link RangePlanner#walk}): the first range at once, then
 * up to {@link #MOST_PER_STATEMENT} per statement, each insert after the one before it, so that the ledger always holds a prefix
 * of the plan (a redelivered request resumes after its last batch). A dry run's recorder counts and records nothing.
 */
final class PlanRecorder {

    /** Ranges per multi-row insert: 10 values each, far below the server's 65,535 placeholders, one round trip per 1M rows of 10k. */
    static final int MOST_PER_STATEMENT = 100;

    private final RunLedger ledger;
    private final String runId;
    private final boolean record;
    private final List<PlannedRange> pending = new ArrayList<>();
    private CompletionStage<Void> recorded = CompletableFuture.completedFuture(null);
    private int nextSeq;
    private boolean first = true;

    PlanRecorder(RunLedger ledger, String runId, int firstSeq, boolean record) {
        this.ledger = ledger;
        this.runId = runId;
        this.nextSeq = firstSeq;
        this.record = record;
    }

    /** A range cut by the scan (on the scan's event loop): recorded with the next statement. */
    synchronized void add(PlannedRange range) {
        if (!record) {
            return;
        }
        pending.add(range);
        // the first range alone, so that it is durable (and could be published) as soon as it is cut
        if (first || pending.size() >= MOST_PER_STATEMENT) {
            first = false;
            flush();
        }
    }

    private void flush() {
        if (pending.isEmpty()) {
            return;
        }
        List<PlannedRange> ranges = List.copyOf(pending);
        pending.clear();
        int seq = nextSeq;
        nextSeq += ranges.size();
        recorded = recorded.thenCompose(done -> ledger.addBatches(runId, seq, ranges).subscribeAsCompletionStage());
    }

    /** After the scan: the rest recorded, and every insert done (or the first failure). */
    Uni<Void> finish() {
        synchronized (this) {
            flush();
        }
        return Uni.createFrom().completionStage(recorded);
    }
}
