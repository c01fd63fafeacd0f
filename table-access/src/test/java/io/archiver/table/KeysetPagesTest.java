package io.archiver.table;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.archiver.rows.CanonicalEncoding;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Transaction;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The export's and the delete's reads, on the real MySQL server and the seeded {@code run} table (ids
 * with gaps, dates not ordered by id, NULLs, unicode, binary): paged by id they give exactly the rows
 * and values of one unpaged query whatever the page size, see one snapshot under REPEATABLE READ, keep
 * every page's rows locked, and never make the server materialise a temporary table on disk (as a
 * server-side cursor does for a table with TEXT or BLOB columns); and each row, encoded straight from
 * the client's values, is the encoding of its canonical values.
 */
class KeysetPagesTest {

    private static final Duration TIMEOUT = TestDatabase.TIMEOUT;
    private static final long CUTOFF = System.currentTimeMillis() - Duration.ofDays(60).toMillis();
    private static final EligibleRows SQL = new EligibleRows(new TestPolicy("run"));

    private static TestDatabase database;
    private static Pool pool;
    private static long minId;
    private static long maxId;

    @BeforeAll
    static void start() {
        database = TestDatabase.start("archiver_keyset_pages", 3_000, 0.5, 3);
        pool = database.pool;
        Row bounds = pool.query("SELECT MIN(id), MAX(id) FROM run").execute().await().atMost(TIMEOUT).iterator().next();
        minId = bounds.getLong(0);
        maxId = bounds.getLong(1);
    }

    @AfterAll
    static void stop() {
        if (database != null) {
            database.close();
        }
    }

    @Test
    void everyPageSizeGivesTheRowsAndValuesOfOneUnpagedQuery() {
        long lo = minId + 17;
        long hi = maxId - 23;
        List<List<String>> expected = unpaged(lo, hi);
        assertThat(expected).hasSizeGreaterThan(1_000);
        for (int pageRows : new int[] { 1, 2, 7, 500, expected.size() - 1, expected.size(), expected.size() + 1, 5_000 }) {
            assertThat(paged(false, lo, hi, pageRows)).as("page of %d rows", pageRows).isEqualTo(expected);
        }
    }

    @Test
    void rangesAtTheEdgesOfTheTableAndOfTheIds() {
        assertThat(paged(false, minId, minId, 3)).isEqualTo(unpaged(minId, minId));
        assertThat(paged(false, maxId + 1, Long.MAX_VALUE, 3)).isEmpty();
        assertThat(paged(false, 5, 4, 3)).as("an empty range").isEmpty();
        assertThat(paged(false, Long.MIN_VALUE + 1, Long.MAX_VALUE, 999)).isEqualTo(unpaged(Long.MIN_VALUE + 1, Long.MAX_VALUE));
        SqlConnection connection = pool.getConnection().await().atMost(TIMEOUT);
        try {
            assertThatThrownBy(() -> KeysetPages.forEach(connection, SQL, false, minId, maxId, CUTOFF, 0, TIMEOUT, row -> {
            })).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 1 row");
        } finally {
            connection.close().await().atMost(TIMEOUT);
        }
    }

    @Test
    void pagesNeverMaterialiseATemporaryTableOnDisk() {
        SqlConnection connection = pool.getConnection().await().atMost(TIMEOUT);
        try {
            long before = sessionStatus(connection, "Created_tmp_disk_tables");
            long fetchesBefore = sessionStatus(connection, "Com_stmt_fetch");
            long rows = KeysetPages.forEach(connection, SQL, false, minId, maxId, CUTOFF, 250, TIMEOUT, row -> {
            });
            assertThat(rows).isGreaterThan(1_000);
            assertThat(sessionStatus(connection, "Created_tmp_disk_tables")).as("temporary tables written to disk").isEqualTo(before);
            assertThat(sessionStatus(connection, "Com_stmt_fetch")).as("cursor fetches").isEqualTo(fetchesBefore);

            // what the counters would show for the server-side cursor the reads used before
            Transaction tx = connection.begin().await().atMost(TIMEOUT);
            var statement = connection.prepare(SQL.select(false)).await().atMost(TIMEOUT);
            long cursorRows = statement.createStream(250, Tuple.of(minId, maxId, CUTOFF)).toMulti().collect().asList().await()
                    .atMost(TIMEOUT).size();
            statement.close().await().atMost(TIMEOUT);
            tx.commit().await().atMost(TIMEOUT);
            assertThat(cursorRows).isEqualTo(rows);
            assertThat(sessionStatus(connection, "Com_stmt_fetch")).as("a cursor's fetches").isGreaterThan(fetchesBefore);
            assertThat(sessionStatus(connection, "Created_tmp_disk_tables")).as("a cursor's temporary table on disk").isGreaterThan(before);
        } finally {
            connection.close().await().atMost(TIMEOUT);
        }
    }

