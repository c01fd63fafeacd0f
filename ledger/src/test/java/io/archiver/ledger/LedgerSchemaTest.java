package io.archiver.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.archiver.localstack.LocalStack;
import io.archiver.localstack.mysql.MySqlServer;
import io.archiver.localstack.process.StackLayout;

/**
 * The ledger's schema and the code that shares it agree: a real MySQL database migrated from {@code db/ledger} as the
 * scanner migrates it at start (first to V5, where it holds runs written before V6, then to the latest), its state columns
 * take exactly the states the code knows, every statement of {@link LedgerSql} prepares against it on the server (a column
 * or table the schema lacks fails here, not in a run), and V6 moved the old runs' statistics into typed columns.
 */
class LedgerSchemaTest {

    private static MySqlServer mysql;
    private static Connection connection;

    @BeforeAll
    static void migrate() throws SQLException {
        Path workDir = Path.of("target", "ledger-schema").toAbsolutePath();
        LocalStack.deleteRecursively(workDir);
        mysql = new MySqlServer(StackLayout.locate(workDir), workDir.resolve("mysql"), "ledger_schema").start(0, 0);
        flyway("5").migrate();
        // server-side prepares: the server parses every statement against the schema without running it
        connection = DriverManager.getConnection(mysql.jdbcUrl() + "?useServerPrepStmts=true", mysql.user(), mysql.password());
        // runs as the scanner wrote them before V6: one completed, with its figures as one string, and one still running
        oldRun("old-completed", "COMPLETED", "120,100,100,90,10,3,1,4096,2,65000");
        oldRun("old-running", "RUNNING", null);
        flyway("latest").migrate();
    }

    private static Flyway flyway(String target) {
        return Flyway.configure().dataSource(mysql.jdbcUrl(), mysql.user(), mysql.password()).locations("classpath:db/ledger")
                .table("archiver_ledger_schema_history").baselineOnMigrate(true).baselineVersion("0").target(target).load();
    }

