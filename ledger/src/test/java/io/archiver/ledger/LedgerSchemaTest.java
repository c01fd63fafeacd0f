package io.archiver.ledger;

import static org.assertj.core.api.Assertions.assertThat;

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

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.archiver.localstack.LocalStack;
import io.archiver.localstack.mysql.MySqlServer;
import io.archiver.localstack.process.StackLayout;

/**
 * The ledger's schema and the code that shares it agree: a real MySQL database migrated from {@code db/ledger} as the
 * scanner migrates it at start, its state columns hold every state the code knows, and every statement of
 * {@link LedgerSql} prepares against it on the server (a column or table the schema lacks fails here, not in a run).
 */
class LedgerSchemaTest {

    private static MySqlServer mysql;
    private static Connection connection;

    @BeforeAll
    static void migrate() throws SQLException {
        Path workDir = Path.of("target", "ledger-schema").toAbsolutePath();
        LocalStack.deleteRecursively(workDir);
        mysql = new MySqlServer(StackLayout.locate(workDir), workDir.resolve("mysql"), "ledger_schema").start(0, 0);
        Flyway.configure().dataSource(mysql.jdbcUrl(), mysql.user(), mysql.password()).locations("classpath:db/ledger")
                .table("archiver_ledger_schema_history").baselineOnMigrate(true).baselineVersion("0").load().migrate();
        // server-side prepares: the server parses every statement against the schema without running it
        connection = DriverManager.getConnection(mysql.jdbcUrl() + "?useServerPrepStmts=true", mysql.user(), mysql.password());
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
    void stateColumnsHoldEveryStateTheCodeKnows() throws SQLException {
        assertThat(columnLength(LedgerSql.RUN_TABLE, "state")).isGreaterThanOrEqualTo(longest(RunState.values()));
        assertThat(columnLength(LedgerSql.BATCH_TABLE, "state")).isGreaterThanOrEqualTo(longest(BatchState.values()));
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
        for (Field field : LedgerSql.class.getFields()) {
            if (Modifier.isStatic(field.getModifiers()) && field.getType() == String.class) {
                String sql = (String) field.get(null);
                if (sql.startsWith("SELECT ") || sql.startsWith("UPDATE ") || sql.startsWith("INSERT ") || sql.startsWith("DELETE ")) {
                    statements.put(field.getName(), sql);
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
                assertThat(rs.next()).as(table + "." + column + " exists").isTrue();
                return rs.getLong(1);
            }
        }
    }

    private static int longest(Enum<?>[] states) {
        return Arrays.stream(states).mapToInt(s -> s.name().length()).max().orElseThrow();
    }
}
