package io.archiver.ledger;

import java.util.ArrayList;
import java.util.List;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The key ranges that holds in force keep in a policy's source table ({@code archive_hold.keep_in_source}, V20,
 * docs/archive.md#holds): the scanner plans none of their keys and the deleter deletes none of them. One reader for both.
 */
public final class SourceHolds {

    /** An inclusive range of keys held in the source, and the hold that holds it. */
    public record HeldRange(long holdId, long first, long last) {

        public boolean overlaps(long firstId, long lastId) {
            return first <= lastId && last >= firstId;
        }

        public boolean contains(long id) {
            return first <= id && id <= last;
        }
    }

    /** The live keep-in-source key-range holds of a policy at a time (arguments: policy, now in epoch ms), by first key. */
    public static final String LIVE = "SELECT id, first_key, last_key FROM archive_hold WHERE policy = ? AND keep_in_source"
            + " AND scope = 'KEY_RANGE' AND released_at_ms IS NULL AND (until_ms IS NULL OR until_ms > ?) ORDER BY first_key, id";

    private SourceHolds() {
    }

    /** The ranges held in {@code policy}'s source at {@code nowMs}, ordered by their first key. */
    public static Uni<List<HeldRange>> live(SqlClient client, String policy, long nowMs) {
        return client.preparedQuery(LIVE).execute(Tuple.of(policy, nowMs)).map(rows -> {
            List<HeldRange> ranges = new ArrayList<>();
            for (Row row : rows) {
                ranges.add(new HeldRange(row.getLong("id"), row.getLong("first_key"), row.getLong("last_key")));
            }
            return ranges;
        });
    }
}
