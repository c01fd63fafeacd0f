package io.archiver.table;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.archiver.support.policy.DateKind;
import io.archiver.support.policy.PolicySettings;
import io.archiver.support.policy.TableFacts;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * What the safety rails read of a policy's table, on the real MySQL server: the date column's type, the index it leads,
 * whether the id leads the primary key, and (only with that index) its smallest and largest values; and the plan's figures.
 * The server's own EXPLAIN proves that none of these statements scans the table.
 */
class TableFactsReaderTest {

    private static final Duration TIMEOUT = TestDatabase.TIMEOUT;
    private static final long CUTOFF = System.currentTimeMillis() - Duration.ofDays(60).toMillis();
    private static final PolicySettings RUN = PolicySettings.defaults("run");

    private static TestDatabase database;
    private static Pool pool;
    private static TableFactsReader reader;

    @BeforeAll
    static void start() {
        database = TestDatabase.start("archiver_table_facts", 3_000, 0.5, 4);
        pool = database.pool;
        reader = new TableFactsReader(pool);
        for (String sql : List.of("DROP TABLE IF EXISTS events_dated, events_unindexed, events_keyed_elsewhere",
                "CREATE TABLE events_dated (id BIGINT PRIMARY KEY, created_on DATE NOT NULL, created_at DATETIME(3) NULL,"
                        + " KEY idx_created_on (created_on), KEY idx_created_at (created_at))",
                "INSERT INTO events_dated VALUES (1, '2020-01-03', '2020-01-03 10:00:00.250'), (2, '2026-11-30', NULL),"
                        + " (3, '2023-06-01', '2023-06-01 00:00:00')",
                "CREATE TABLE events_unindexed (id BIGINT PRIMARY KEY, sent_at BIGINT NOT NULL)",
                "INSERT INTO events_unindexed VALUES (1, 1764547200000), (2, 1765022400000)",
                "CREATE TABLE events_keyed_elsewhere (uuid CHAR(36) PRIMARY KEY, id BIGINT NOT NULL, sent_at BIGINT NOT NULL,"
                        + " UNIQUE KEY uk_id (id), KEY idx_sent_at (sent_at))")) {
            pool.query(sql).execute().await().atMost(TIMEOUT);
        }
    }

    @AfterAll
    static void stop() {
        if (database != null) {
            database.close();
        }
    }

    @Test
    void theRunTablesDateColumnItsIndexAndItsEnds() {
        TableFacts facts = reader.read(RUN).await().atMost(TIMEOUT);
        assertThat(facts.tableExists()).isTrue();
        assertThat(facts.dateType()).isEqualTo("bigint");
        assertThat(facts.dateColumnType()).startsWith("bigint");
        assertThat(facts.dateIndex()).isEqualTo("idx_run_msg_sent_date");
        assertThat(facts.idLeadsPrimaryKey()).isTrue();
        assertThat(facts.minDate()).isEqualTo(scalar("SELECT msg_sent_date FROM run IGNORE INDEX (idx_run_msg_sent_date) ORDER BY msg_sent_date LIMIT 1"));
        assertThat(facts.maxDate()).isEqualTo(scalar("SELECT msg_sent_date FROM run IGNORE INDEX (idx_run_msg_sent_date) ORDER BY msg_sent_date DESC LIMIT 1"));
    }

    @Test
    void dateAndDatetimeColumnsAreReadAsIsoText() {
        TableFacts date = reader.read(PolicySettings.defaults("events_dated").withDateColumn("created_on", DateKind.EPOCH_MILLIS))
                .await().atMost(TIMEOUT);
        assertThat(date.dateType()).isEqualTo("date");
        assertThat(date.dateIndex()).isEqualTo("idx_created_on");
        assertThat(date.minDate()).isEqualTo("2020-01-03");
        assertThat(date.maxDate()).isEqualTo("2026-11-30");
        TableFacts datetime = reader.read(PolicySettings.defaults("events_dated").withDateColumn("created_at", DateKind.EPOCH_MILLIS))
                .await().atMost(TIMEOUT);
        assertThat(datetime.dateType()).isEqualTo("datetime");
        assertThat(datetime.minDate()).isEqualTo("2020-01-03T10:00:00.250");
        assertThat(datetime.maxDate()).isEqualTo("2023-06-01T00:00");
    }