    @Test
    void underRepeatableReadAllPagesSeeTheSnapshotOfTheFirst() {
        List<Long> ids = ids(unpaged(minId, maxId));
        long late = ids.get(ids.size() - 3);
        List<List<String>> before = unpaged(minId, maxId);
        SqlConnection connection = pool.getConnection().await().atMost(TIMEOUT);
        try {
            connection.query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ").execute().await().atMost(TIMEOUT);
            Transaction tx = connection.begin().await().atMost(TIMEOUT);
            List<List<String>> seen = new ArrayList<>();
            boolean[] changed = { false };
            KeysetPages.forEach(connection, SQL, false, minId, maxId, CUTOFF, 50, TIMEOUT, row -> {
                seen.add(CanonicalRow.values(row, SQL.forms()));
                if (!changed[0]) {
                    // another connection changes a row of a later page and commits, after the first page was read
                    changed[0] = true;
                    assertThat(pool.preparedQuery("UPDATE run SET subject = 'changed under the export' WHERE id = ?").execute(Tuple.of(late))
                            .await().atMost(TIMEOUT).rowCount()).isEqualTo(1);
                }
            });
            tx.commit().await().atMost(TIMEOUT);
            assertThat(seen).isEqualTo(before);
            assertThat(unpaged(minId, maxId)).as("the change itself is committed").isNotEqualTo(before);
        } finally {
            connection.close().await().atMost(TIMEOUT);
        }
    }

    @Test
    void lockingPagesKeepEveryPagesRowsLockedUntilTheTransactionEnds() {
        long lo = minId;
        long hi = minId + (maxId - minId) / 3;
        List<Long> ids = ids(unpaged(lo, hi));
        assertThat(ids).hasSizeGreaterThan(20);
        SqlConnection connection = pool.getConnection().await().atMost(TIMEOUT);
        SqlConnection other = pool.getConnection().await().atMost(TIMEOUT);
        try {
            connection.query("SET TRANSACTION ISOLATION LEVEL READ COMMITTED").execute().await().atMost(TIMEOUT);
            Transaction tx = connection.begin().await().atMost(TIMEOUT);
            long rows = KeysetPages.forEach(connection, SQL, true, lo, hi, CUTOFF, 10, TIMEOUT, row -> {
            });
            assertThat(rows).isEqualTo(ids.size());
            for (long id : List.of(ids.get(0), ids.get(ids.size() / 2), ids.get(ids.size() - 1))) {
                assertThatThrownBy(() -> other.preparedQuery("SELECT id FROM run WHERE id = ? FOR UPDATE NOWAIT").execute(Tuple.of(id))
                        .await().atMost(TIMEOUT)).as("row %d locked", id).hasMessageContaining("Lock wait timeout");
            }
            tx.rollback().await().atMost(TIMEOUT);
            assertThat(other.preparedQuery("SELECT id FROM run WHERE id = ? FOR UPDATE NOWAIT").execute(Tuple.of(ids.get(0)))
                    .await().atMost(TIMEOUT).size()).as("released at the end of the transaction").isEqualTo(1);
        } finally {
            other.close().await().atMost(TIMEOUT);
            connection.close().await().atMost(TIMEOUT);
        }
    }

    @Test
    void eachRowEncodedStraightFromTheTableEqualsTheEncodingOfItsCanonicalValues() {
        // the export and the delete encode rows with CanonicalRow.encode; the archive's CSV and the digests must not depend on it
        CanonicalEncoding direct = new CanonicalEncoding();
        CanonicalEncoding reference = new CanonicalEncoding();
        int rows = 0;
        java.util.Set<String> types = new java.util.TreeSet<>();
        for (Row row : pool.query("SELECT * FROM run ORDER BY id").execute().await().atMost(TIMEOUT)) {
            CanonicalRow.encode(row, direct);
            reference.row(CanonicalRow.values(row));
            assertThat(java.util.Arrays.copyOf(direct.bytes(), direct.length())).as("row %d", row.getLong("id"))
                    .isEqualTo(java.util.Arrays.copyOf(reference.bytes(), reference.length()));
            for (int i = 0; i < row.size(); i++) {
                Object value = row.getDelegate().getValue(i);
                types.add(value == null ? "NULL" : value.getClass().getSimpleName());
            }
            rows++;
        }
        assertThat(rows).isEqualTo(3_000);
        // the seeded table has every kind of value the fast path writes itself, and NULLs
        assertThat(types).contains("Long", "Integer", "String", "LocalDateTime", "LocalDate", "Double", "NULL");
        assertThat(types).as("binary and decimal values").anyMatch(t -> t.contains("Buffer")).anyMatch(t -> t.contains("Numeric")
                || t.contains("BigDecimal"));
    }

