package io.archiver.table;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.archiver.support.policy.DateKind;
import io.archiver.support.policy.PolicySettings;
import io.vertx.mutiny.mysqlclient.MySQLPool;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Transaction;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.mysqlclient.MySQLConnectOptions;
import io.vertx.sqlclient.PoolOptions;

/**
 * Every date kind on the real server (issue 22, date columns): a table whose rows hold the same instants as epoch milliseconds,
 * epoch seconds, DATE and DATETIME(3) in Berlin time, DATETIME(0) and TIMESTAMP(3), at the cutoff, one unit either side of it, and
 * further away. For each kind and a cutoff on a whole second and one half a second later, the export's read (KeysetPages), the
 * planner's walk, the figures and the deleter's exact-key delete take exactly the rows before the cutoff and leave the ones at it;
 * every statement runs in sessions whose time zone is not UTC ({@code +05:30}) and leaves that zone as it found it; and the
 * comparison with the cutoff is an index range scan on every kind's column (EXPLAIN).
 */
class DateColumnsTest {

    private static final Duration TIMEOUT = TestDatabase.TIMEOUT;
    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    private static final Instant WHOLE = Instant.parse("2025-06-15T10:20:30Z");
    private static final String SESSION_ZONE = "+05:30";
    private static final DateTimeFormatter TEXT = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss.SSS");

    /** The rows' instants: the cutoffs, a unit of every kind either side of them, the ends of their days, and far away. */
    private static final List<Instant> INSTANTS = List.of(WHOLE, WHOLE.minusMillis(1), WHOLE.plusMillis(1), WHOLE.minusSeconds(1),
            WHOLE.plusSeconds(1), WHOLE.plusMillis(499), WHOLE.plusMillis(500), WHOLE.plusMillis(501), WHOLE.plusMillis(999),
            Instant.parse("2025-06-14T21:59:59.999Z"), Instant.parse("2025-06-14T22:00:00Z"), Instant.parse("2025-06-14T23:59:59.999Z"),
            Instant.parse("2025-06-15T00:00:00Z"), Instant.parse("2025-06-15T23:59:59Z"), WHOLE.minus(Duration.ofDays(40)),
            WHOLE.plus(Duration.ofDays(40)));

    private static TestDatabase database;
    /** A pool of one connection whose session zone is set once: every statement through it runs in that zone. */
    private static Pool inAnotherZone;

    @BeforeAll
    static void start() {
        database = TestDatabase.start("archiver_date_columns", 10);
        Pool pool = database.pool;
        pool.query("CREATE TABLE dated (id BIGINT NOT NULL PRIMARY KEY, ms BIGINT NOT NULL, s INT NOT NULL, d DATE NOT NULL,"
                + " d_berlin DATE NOT NULL, dt3 DATETIME(3) NOT NULL, dt0 DATETIME NOT NULL, ts3 TIMESTAMP(3) NULL, KEY (ms), KEY (s),"
                + " KEY (d), KEY (d_berlin), KEY (dt3), KEY (dt0), KEY (ts3))").execute().await().atMost(TIMEOUT);
        SqlConnection connection = pool.getConnection().await().atMost(TIMEOUT);
        try {
            // the TIMESTAMPs written in a session of another zone: the server stores the instant, whatever the session's zone
            connection.query("SET time_zone = '-07:00'").execute().await().atMost(TIMEOUT);
            long id = 1;
            for (Instant at : INSTANTS) {
                LocalDateTime utc = LocalDateTime.ofInstant(at, ZoneOffset.UTC);
                LocalDateTime berlin = LocalDateTime.ofInstant(at, BERLIN);
                connection.preparedQuery("INSERT INTO dated VALUES (?, ?, ?, ?, ?, ?, ?, FROM_UNIXTIME(? / 1000))").execute(Tuple.tuple(List.of(
                        id++, at.toEpochMilli(), Math.floorDiv(at.toEpochMilli(), 1000), utc.toLocalDate().toString(),
                        berlin.toLocalDate().toString(), TEXT.format(berlin), TEXT.format(utc.withNano(0)), at.toEpochMilli())))
                        .await().atMost(TIMEOUT);
            }
            connection.query("SET time_zone = SYSTEM").execute().await().atMost(TIMEOUT);
        } finally {
            connection.close().await().atMost(TIMEOUT);
        }
        Pool single = MySQLPool.pool(database.vertx, MySQLConnectOptions.fromUri(database.mysql.reactiveUrl()).setUser(database.mysql.user())
                .setPassword(database.mysql.password()), new PoolOptions().setMaxSize(1));
        single.query("SET time_zone = '" + SESSION_ZONE + "'").execute().await().atMost(TIMEOUT);
        inAnotherZone = single;
    }

    @AfterAll
    static void stop() {
        if (inAnotherZone != null) {
            inAnotherZone.close().await().atMost(TIMEOUT);
        }
        if (database != null) {
            database.close();
        }
    }

