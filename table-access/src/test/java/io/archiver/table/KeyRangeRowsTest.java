package io.archiver.table;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.archiver.events.KeyColumns;
import io.archiver.events.KeyKind;
import io.archiver.events.KeyValue;
import io.archiver.support.policy.PolicySettings;
import io.archiver.support.policy.PolicyViolation;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Ranges of whole keys on the real server (issue 22, keys): a composite key {@code (basketId BIGINT, positionId INT,
 * businessDate DATE)}, a VARCHAR key in utf8mb4 with a case-insensitive collation, and a BIGINT UNSIGNED key around 2^63 and at
 * its largest value. The planner's walk covers exactly the eligible rows in the server's key order (the collation's, not
 * Java's), the pages read exactly a range, the exact-key delete removes only eligible keys inside its range, and every statement
 * is an index range scan on PRIMARY (EXPLAIN), not a full scan.
 */
class KeyRangeRowsTest {

    private static final Duration TIMEOUT = TestDatabase.TIMEOUT;
    /** Rows before this msg_sent_date are eligible. */
    private static final long CUTOFF = 1_000_000L;
    private static final BigInteger TWO_63 = BigInteger.ONE.shiftLeft(63);
    private static final BigInteger MAX = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

    private static final KeyColumns BASKET = KeyColumns.of(new KeyColumns.Column("basketId", KeyKind.SIGNED_INTEGER),
            new KeyColumns.Column("positionId", KeyKind.SIGNED_INTEGER), new KeyColumns.Column("businessDate", KeyKind.DATE));
    private static final KeyColumns CODE = KeyColumns.of(new KeyColumns.Column("code", KeyKind.TEXT));
    private static final KeyColumns UNSIGNED = KeyColumns.of(new KeyColumns.Column("id", KeyKind.UNSIGNED_INTEGER));

    private static TestDatabase database;

    @BeforeAll
    static void start() {
        database = TestDatabase.start("archiver_key_ranges", 10);
        Pool pool = database.pool;
        // 40 baskets x 50 positions x 3 days; every third position of a basket is young (not eligible)
        execute(pool, "CREATE TABLE basket_position (basketId BIGINT NOT NULL, positionId INT NOT NULL, businessDate DATE NOT NULL,"
                + " msg_sent_date BIGINT NOT NULL, note VARCHAR(20), PRIMARY KEY (basketId, positionId, businessDate), KEY (msg_sent_date))");
        execute(pool, "INSERT INTO basket_position SELECT CAST(b.seq AS SIGNED) - 20, p.seq, '2025-06-14' + INTERVAL d.seq DAY, IF(p.seq % 3 = 0, 2000000, 1000 + b.seq),"
                + " CONCAT('b', b.seq) FROM seq_0_to_39 b, seq_0_to_49 p, seq_0_to_2 d");
        // codes in a case-insensitive collation: 'a' < 'B' < 'c' there, though 'B' < 'a' in binary
        execute(pool, "CREATE TABLE codes (code VARCHAR(40) CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci NOT NULL PRIMARY KEY,"
                + " msg_sent_date BIGINT NOT NULL, KEY (msg_sent_date))");
        execute(pool, "INSERT INTO codes VALUES ('a', 1), ('B', 1), ('c', 1), ('Äpfel', 1), ('young', 2000000), ('ß', 1), ('-', 1), ('', 1)");
        execute(pool, "INSERT INTO codes SELECT CONCAT('p', LPAD(seq, 5, '0')), IF(seq % 4 = 0, 2000000, 1) FROM seq_0_to_2999");
        execute(pool, "CREATE TABLE unsigned_ids (id BIGINT UNSIGNED NOT NULL PRIMARY KEY, msg_sent_date BIGINT NOT NULL, KEY (msg_sent_date))");
        execute(pool, "INSERT INTO unsigned_ids SELECT seq, IF(seq % 5 = 0, 2000000, 1) FROM seq_1_to_3000");
        for (BigInteger id : List.of(TWO_63.subtract(BigInteger.TWO), TWO_63.subtract(BigInteger.ONE), TWO_63, TWO_63.add(BigInteger.ONE),
                MAX.subtract(BigInteger.ONE), MAX)) {
            execute(pool, "INSERT INTO unsigned_ids VALUES (" + id + ", " + (id.equals(TWO_63) ? 2000000 : 1) + ")");
        }
        execute(pool, "ANALYZE TABLE basket_position, codes, unsigned_ids");
    }

    @AfterAll
    static void stop() {
        if (database != null) {
            database.close();
        }
    }

    @Test
    void theKeysKindsAreReadFromTheServerAndAKeyNoRangeCanCarryIsRefusedNamingTheColumn() {
        SqlConnection connection = database.pool.getConnection().await().atMost(TIMEOUT);
        try {
            assertThat(KeyColumnsReader.read(connection, "basket_position", List.of("basketId", "positionId", "businessDate"), TIMEOUT))
                    .isEqualTo(BASKET);
            assertThat(KeyColumnsReader.read(connection, "codes", List.of("code"), TIMEOUT)).isEqualTo(CODE);
            assertThat(KeyColumnsReader.read(connection, "unsigned_ids", List.of("id"), TIMEOUT)).isEqualTo(UNSIGNED);
            assertThat(KeyColumnsReader.read(connection, "run", List.of("id"), TIMEOUT).isSingleInteger()).isTrue();

            execute(database.pool, "CREATE TABLE float_keys (k DOUBLE NOT NULL, t TIMESTAMP NOT NULL DEFAULT '2020-01-01 00:00:00',"
                    + " PRIMARY KEY (k, t))");
            assertThatThrownBy(() -> KeyColumnsReader.read(connection, "float_keys", List.of("k", "t"), TIMEOUT))
                    .isInstanceOf(PolicyViolation.class).hasMessageContaining("key column float_keys.k is DOUBLE: an approximate number")
                    .hasMessageContaining("key column float_keys.t is TIMESTAMP: a TIMESTAMP key's value");
            assertThatThrownBy(() -> KeyColumnsReader.read(connection, "basket_position", List.of("basketId"), TIMEOUT))
                    .hasMessageContaining("key [basketId] is not the whole primary key of basket_position")
                    .hasMessageContaining("write key: [basketId, positionId, businessDate]");
            execute(database.pool, "CREATE TABLE prefix_keys (k VARCHAR(200) NOT NULL, PRIMARY KEY (k(10)))");
            assertThatThrownBy(() -> KeyColumnsReader.read(connection, "prefix_keys", List.of("k"), TIMEOUT))
                    .hasMessageContaining("key column prefix_keys.k is VARCHAR(200): the primary key holds only its first 10 characters");
        } finally {
            connection.close().await().atMost(TIMEOUT);
        }
    }

    @Test
    void thePlannersWalkOnACompositeKeyCoversEveryEligibleRowOnceInKeyOrder() {
        KeyRangeRows sql = rows("basket_position", BASKET);
        List<KeyRangeRows.Planned> ranges = plan(sql, 250);

        long planned = ranges.stream().mapToLong(KeyRangeRows.Planned::rows).sum();
        assertThat(planned).isEqualTo(count("SELECT COUNT(*) FROM basket_position WHERE msg_sent_date < " + CUTOFF)).isEqualTo(3_960);
        assertThat(ranges.get(0).first()).isEqualTo(KeyValue.of("-20", "1", "2025-06-14"));
        assertThat(ranges.get(ranges.size() - 1).last()).isEqualTo(KeyValue.of("19", "49", "2025-06-16"));
        // each range's pages read exactly its planned rows, and the next range starts after its last key
        List<KeyValue> read = new ArrayList<>();
        for (KeyRangeRows.Planned range : ranges) {
            long n = pages(sql, range.first(), range.last(), 7, read);
            assertThat(n).isEqualTo(range.rows());
        }
        assertThat(read).hasSize(3_960).doesNotHaveDuplicates();
    }

    @Test
    void aVarcharKeyIsWalkedInItsCollationsOrderAndABoundMatchesWithoutCase() {
        KeyRangeRows sql = rows("codes", CODE);
        List<KeyValue> read = new ArrayList<>();
        for (KeyRangeRows.Planned range : plan(sql, 100)) {
            pages(sql, range.first(), range.last(), 30, read);
        }
        List<String> codes = read.stream().map(k -> k.part(0)).toList();

        assertThat(codes).hasSize(7 + 2_250).doesNotContain("young").startsWith("", "-", "a", "Äpfel", "B", "c");
        assertThat(codes.subList(0, 8)).containsExactlyInAnyOrder("", "-", "a", "Äpfel", "B", "c", "p00001", "p00002");
        assertThat(codes).endsWith("p02999", "ß");
        // 'b' is 'B' in this collation: a range from 'b' to 'C' reads B and c
        List<KeyValue> bToC = new ArrayList<>();
        pages(sql, KeyValue.of("b"), KeyValue.of("C"), 10, bToC);
        assertThat(bToC).containsExactly(KeyValue.of("B"), KeyValue.of("c"));
    }

    @Test
    void bigintUnsignedKeysAboveTwoToThe63AreExactToTheLargest() {
        KeyRangeRows sql = rows("unsigned_ids", UNSIGNED);
        List<KeyRangeRows.Planned> ranges = plan(sql, 1_000);

        assertThat(ranges.stream().mapToLong(KeyRangeRows.Planned::rows).sum()).isEqualTo(2_400 + 5);
        assertThat(ranges.get(ranges.size() - 1).last()).isEqualTo(KeyValue.of(MAX.toString()));
        List<KeyValue> top = new ArrayList<>();
        pages(sql, KeyValue.of(TWO_63.subtract(BigInteger.ONE).toString()), KeyValue.of(MAX.subtract(BigInteger.ONE).toString()), 2, top);
        // 2^63 is young; its neighbours one either side are read, the largest is outside the range
        assertThat(top).containsExactly(KeyValue.of(TWO_63.subtract(BigInteger.ONE).toString()), KeyValue.of(TWO_63.add(BigInteger.ONE).toString()),
                KeyValue.of(MAX.subtract(BigInteger.ONE).toString()));
    }

    @Test
    void theExactKeyDeleteRemovesOnlyEligibleKeysInsideItsRange() {
        execute(database.pool, "CREATE TABLE basket_copy LIKE basket_position");
        execute(database.pool, "INSERT INTO basket_copy SELECT * FROM basket_position WHERE basketId IN (0, 1)");
        KeyRangeRows sql = rows("basket_copy", BASKET);
        KeyValue first = KeyValue.of("0", "5", "2025-06-15");
        KeyValue last = KeyValue.of("1", "1", "2025-06-14");
        // inside and eligible; inside but young (position 6); outside the range (0,5,2025-06-14) and (1,1,2025-06-15)
        List<KeyValue> keys = List.of(KeyValue.of("0", "5", "2025-06-15"), KeyValue.of("0", "49", "2025-06-16"), KeyValue.of("1", "1", "2025-06-14"),
                KeyValue.of("0", "6", "2025-06-15"), KeyValue.of("0", "5", "2025-06-14"), KeyValue.of("1", "1", "2025-06-15"));

        int deleted = database.pool.preparedQuery(sql.deleteKeys(keys.size())).execute(sql.keysInRange(keys, first, last, CUTOFF)).await()
                .atMost(TIMEOUT).rowCount();

        assertThat(deleted).isEqualTo(3);
        assertThat(count("SELECT COUNT(*) FROM basket_copy")).isEqualTo(300 - 3);
        assertThat(count("SELECT COUNT(*) FROM basket_copy WHERE (basketId, positionId, businessDate) IN ((0, 6, '2025-06-15'),"
                + " (0, 5, '2025-06-14'), (1, 1, '2025-06-15'))")).isEqualTo(3);
    }

    @Test
    void thePlannersTheExportsAndTheDeletersStatementsAreRangeScansOnPrimary() {
        for (Object[] table : new Object[][] { { "basket_position", BASKET, KeyValue.of("0", "5", "2025-06-15"), KeyValue.of("3", "1", "2025-06-14") },
                { "codes", CODE, KeyValue.of("b"), KeyValue.of("p00500") },
                { "unsigned_ids", UNSIGNED, KeyValue.of("100"), KeyValue.of(TWO_63.add(BigInteger.ONE).toString()) } }) {
            KeyRangeRows sql = rows((String) table[0], (KeyColumns) table[1]);
            KeyValue first = (KeyValue) table[2];
            KeyValue last = (KeyValue) table[3];
            SqlConnection connection = database.pool.getConnection().await().atMost(TIMEOUT);
            try {
                sql.resolve(connection, TIMEOUT);
                assertRangeOnPrimary(connection, table[0], sql.nextBatch(true), sql.nextBatchArgs(first, CUTOFF, 100));
                assertRangeOnPrimary(connection, table[0], sql.eligibleKeys(true), sql.eligibleKeysArgs(first, CUTOFF));
                assertRangeOnPrimary(connection, table[0], sql.page(true, false), sql.pageArgs(first, last, CUTOFF, 100));
                assertRangeOnPrimary(connection, table[0], sql.page(false, true), sql.pageArgs(first, last, CUTOFF, 100));
                assertRangeOnPrimary(connection, table[0], sql.deleteKeys(2), sql.keysInRange(List.of(first, last), first, last, CUTOFF));
            } finally {
                connection.close().await().atMost(TIMEOUT);
            }
        }
    }

    @Test
    void whyEachBoundLeadsWithItsFirstColumn_aBareRowComparisonIsNoRangeOnMariadb() {
        SqlConnection connection = database.pool.getConnection().await().atMost(TIMEOUT);
        try {
            Map<String, String> bare = explain(connection, "SELECT * FROM basket_position WHERE (basketId, positionId, businessDate) >= (?, ?, ?)"
                    + " AND (basketId, positionId, businessDate) <= (?, ?, ?) AND msg_sent_date < ?",
                    Tuple.tuple(List.of(0, 5, "2025-06-15", 3, 1, "2025-06-14", CUTOFF))).get(0);
            assertThat(bare.get("type")).as("a bare row comparison on %s", database.pool).isEqualTo("ALL");
            // the first range of a walk has no key before it: PRIMARY read from its start in key order, never the table
            KeyRangeRows sql = rows("basket_position", BASKET);
            Map<String, String> first = explain(connection, sql.nextBatch(false), sql.nextBatchArgs(null, CUTOFF, 100)).stream()
                    .filter(row -> "basket_position".equals(row.get("table"))).findFirst().orElseThrow();
            assertThat(first.get("type")).isEqualTo("index");
            assertThat(first.get("key")).isEqualTo("PRIMARY");
        } finally {
            connection.close().await().atMost(TIMEOUT);
        }
    }

    private static void assertRangeOnPrimary(SqlConnection connection, Object table, String statement, Tuple args) {
        List<Map<String, String>> plan = explain(connection, statement, args);
        Map<String, String> access = plan.stream().filter(row -> table.equals(row.get("table"))).findFirst().orElseThrow(
                () -> new AssertionError("EXPLAIN of " + statement + " names no access to " + table + ": " + plan));
        assertThat(access.get("type")).as("access type of %s in %s", table, statement).isIn("range", "ref", "eq_ref", "const");
        assertThat(access.get("key")).as("index of %s in %s", table, statement).isEqualTo("PRIMARY");
    }

    private static List<Map<String, String>> explain(SqlConnection connection, String sql, Tuple args) {
        List<Map<String, String>> plan = new ArrayList<>();
        for (Row row : connection.preparedQuery("EXPLAIN " + sql).execute(args).await().atMost(TIMEOUT)) {
            Map<String, String> line = new HashMap<>();
            for (int i = 0; i < row.size(); i++) {
                line.put(row.getColumnName(i), row.getValue(i) == null ? null : String.valueOf(row.getValue(i)));
            }
            plan.add(line);
        }
        System.out.println("EXPLAIN " + sql + "\n  " + plan);
        return plan;
    }

    private static KeyRangeRows rows(String table, KeyColumns key) {
        return new KeyRangeRows(PolicySettings.defaults(table), key);
    }

    private static List<KeyRangeRows.Planned> plan(KeyRangeRows sql, int batchSize) {
        List<KeyRangeRows.Planned> ranges = new ArrayList<>();
        KeyValue after = null;
        while (true) {
            KeyRangeRows.Planned next = sql.planned(database.pool.preparedQuery(sql.nextBatch(after != null))
                    .execute(sql.nextBatchArgs(after, CUTOFF, batchSize)).await().atMost(TIMEOUT));
            if (next == null) {
                return ranges;
            }
            assertThat(next.rows()).isBetween(1L, (long) batchSize);
            ranges.add(next);
            after = next.last();
        }
    }

    private static long pages(KeyRangeRows sql, KeyValue first, KeyValue last, int pageRows, List<KeyValue> into) {
        SqlConnection connection = database.pool.getConnection().await().atMost(TIMEOUT);
        try {
            return KeyRangePages.forEach(connection, sql, false, first, last, CUTOFF, pageRows, TIMEOUT, row -> into.add(sql.key(row)));
        } finally {
            connection.close().await().atMost(TIMEOUT);
        }
    }

    private static long count(String query) {
        return database.pool.query(query).execute().await().atMost(TIMEOUT).iterator().next().getLong(0);
    }

    private static void execute(Pool pool, String statement) {
        pool.query(statement).execute().await().atMost(TIMEOUT);
    }
}