    @Test
    void withoutAnIndexOnTheDateColumnItsValuesAreNotRead() {
        TableFacts facts = reader.read(PolicySettings.defaults("events_unindexed").withDateColumn("sent_at", DateKind.EPOCH_MILLIS))
                .await().atMost(TIMEOUT);
        assertThat(facts.dateType()).isEqualTo("bigint");
        assertThat(facts.dateIndex()).isNull();
        assertThat(facts.minDate()).as("read only with an index (else it would scan the table)").isNull();
        assertThat(facts.maxDate()).isNull();
        assertThat(facts.idLeadsPrimaryKey()).isTrue();
    }

    @Test
    void anIdColumnOutsideThePrimaryKeyAMissingColumnAndAMissingTable() {
        TableFacts elsewhere = reader.read(PolicySettings.defaults("events_keyed_elsewhere").withDateColumn("sent_at", DateKind.EPOCH_MILLIS))
                .await().atMost(TIMEOUT);
        assertThat(elsewhere.dateIndex()).isEqualTo("idx_sent_at");
        assertThat(elsewhere.idLeadsPrimaryKey()).as("id leads a unique key, not the primary key").isFalse();
        TableFacts noColumn = reader.read(PolicySettings.defaults("run").withDateColumn("sent_at", DateKind.EPOCH_MILLIS)).await()
                .atMost(TIMEOUT);
        assertThat(noColumn.tableExists()).isTrue();
        assertThat(noColumn.dateType()).isNull();
        TableFacts noTable = reader.read(PolicySettings.defaults("no_such_table")).await().atMost(TIMEOUT);
        assertThat(noTable.tableExists()).isFalse();
    }

    @Test
    void thePlansFiguresCountTheRowsThatStayAndFindTheNewestThatGoes() {
        TableFactsReader.PlanFigures figures = reader.figures(RUN, "idx_run_msg_sent_date", CUTOFF).await().atMost(TIMEOUT);
        long staying = Long.parseLong(scalar("SELECT COUNT(*) FROM run IGNORE INDEX (idx_run_msg_sent_date) WHERE msg_sent_date >= " + CUTOFF));
        assertThat(figures.rowsNotEligible()).isEqualTo(staying).isPositive();
        assertThat(figures.newestEligible()).contains(scalar("SELECT msg_sent_date FROM run IGNORE INDEX (idx_run_msg_sent_date)"
                + " WHERE msg_sent_date < " + CUTOFF + " ORDER BY msg_sent_date DESC LIMIT 1"));
        TableFactsReader.PlanFigures none = reader.figures(RUN, "idx_run_msg_sent_date", 1).await().atMost(TIMEOUT);
        assertThat(none.newestEligible()).isEmpty();
        assertThat(none.rowsNotEligible()).isEqualTo(3_000);
    }

    @Test
    void neitherTheEndsNorTheFiguresScanTheTable() {
        EligibleRows sql = new EligibleRows(RUN);
        // MIN and MAX on the index's ends: the optimizer answers them from the index without reading the table
        assertThat(explain(sql.dateBounds(), Tuple.tuple())).singleElement()
                .satisfies(plan -> assertThat(plan.get("Extra")).isEqualTo("Select tables optimized away"));
        assertThat(explain(sql.newestEligible(), Tuple.of(CUTOFF))).singleElement()
                .satisfies(plan -> assertThat(plan.get("Extra")).isEqualTo("Select tables optimized away"));
        // the rows that stay: a range of the date index, read from the index alone
        assertThat(explain(sql.notEligibleCount("idx_run_msg_sent_date"), Tuple.of(CUTOFF))).singleElement().satisfies(plan -> {
            assertThat(plan.get("table")).isEqualTo("run");
            assertThat(plan.get("type")).isEqualTo("range");
            assertThat(plan.get("key")).isEqualTo("idx_run_msg_sent_date");
            assertThat(plan.get("Extra")).contains("Using index");
        });
    }

    private static String scalar(String sql) {
        return String.valueOf(pool.query(sql).execute().await().atMost(TIMEOUT).iterator().next().getValue(0));
    }

    /** EXPLAIN of a statement with its arguments, each plan row as column name to value. */
    private static List<Map<String, String>> explain(String sql, Tuple args) {
        List<Map<String, String>> plans = new ArrayList<>();
        for (Row row : pool.preparedQuery("EXPLAIN " + sql).execute(args).await().atMost(TIMEOUT)) {
            Map<String, String> plan = new java.util.HashMap<>();
            for (int i = 0; i < row.size(); i++) {
                plan.put(row.getColumnName(i), row.getValue(i) == null ? null : String.valueOf(row.getValue(i)));
            }
            System.out.println("EXPLAIN " + sql + "\n  " + plan);
            plans.add(plan);
        }
        return plans;
    }
}
