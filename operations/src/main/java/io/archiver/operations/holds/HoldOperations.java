package io.archiver.operations.holds;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.archiver.objectstore.ObjectStore;
import io.archiver.operations.NotFound;
import io.archiver.operations.OperationFailed;
import io.archiver.operations.OperationRefused;
import io.archiver.operations.Transactions;
import io.archiver.operations.audit.AuditTrail;
import io.archiver.policy.PolicyStore;
import io.archiver.policy.StoredPolicy;

/**
 * Legal holds, as archivectl's {@code hold} commands (and the API) place, release and list them. The hold and its audit row
 * are written in one transaction of the control database; then the S3 Object Lock legal hold is set on each object the hold
 * covers, where the bucket has Object Lock (on release: cleared, unless another hold in force still covers the object). The
 * ledger's hold is what purge honours; a failure on the S3 side is reported and changes nothing in the ledger.
 */
public final class HoldOperations {

    /** A hold placed or released, and what was done in the bucket. */
    public record Outcome(Hold hold, List<String> legalHoldsSet, List<String> legalHoldsKept, String bucketNote) {
    }

    private final Connection control;
    private final ObjectStore store;
    private final Clock clock;

    /** {@code store} may be null: the ledger's hold alone (no bucket reachable, say). */
    public HoldOperations(Connection control, ObjectStore store, Clock clock) {
        this.control = control;
        this.store = store;
        this.clock = clock;
    }

    public Outcome place(HoldOrder order) {
        Instant now = clock.instant();
        order.check(now);
        StoredPolicy policy = policy(order.policy());
        Hold hold = Transactions.inTransaction(control, "place the hold", () -> {
            Hold placed = new HoldStore(control).insert(order, now);
            new AuditTrail(control).append(new AuditTrail.Entry(now.toEpochMilli(), order.actor(), AuditTrail.HOLD_PLACED, placed.policy(),
                    policy.spec().archiveTable(), placed.runId(), 0, placed.objectKey() == null ? List.of() : List.of(placed.objectKey()), null,
                    "hold " + placed.id() + " on " + placed.what() + (placed.until() == null ? "" : " until " + placed.until()) + ": "
                            + placed.reason()));
            return placed;
        });
        if (store == null) {
            return new Outcome(hold, List.of(), List.of(), "no bucket given: the hold is in the ledger only");
        }
        LegalHolds legal = new LegalHolds(store);
        if (!legal.supported()) {
            return new Outcome(hold, List.of(), List.of(), "the bucket has no Object Lock: the hold is in the ledger only (purge honours it)");
        }
        List<String> set = new ArrayList<>();
        for (LegalHolds.Covered covered : legal.covered(prefix(policy), List.of(hold))) {
            for (String key : covered.keys()) {
                legal.set(key, true);
                set.add(key);
            }
        }
        return new Outcome(hold, set, List.of(), "S3 Object Lock legal hold ON on " + set.size() + " object(s)");
    }

    public Outcome release(long id, String actor) {
        if (actor == null || actor.isBlank()) {
            throw new OperationRefused("actor", "a release names who releases the hold");
        }
        Instant now = clock.instant();
        Hold released = Transactions.inTransaction(control, "release hold " + id, () -> {
            HoldStore holds = new HoldStore(control);
            Hold hold = holds.find(id, true).orElseThrow(() -> new NotFound("no hold " + id + "; see archivectl hold list"));
            if (!holds.release(id, actor, now)) {
                throw new OperationRefused("id", "hold " + id + " was already released by " + hold.releasedBy() + " at " + hold.releasedAt());
            }
            new AuditTrail(control).append(new AuditTrail.Entry(now.toEpochMilli(), actor, AuditTrail.HOLD_RELEASED, hold.policy(), null,
                    hold.runId(), 0, hold.objectKey() == null ? List.of() : List.of(hold.objectKey()), null,
                    "hold " + hold.id() + " on " + hold.what() + " released (placed by " + hold.placedBy() + ": " + hold.reason() + ")"));
            return holds.find(id, false).orElseThrow();
        });
        if (store == null) {
            return new Outcome(released, List.of(), List.of(), "no bucket given: released in the ledger only");
        }
        LegalHolds legal = new LegalHolds(store);
        if (!legal.supported()) {
            return new Outcome(released, List.of(), List.of(), "the bucket has no Object Lock: released in the ledger only");
        }
        StoredPolicy policy = policy(released.policy());
        List<Hold> others;
        try {
            others = new HoldStore(control).active(released.policy(), now);
        } catch (SQLException e) {
            throw new OperationFailed("cannot read the holds in force: " + e.getMessage(), e);
        }
        List<String> cleared = new ArrayList<>();
        List<String> kept = new ArrayList<>();
        for (LegalHolds.Covered covered : legal.covered(prefix(policy), List.of(released))) {
            boolean stillHeld = others.stream().anyMatch(h -> h.covers(covered.manifest(), covered.entry()));
            for (String key : covered.keys()) {
                if (stillHeld) {
                    kept.add(key);
                } else {
                    legal.set(key, false);
                    cleared.add(key);
                }
            }
        }
        return new Outcome(released, cleared, kept, "S3 Object Lock legal hold OFF on " + cleared.size() + " object(s), kept ON on "
                + kept.size() + " another hold covers");
    }

    /** Every hold (of one policy, or all), oldest first; {@code all} includes released and ended ones. */
    public List<Hold> list(String policy, boolean all) {
        try {
            Instant now = clock.instant();
            return new HoldStore(control).list(policy).stream().filter(h -> all || h.activeAt(now)).toList();
        } catch (SQLException e) {
            throw new OperationFailed("cannot read the holds (archive_hold; is the ledger migrated to V15?): " + e.getMessage(), e);
        }
    }

    private StoredPolicy policy(String name) {
        return new PolicyStore(control).find(name).orElseThrow(() -> new OperationRefused("policy", "no policy named '" + name
                + "'; see archivectl policy list"));
    }

    static String prefix(StoredPolicy policy) {
        return policy.spec().prefix() + "/";
    }
}