    @Test
    void eachPageRowWithItsTextsAsBytesEncodesToTheBytesOfTheRowReadAsText() {
        // the pages read texts as their UTF-8 bytes (ColumnForms.pageSelectList); the CSV and the digests must not change by a byte
        List<byte[]> pages = new ArrayList<>();
        SqlConnection connection = pool.getConnection().await().atMost(TIMEOUT);
        try {
            CanonicalEncoding direct = new CanonicalEncoding();
            KeysetPages.forEach(connection, SQL, false, minId, maxId, CUTOFF, 700, TIMEOUT, (id, row) -> {
                CanonicalRow.encode(row, SQL.forms(), direct);
                pages.add(java.util.Arrays.copyOf(direct.bytes(), direct.length()));
            });
        } finally {
            connection.close().await().atMost(TIMEOUT);
        }
        // `run` is utf8mb4: its texts are sent as they are stored, without a conversion in the server
        assertThat(SQL.forms().pageSelectList()).contains("CAST(`body` AS BINARY) AS `body`").doesNotContain("CONVERT(`body`");
        CanonicalEncoding reference = new CanonicalEncoding();
        List<List<String>> texts = unpaged(minId, maxId);
        assertThat(pages).hasSize(texts.size()).hasSizeGreaterThan(100);
        for (int i = 0; i < texts.size(); i++) {
            reference.row(texts.get(i));
            assertThat(pages.get(i)).as("row %d", i).isEqualTo(java.util.Arrays.copyOf(reference.bytes(), reference.length()));
        }
    }

    @Test
    void theExactKeyDeleteRemovesTheListedEligibleKeysOfTheRangeAndNoOtherRow() {
        List<Long> eligible = new ArrayList<>();
        for (Row row : pool.preparedQuery("SELECT id FROM run WHERE id BETWEEN ? AND ? AND msg_sent_date < ? ORDER BY id")
                .execute(Tuple.of(minId, maxId, CUTOFF)).await().atMost(TIMEOUT)) {
            eligible.add(row.getLong(0));
        }
        assertThat(eligible).hasSizeGreaterThan(100);
        long lo = eligible.get(10);
        long hi = eligible.get(60);
        // every other eligible key of lo..hi, one key below the range, and a key past the table's end: only the first kind goes
        List<Long> listed = new ArrayList<>();
        for (int i = 10; i <= 60; i += 2) {
            listed.add(eligible.get(i));
        }
        long[] keys = new long[listed.size() + 2];
        for (int i = 0; i < listed.size(); i++) {
            keys[i] = listed.get(i);
        }
        keys[listed.size()] = eligible.get(5);
        keys[listed.size() + 1] = maxId + 1;
        SqlConnection connection = pool.getConnection().await().atMost(TIMEOUT);
        try {
            Transaction tx = connection.begin().await().atMost(TIMEOUT);
            int deleted = connection.preparedQuery(SQL.deleteKeys(keys.length)).execute(SQL.keysInRange(keys, lo, hi, CUTOFF)).await()
                    .atMost(TIMEOUT).rowCount();
            List<Long> left = new ArrayList<>();
            for (Row row : connection.preparedQuery("SELECT id FROM run WHERE id BETWEEN ? AND ? ORDER BY id").execute(Tuple.of(minId, maxId))
                    .await().atMost(TIMEOUT)) {
                left.add(row.getLong(0));
            }
            tx.rollback().await().atMost(TIMEOUT);
            assertThat(deleted).isEqualTo(listed.size());
            assertThat(left).doesNotContainAnyElementsOf(listed).contains(eligible.get(5), eligible.get(11), eligible.get(59));
        } finally {
            connection.close().await().atMost(TIMEOUT);
        }
    }

    private static List<List<String>> unpaged(long lo, long hi) {
        List<List<String>> rows = new ArrayList<>();
        for (Row row : pool.preparedQuery(SQL.select(false)).execute(Tuple.of(lo, hi, CUTOFF)).await().atMost(TIMEOUT)) {
            rows.add(CanonicalRow.values(row));
        }
        return rows;
    }

    private static List<List<String>> paged(boolean lock, long lo, long hi, int pageRows) {
        List<List<String>> rows = new ArrayList<>();
        SqlConnection connection = pool.getConnection().await().atMost(TIMEOUT);
        try {
            Transaction tx = connection.begin().await().atMost(TIMEOUT);
            long count = KeysetPages.forEach(connection, SQL, lock, lo, hi, CUTOFF, pageRows, TIMEOUT, row -> rows.add(CanonicalRow.values(row, SQL.forms())));
            tx.commit().await().atMost(TIMEOUT);
            assertThat(count).isEqualTo(rows.size());
        } finally {
            connection.close().await().atMost(TIMEOUT);
        }
        return rows;
    }

    private static List<Long> ids(List<List<String>> rows) {
        return rows.stream().map(values -> Long.parseLong(values.get(0))).toList();
    }

    private static long sessionStatus(SqlConnection connection, String name) {
        return Long.parseLong(connection.query("SHOW SESSION STATUS LIKE '" + name + "'").execute().await().atMost(TIMEOUT)
                .iterator().next().getString(1));
    }
}