    private static void oldRun(String runId, String state, String statistics) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO archive_run (run_id, policy, table_name, cutoff_epoch_ms,"
                + " mode, run_date, dry_run, requested_by, state, requested_at_ms, statistics) VALUES (?, 'run', 'run', 1, 'DELETE',"
                + " '2026-01-01', FALSE, 'test', ?, 1, ?)")) {
            insert.setString(1, runId);
            insert.setString(2, state);
            insert.setString(3, statistics);
            insert.executeUpdate();
        }
    }

    @AfterAll
    static void stop() throws SQLException {
        if (connection != null) {
            connection.close();
        }
        if (mysql != null) {
            mysql.close();
        }
    }

    @Test
    void stateColumnsTakeExactlyTheStatesTheCodeKnows() throws SQLException {
        assertThat(columnLength(LedgerSql.RUN_TABLE, "state")).isGreaterThanOrEqualTo(longest(RunState.values()));
        assertThat(columnLength(LedgerSql.BATCH_TABLE, "state")).isGreaterThanOrEqualTo(longest(BatchState.values()));
        assertThat(columnLength(RestoreSql.RESTORE_TABLE, "state")).isGreaterThanOrEqualTo(longest(RestoreState.values()));
        assertThat(allowedStates("ck_archive_restore_state")).containsExactlyInAnyOrderElementsOf(names(RestoreState.values()));
        assertThat(allowedStates("ck_archive_run_state")).containsExactlyInAnyOrderElementsOf(names(RunState.values()));
        assertThat(allowedStates("ck_archive_batch_state")).containsExactlyInAnyOrderElementsOf(names(BatchState.values()));
    }

    @Test
    void aStateTheCodeDoesNotKnowIsRefused() {
        assertThatThrownBy(() -> connection.createStatement().executeUpdate("INSERT INTO archive_run (run_id, policy, table_name,"
                + " cutoff_epoch_ms, mode, run_date, dry_run, requested_by, state, requested_at_ms) VALUES ('paused', 'run', 'run', 1,"
                + " 'DELETE', '2026-01-01', FALSE, 'test', 'PAUSED', 1)")).isInstanceOf(SQLException.class)
                .hasMessageContaining("ck_archive_run_state");
    }

    @Test
    void oldStatisticsMoveIntoTypedColumns() throws SQLException {
        assertThat(statistics("old-completed")).containsExactly(120L, 100L, 100L, 90L, 10L, 3L, 1L, 4096L, 2L, 65000L);
        assertThat(statistics("old-running")).as("a run not completed has no statistics yet").containsOnlyNulls().hasSize(10);
        assertThat(columnLength(LedgerSql.RUN_TABLE, "statistics")).as("the string column is gone").isEqualTo(-1);
    }

    private static List<Long> statistics(String runId) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("SELECT " + LedgerSql.RUN_STATISTICS_COLUMNS + " FROM archive_run WHERE run_id = ?")) {
            query.setString(1, runId);
            try (ResultSet rs = query.executeQuery()) {
                assertThat(rs.next()).isTrue();
                List<Long> figures = new ArrayList<>();
                for (int i = 1; i <= 10; i++) {
                    long value = rs.getLong(i);
                    figures.add(rs.wasNull() ? null : value);
                }
                return figures;
            }
        }
    }

    /** The states a CHECK constraint's {@code state IN (...)} lists, as the server gives its clause back. */
    private static List<String> allowedStates(String constraint) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("SELECT CHECK_CLAUSE FROM information_schema.CHECK_CONSTRAINTS"
                + " WHERE CONSTRAINT_SCHEMA = DATABASE() AND CONSTRAINT_NAME = ?")) {
            query.setString(1, constraint);
            try (ResultSet rs = query.executeQuery()) {
                assertThat(rs.next()).as("constraint " + constraint).isTrue();
                Matcher literal = Pattern.compile("'([^']*)'").matcher(rs.getString(1));
                List<String> states = new ArrayList<>();
                while (literal.find()) {
                    states.add(literal.group(1));
                }
                return states;
            }
        }
    }

    private static List<String> names(Enum<?>[] states) {
        return Arrays.stream(states).map(Enum::name).toList();
    }

    @Test
    void everySharedStatementPreparesAgainstTheMigratedSchema() throws Exception {
        Map<String, String> statements = sharedStatements();
        assertThat(statements).hasSizeGreaterThanOrEqualTo(10);
        List<String> failed = new ArrayList<>();
        for (Map.Entry<String, String> statement : statements.entrySet()) {
            try (PreparedStatement prepared = connection.prepareStatement(statement.getValue())) {
                prepared.getParameterMetaData().getParameterCount(); // asks the server: a statement it cannot parse fails here
            } catch (SQLException e) {
                failed.add(statement.getKey() + ": " + e.getMessage());
            }
        }
        assertThat(failed).as("statements the migrated schema refuses").isEmpty();
    }

    /** Every public SQL constant of {@link LedgerSql} (its table names apart) and its statement builders. */
    static Map<String, String> sharedStatements() throws IllegalAccessException {
        Map<String, String> statements = new LinkedHashMap<>();
        for (Class<?> owner : List.of(LedgerSql.class, RestoreSql.class)) {
            for (Field field : owner.getFields()) {
                if (Modifier.isStatic(field.getModifiers()) && field.getType() == String.class) {
                    String sql = (String) field.get(null);
                    if (sql.startsWith("SELECT ") || sql.startsWith("UPDATE ") || sql.startsWith("INSERT ") || sql.startsWith("DELETE ")) {
                        statements.put(owner.getSimpleName() + "." + field.getName(), sql);
                    }
                }
            }
        }
        for (boolean byPolicy : new boolean[] { false, true }) {
            for (boolean bySlot : new boolean[] { false, true }) {
                statements.put("latestRuns(" + byPolicy + ", " + bySlot + ")", LedgerSql.latestRuns(byPolicy, bySlot));
            }
        }
        statements.put("batchStateCounts(3)", LedgerSql.batchStateCounts(3));
        return statements;
    }

    private static long columnLength(String table, String column) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("SELECT CHARACTER_MAXIMUM_LENGTH FROM information_schema.COLUMNS"
                + " WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? AND COLUMN_NAME = ?")) {
            query.setString(1, table);
            query.setString(2, column);
            try (ResultSet rs = query.executeQuery()) {
                return rs.next() ? rs.getLong(1) : -1;
            }
        }
    }

    private static int longest(Enum<?>[] states) {
        return Arrays.stream(states).mapToInt(s -> s.name().length()).max().orElseThrow();
    }
}