    /** What a row's value in {@code column} means as an instant range: it goes when all of its unit is before the cutoff. */
    private static boolean before(String column, Instant at, Instant cutoff) {
        return switch (column) {
            case "ms", "dt3", "ts3" -> at.isBefore(cutoff);
            case "s", "dt0" -> Instant.ofEpochSecond(at.getEpochSecond()).isBefore(cutoff);
            // a day goes when all of it is before the cutoff
            case "d" -> !LocalDateTime.ofInstant(at, ZoneOffset.UTC).toLocalDate().plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant()
                    .isAfter(cutoff);
            case "d_berlin" -> !LocalDateTime.ofInstant(at, BERLIN).toLocalDate().plusDays(1).atStartOfDay(BERLIN).toInstant().isAfter(cutoff);
            default -> throw new IllegalArgumentException(column);
        };
    }

    @ParameterizedTest(name = "{0} ({1}, {2}) cutoff +{3} ms")
    @CsvSource({ "ms, EPOCH_MILLIS, UTC, 0", "ms, EPOCH_MILLIS, UTC, 500", "s, EPOCH_SECONDS, UTC, 0", "s, EPOCH_SECONDS, UTC, 500",
            "d, DATE, UTC, 0", "d, DATE, UTC, 500", "d_berlin, DATE, Europe/Berlin, 0", "dt3, DATETIME, Europe/Berlin, 0",
            "dt3, DATETIME, Europe/Berlin, 500", "dt0, DATETIME, UTC, 0", "dt0, DATETIME, UTC, 500", "ts3, TIMESTAMP, Europe/Berlin, 0",
            "ts3, TIMESTAMP, UTC, 500" })
    void rowsBeforeTheCutoffGo_rowsAtItStay(String column, DateKind kind, String zone, long plusMs) {
        PolicySettings policy = PolicySettings.defaults("dated").withDateColumn(column, kind).withDateZone(ZoneId.of(zone));
        EligibleRows sql = new EligibleRows(policy);
        Instant cutoff = WHOLE.plusMillis(plusMs);
        TreeSet<Long> expected = new TreeSet<>();
        for (int i = 0; i < INSTANTS.size(); i++) {
            if (before(column, INSTANTS.get(i), cutoff)) {
                expected.add(i + 1L);
            }
        }
        // to the column's unit: the row at the cutoff stays, the one a unit before it goes
        boolean half = plusMs != 0;
        long[] atAndBefore = switch (column) {
            case "ms", "dt3", "ts3" -> half ? new long[] { 7, 6 } : new long[] { 1, 2 }; // WHOLE+500 ms and +499 ms; WHOLE and -1 ms
            case "s", "dt0" -> half ? new long[] { 5, 1 } : new long[] { 1, 4 }; // WHOLE+1 s and WHOLE; WHOLE and -1 s
            case "d" -> new long[] { 13, 12 }; // 2025-06-15 00:00 and 2025-06-14 23:59:59.999 UTC
            default -> new long[] { 11, 10 }; // the same in Berlin
        };
        assertThat(expected).as("the row at the cutoff stays").doesNotContain(atAndBefore[0]);
        assertThat(expected).as("the row a unit before the cutoff goes").contains(atAndBefore[1]);
        assertThat(expected.size()).isLessThan(INSTANTS.size());
        long cutoffMs = cutoff.toEpochMilli();

        // the export's read, on a connection in another zone
        List<Long> read = new ArrayList<>();
        SqlConnection connection = database.pool.getConnection().await().atMost(TIMEOUT);
        try {
            connection.query("SET time_zone = '" + SESSION_ZONE + "'").execute().await().atMost(TIMEOUT);
            KeysetPages.forEach(connection, sql, false, 1, INSTANTS.size(), cutoffMs, 4, TIMEOUT, row -> read.add(row.getLong("id")));
            assertThat(read).containsExactlyElementsOf(expected);
            assertThat(zone(connection)).isEqualTo(SESSION_ZONE);

            // the deleter's exact-key delete of every id, in its session (UTC for a TIMESTAMP), rolled back
            boolean utc = sql.comparesInUtc();
            if (utc) {
                UtcSession.enter(connection, TIMEOUT);
            }
            Transaction tx = connection.begin().await().atMost(TIMEOUT);
            long[] all = new long[INSTANTS.size()];
            for (int i = 0; i < all.length; i++) {
                all[i] = i + 1;
            }
            int deleted = connection.preparedQuery(sql.deleteKeys(all.length)).execute(sql.keysInRange(all, 1, all.length, cutoffMs)).await()
                    .atMost(TIMEOUT).rowCount();
            tx.rollback().await().atMost(TIMEOUT);
            if (utc) {
                UtcSession.restore(connection, TIMEOUT);
            }
            assertThat(deleted).isEqualTo(expected.size());
            assertThat(zone(connection)).isEqualTo(SESSION_ZONE);
        } finally {
            connection.query("SET time_zone = SYSTEM").execute().await().atMost(TIMEOUT);
            connection.close().await().atMost(TIMEOUT);
        }

        // the planner's walk and the plan's figures, on the pool whose one connection is in another zone
        Pool pool = inAnotherZone;
        Row batch = UtcSession.query(pool, sql.comparesInUtc(), sql.nextBatch(), sql.nextBatchArgs(0, cutoffMs, 1_000)).await()
                .atMost(TIMEOUT).iterator().next();
        assertThat(batch.getLong("n")).isEqualTo(expected.size());
        assertThat(batch.getLong("lo")).isEqualTo(expected.first());
        assertThat(batch.getLong("hi")).isEqualTo(expected.last());
        // the plan by rank: the date index counts the eligible ids (one bucket over them all), PRIMARY gives the ids at their ranks
        List<Row> counted = new ArrayList<>();
        UtcSession.query(pool, sql.comparesInUtc(), sql.rangeEnds(column, false), sql.rangeEndsArgs(0, null, 1_000_000, cutoffMs, 1_000))
                .await().atMost(TIMEOUT).forEach(counted::add);
        assertThat(counted).hasSize(1);
        assertThat(counted.get(0).getLong("t")).isEqualTo(expected.size());
        List<Long> ranked = new ArrayList<>();
        UtcSession.query(pool, sql.comparesInUtc(), sql.rankedIds(2), sql.rankedIdsArgs(cutoffMs, List.of(new long[] { 1, 1_000_000, 1, 1_000 },
                new long[] { 1, 1_000_000, 0, 1 }))).await().atMost(TIMEOUT).forEach(row -> ranked.add(row.getLong("k")));
        // read 0: every eligible id but the first; read 1: the first
        assertThat(ranked).containsExactlyElementsOf(java.util.stream.Stream.concat(expected.stream().skip(1), expected.stream().limit(1)).toList());
        assertThat(new TableFactsReader(pool).dateIndex(policy).await().atMost(TIMEOUT)).contains(column);
        TableFactsReader.PlanFigures figures = new TableFactsReader(pool).figures(policy, column, cutoffMs)
                .await().atMost(TIMEOUT);
        assertThat(figures.rowsNotEligible()).isEqualTo(INSTANTS.size() - expected.size());
        assertThat(pool.query("SELECT @@session.time_zone").execute().await().atMost(TIMEOUT).iterator().next().getString(0))
                .isEqualTo(SESSION_ZONE);

        // compared in the column's own type, the cutoff is a range of the column's index
        SqlConnection explaining = pool.getConnection().await().atMost(TIMEOUT);
        try {
            Map<String, String> plan = explain(explaining, "SELECT COUNT(*) FROM dated FORCE INDEX (" + column + ") WHERE " + column
                    + " < ?", Tuple.of(sql.cutoff(cutoffMs)));
            assertThat(plan.get("type")).isEqualTo("range");
            assertThat(plan.get("key")).isEqualTo(column);
            // the plan by rank: its count reads the date index's entries only, its reads a range of PRIMARY
            Map<String, String> counting = explainTable(explaining, sql.rangeEnds(column, false),
                    sql.rangeEndsArgs(0, null, 1_000_000, cutoffMs, 1_000));
            assertThat(counting.get("type")).isEqualTo("range");
            assertThat(counting.get("key")).isEqualTo(column);
            assertThat(counting.get("Extra")).contains("Using index");
            Map<String, String> reading = explainTable(explaining, sql.rankedIds(2), sql.rankedIdsArgs(cutoffMs,
                    List.of(new long[] { 1, 1_000_000, 0, 1 }, new long[] { 1, 1_000_000, 1, 1 })));
            assertThat(reading.get("type")).isEqualTo("range");
            assertThat(reading.get("key")).isEqualTo("PRIMARY");
        } finally {
            explaining.close().await().atMost(TIMEOUT);
        }
    }

