package io.archiver.support.testing;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.mutiny.core.buffer.Buffer;

/**
 * The {@code run} table of a service test's real MySQL (created by the local stack): rows with the values that are hard
 * to carry (NULL beside the empty string, unicode, newlines, JSON, binary, decimals), each test in an id range of its own.
 */
public final class RunTable {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final AtomicLong NEXT_RANGE = new AtomicLong(1);

    /** Old enough for the default policy (60 days): 100 days ago. */
    public static final long OLD = System.currentTimeMillis() - Duration.ofDays(100).toMillis();
    /** A cutoff the default policy allows (61 days ago), after {@link #OLD}. */
    public static final long CUTOFF = System.currentTimeMillis() - Duration.ofDays(61).toMillis();

    private final Pool pool;

    public RunTable(Pool pool) {
        this.pool = pool;
    }

    /** The first id of a range of a million ids no other test of this JVM uses. */
    public static long freshRange() {
        return NEXT_RANGE.getAndIncrement() * 1_000_000L;
    }

    /** Inserts rows with these ids, all sent at {@code msgSentDate}. */
    public void insert(List<Long> ids, long msgSentDate) {
        List<Tuple> rows = new ArrayList<>();
        for (long id : ids) {
            boolean odd = id % 2 == 1;
            rows.add(Tuple.tuple(List.of(id, msgSentDate, "00000000-0000-0000-0000-" + String.format("%012d", id % 1_000_000_000_000L),
                    odd ? "SENT" : "FAILED", odd ? "" : "a@example.org", "subject \"" + id + "\"\r\nline two, é 🚀",
                    new java.math.BigDecimal(id).movePointLeft(4), (double) id / 3, (int) (id % 7), odd ? 1 : 0,
                    LocalDateTime.of(2025, 1, 1, 0, 0).plusSeconds(id % 100_000), LocalDate.of(2025, 2, 1),
                    "{\"id\": " + id + ", \"tags\": [\"a\", null]}",
                    Buffer.buffer(("sum" + id).getBytes(StandardCharsets.UTF_8)))));
        }
        pool.preparedQuery("INSERT INTO run (id, msg_sent_date, run_uuid, status, recipient, subject, amount, ratio, attempts, is_test,"
                + " created_at, delivered_on, payload, checksum) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
                .executeBatch(rows).await().atMost(WAIT);
    }

    /** Inserts the ids {@code first..last} (inclusive), all sent at {@code msgSentDate}. */
    public void insertRange(long first, long last, long msgSentDate) {
        List<Long> ids = new ArrayList<>();
        for (long id = first; id <= last; id++) {
            ids.add(id);
        }
        insert(ids, msgSentDate);
    }

    public long count(String table, long firstId, long lastId) {
        return pool.preparedQuery("SELECT COUNT(*) FROM `" + table + "` WHERE id BETWEEN ? AND ?").execute(Tuple.of(firstId, lastId)).await()
                .atMost(WAIT).iterator().next().getLong(0);
    }

    public void update(long id, String subject) {
        pool.preparedQuery("UPDATE run SET subject = ? WHERE id = ?").execute(Tuple.of(subject, id)).await().atMost(WAIT);
    }
}
