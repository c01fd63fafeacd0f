package io.archiver.deleter.domain;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.archiver.events.BatchScope;
import io.archiver.ledger.SourceHolds;
import io.archiver.ledger.SourceHolds.HeldRange;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * Whether a hold in force keeps some key of a batch in the source table (a key-range hold placed with
 * {@code --keep-in-source}, docs/archive.md#holds). Read from the control database on every batch, not from the event: the
 * deleter trusts no event, and a hold placed after the batch was planned binds it too.
 */
@ApplicationScoped
public class HeldRanges {

    private final Pool control;
    private final DeleteConfig config;

    public HeldRanges(Pool control, DeleteConfig config) {
        this.control = control;
        this.config = config;
    }

    /**
     * The hold's refusal when one in force holds a key of {@code scope}'s range, else empty. A range of whole keys (a key that is
     * not one integer column) is never held: a key-range hold names integer keys.
     */
    public Optional<RemovalOutcome.Refused> refusal(BatchScope scope) {
        if (scope.byKeys()) {
            return Optional.empty();
        }
        return SourceHolds.live(control, scope.policy(), System.currentTimeMillis()).await().atMost(config.dbTimeout()).stream()
                .filter(range -> range.overlaps(scope.firstId(), scope.lastId())).findFirst()
                .map(range -> new RemovalOutcome.Refused(RemovalReason.HELD_IN_SOURCE, describe(range, scope)));
    }

    private static String describe(HeldRange range, BatchScope scope) {
        return "hold " + range.holdId() + " keeps keys " + range.first() + ".." + range.last() + " of policy " + scope.policy()
                + " in the source table; nothing of " + scope.firstId() + ".." + scope.lastId() + " removed, a run after its release"
                + " archives them";
    }
}
