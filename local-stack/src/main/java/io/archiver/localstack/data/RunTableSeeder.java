package io.archiver.localstack.data;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.function.LongConsumer;

/**
 * Fills {@code run} with generated rows, fast: the rows are computed by the server in
 * {@code INSERT ... SELECT} chunks over a number sequence (MariaDB's {@code seq_1_to_N}, or a
 * recursive CTE on MySQL). The data is deliberately awkward:
 * <ul>
 * <li>ids with gaps ({@code id = 4*n + (n*7919 mod 3)});</li>
 * <li>dates that fall with the id but are not ordered by it (every row jittered by up to an hour,
 * one in 37 by up to five days, none later than now), so that about {@code eligibleShare} of the rows are
 * older than {@code minAge};</li>
 * <li>NULL in every nullable column on one row in 50, the empty string on one in 97;</li>
 * <li>unicode, emoji, quotes, commas, CR and LF in text; binary with 0x00, 0xFF, CR and LF; negative
 * and fractional decimals; doubles; JSON.</li>
 * </ul>
 * The same {@code rows}, {@code eligibleShare} and {@code nowMs} give the same rows, but for {@code run_uuid}.
 */
public final class RunTableSeeder {

    private static final long DAY_MS = Duration.ofDays(1).toMillis();
    private static final int CHUNK = 50_000;

    private final Connection connection;

    public RunTableSeeder(Connection connection) {
        this.connection = connection;
    }

    /**
     * Inserts {@code rows} rows numbered {@code firstSeq..firstSeq+rows-1}; returns the number inserted.
     *
     * @param eligibleShare the share of rows older than {@code minAge} (0 to 1)
     * @param nowMs the "now" the ages count from, in epoch milliseconds
     * @param progress told the running count after each chunk
     */
    public long seed(long firstSeq, long rows, double eligibleShare, Duration minAge, long nowMs, LongConsumer progress)
            throws SQLException {
        if (rows < 0 || eligibleShare < 0 || eligibleShare > 1) {
            throw new IllegalArgumentException("rows must be >= 0 and eligibleShare within [0, 1]");
        }
        boolean sequenceEngine = hasSequenceEngine();
        long inserted = 0;
        try (Statement statement = connection.createStatement()) {
            if (!sequenceEngine) {
                statement.execute("SET SESSION cte_max_recursion_depth = " + (CHUNK + 1));
            }
            for (long start = firstSeq; start < firstSeq + rows; start += CHUNK) {
                long end = Math.min(firstSeq + rows - 1, start + CHUNK - 1);
                String source = sequenceEngine
                        ? "seq_" + start + "_to_" + end + " src"
                        : "(WITH RECURSIVE g(seq) AS (SELECT " + start + " UNION ALL SELECT seq + 1 FROM g WHERE seq < " + end
                                + ") SELECT seq FROM g) src";
                inserted += statement.executeUpdate(insertSql(source, firstSeq, rows, eligibleShare, minAge.toMillis(), nowMs));
                progress.accept(inserted);
            }
        }
        return inserted;
    }

    /** The sequence number after which new generated rows start (ids are {@code 4*seq + ...}), so that seeding twice adds rows. */
    public static long nextSeq(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
                java.sql.ResultSet rs = statement.executeQuery("SELECT COALESCE(MAX(id), 0) FROM run")) {
            rs.next();
            return rs.getLong(1) / 4 + 1;
        }
    }

    private boolean hasSequenceEngine() {
        try (Statement statement = connection.createStatement()) {
            statement.executeQuery("SELECT seq FROM seq_1_to_1").close();
            return true;
        } catch (SQLException e) {
            return false;
        }
    }

    static String insertSql(String source, long firstSeq, long rows, double share, long minAgeMs, long nowMs) {
        // f: the row's position in (0, 1]; old rows (f <= share) get ages from minAge+1h up to minAge+300 days,
        // young ones from 0 up to minAge-1h, both falling with the id; then jitter.
        String f = "((t.seq - " + (firstSeq - 1) + ") / " + rows + ")";
        String age = "IF(" + f + " <= " + share + ", " + (minAgeMs + 3_600_000L) + " + (" + share + " - " + f + ") / "
                + Math.max(share, 1e-9) + " * " + (300 * DAY_MS) + ", " + (minAgeMs - 3_600_000L) + " * (1 - " + f + ") / "
                + Math.max(1 - share, 1e-9) + ")";
        String jitter = "((t.seq * 104729) % 7200001 - 3600000) + IF(t.seq % 37 = 0, ((t.seq * 31) % 11 - 5) * " + DAY_MS + ", 0)";
        // never later than now: a message is not sent in the future, and the safety rails refuse a table dated after tomorrow
        String date = "CAST(LEAST(" + nowMs + " - " + age + " + " + jitter + ", " + nowMs + ") AS SIGNED)";
        String nullable = "s.seq % 50 = 0";
        String empty = "s.seq % 97 = 0";
        return "INSERT INTO run (id, msg_sent_date, run_uuid, status, recipient, subject, body, amount, ratio, attempts,"
                + " is_test, created_at, delivered_on, payload, checksum, attachment) "
                + "SELECT id, d, UUID(), ELT(1 + s.seq % 4, 'SENT', 'DELIVERED', 'FAILED', 'BOUNCED'),"
                + " IF(" + nullable + ", NULL, IF(" + empty + ", '', CONCAT('user', s.seq, '@example.org'))),"
                + " IF(" + nullable + ", NULL, IF(" + empty + ", '', CONCAT('Run #', s.seq, ' – status, \"quoted\"'))),"
                + " IF(" + nullable + ", NULL, IF(" + empty + ", '', CONCAT('Body of run ', s.seq, ', with a comma; \"quotes\" and ',"
                + " ELT(1 + s.seq % 6, 'Ünïcödé — ✓ 😀🚀', '日本語のテキスト', 'two\\nlines', 'crlf\\r\\nline', 'tab\\there',"
                + " 'plain ascii text that pads the row to a realistic size'), ' ', REPEAT('lorem ipsum ', 5 + s.seq % 6)))),"
                + " IF(" + nullable + ", NULL, CAST(((s.seq * 7907) % 100000000) / 10000 AS DECIMAL(19,4)) * IF(s.seq % 2 = 0, -1, 1)),"
                + " IF(" + nullable + ", NULL, (s.seq % 1000) / 7.0 + 0.1),"
                + " IF(" + nullable + ", NULL, s.seq % 5),"
                + " s.seq % 2,"
                + " FROM_UNIXTIME(FLOOR(d / 1000)) + INTERVAL (d % 1000) * 1000 MICROSECOND,"
                + " IF(" + nullable + ", NULL, DATE(FROM_UNIXTIME(FLOOR(d / 1000)))),"
                + " IF(" + nullable + ", NULL, JSON_OBJECT('seq', s.seq, 'tags', JSON_ARRAY('a', 'ü', 'emoji 😀'),"
                + " 'note', 'line\\nbreak, \"q\"', 'nested', JSON_OBJECT('x', 1.5, 'ok', TRUE, 'none', NULL))),"
                + " IF(" + nullable + ", NULL, UNHEX(SHA2(s.seq, 256))),"
                + " IF(s.seq % 10 = 0, CONCAT(0x00FF0A0D22, UNHEX(MD5(s.seq)), 0x2C00), IF(" + empty + ", '', NULL))"
                + " FROM (SELECT t.seq, 4 * t.seq + (t.seq * 7919) % 3 AS id, " + date + " AS d"
                + " FROM (SELECT CAST(src.seq AS SIGNED) AS seq FROM " + source + ") t) s";
    }
}