    private static String zone(SqlConnection connection) {
        return connection.query("SELECT @@session.time_zone").execute().await().atMost(TIMEOUT).iterator().next().getString(0);
    }

    /** The EXPLAIN row of table {@code dated} (a statement of derived tables or unions has more rows). */
    private static Map<String, String> explainTable(SqlConnection connection, String sql, Tuple args) {
        for (Row row : connection.preparedQuery("EXPLAIN " + sql).execute(args).await().atMost(TIMEOUT)) {
            if ("dated".equals(row.getString("table"))) {
                Map<String, String> plan = new HashMap<>();
                for (int i = 0; i < row.size(); i++) {
                    plan.put(row.getColumnName(i), row.getValue(i) == null ? null : String.valueOf(row.getValue(i)));
                }
                System.out.println("EXPLAIN " + sql + "\n  " + plan);
                return plan;
            }
        }
        throw new AssertionError("no EXPLAIN row of table dated for " + sql);
    }

    private static Map<String, String> explain(SqlConnection connection, String sql, Tuple args) {
        Row row = connection.preparedQuery("EXPLAIN " + sql).execute(args).await().atMost(TIMEOUT).iterator().next();
        Map<String, String> plan = new HashMap<>();
        for (int i = 0; i < row.size(); i++) {
            plan.put(row.getColumnName(i), row.getValue(i) == null ? null : String.valueOf(row.getValue(i)));
        }
        System.out.println("EXPLAIN " + sql + "\n  " + plan);
        return plan;
    }
}
