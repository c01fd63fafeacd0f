package io.archiver.deleter.domain;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.archiver.deleter.DeleterTestProfile;
import io.archiver.deleter.UploadedBatches;
import io.archiver.deleter.UploadedBatches.Batch;
import io.archiver.deleter.domain.RemovalOutcome.Refused;
import io.archiver.deleter.domain.RemovalOutcome.Removed;
import io.archiver.events.ArchiveMode;
import io.archiver.events.ShardCompression;
import io.archiver.ledger.BatchState;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * A hold that keeps a key range in the source table (docs/archive.md#holds), on the real MariaDB and S3 server: a verified,
 * announced batch that meets the range is not removed, whatever its event says; once the hold is released, or for a hold
 * on the archived data only, or one past its end, the batch is removed as any other.
 */
@QuarkusTest
@TestProfile(DeleterTestProfile.class)
class HeldRangesTest {

    @Inject
    BatchRemoval removal;

    @Inject
    UploadedBatches batches;

    @Inject
    HeldRanges held;

    @Test
    void aBatchMeetingAKeptRangeStaysInTheTableUntilTheHoldIsReleased() {
        Batch batch = batches.uploaded(ArchiveMode.DELETE, 20, ShardCompression.GZIP);
        long hold = hold(batch.scope().policy(), batch.lastId(), batch.lastId() + 1000, true, null);
        // holds that do not keep this range: one on the archive only, one past its end, one of another policy, one before it
        hold(batch.scope().policy(), batch.firstId(), batch.lastId(), false, null);
        hold(batch.scope().policy(), batch.firstId(), batch.lastId(), true, System.currentTimeMillis() - 1);
        hold("other", batch.firstId(), batch.lastId(), true, null);
        hold(batch.scope().policy(), batch.firstId() - 100, batch.firstId() - 1, true, null);

        RemovalOutcome outcome = removal.remove(batch.event());

        assertThat(outcome).isInstanceOfSatisfying(Refused.class, refused -> {
            assertThat(refused.reason()).isEqualTo(RemovalReason.HELD_IN_SOURCE);
            assertThat(refused.detail()).contains("hold " + hold + " keeps keys " + batch.lastId() + ".." + (batch.lastId() + 1000));
        });
        assertThat(batches.rows(batch)).as("every row stays").isEqualTo(20);
        assertThat(batches.ledger.get(batch.event().batchId()).state()).isNotEqualTo(BatchState.DELETED);

        batches.pool.preparedQuery("UPDATE archive_hold SET released_at_ms = ?, released_by = 'test' WHERE id = ?")
                .execute(Tuple.of(System.currentTimeMillis(), hold)).await().indefinitely();
        assertThat(held.refusal(batch.scope())).isEmpty();
        assertThat(removal.remove(batch.event())).isInstanceOf(Removed.class);
        assertThat(batches.rows(batch)).isZero();
    }

    private long hold(String policy, long first, long last, boolean keepInSource, Long untilMs) {
        return batches.pool.preparedQuery("INSERT INTO archive_hold (policy, scope, first_key, last_key, reason, placed_by, placed_at_ms,"
                + " until_ms, keep_in_source) VALUES (?, 'KEY_RANGE', ?, ?, 'test', 'test', ?, ?, ?) RETURNING id")
                .execute(Tuple.from(java.util.Arrays.asList(policy, first, last, System.currentTimeMillis() - 10, untilMs, keepInSource)))
                .await().indefinitely().iterator().next().getLong("id");
    }
}
