package io.archiver.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.archiver.localstack.LocalStack;
import io.archiver.localstack.process.StackLayout;
import io.archiver.localstack.mysql.MySqlProvisioner;
import io.archiver.localstack.mysql.MySqlServer;

/**
 * Promise 9's grants on a real MariaDB: the ledger migrated as the scanner migrates it, then a user with exactly the grants
 * docs/archive.md gives the services on {@code archive_audit} (SELECT and INSERT) appends an audit row through
 * {@link LedgerSql#AUDIT_INSERT} and reads it back through {@link LedgerSql#AUDIT_SINCE}, and is refused (error 1142) when it
 * updates, deletes, truncates or drops the trail.
 */
class AuditTrailTest {

    private static final int TABLE_ACCESS_DENIED = 1142;

    private static MySqlServer mysql;
    private static String user;
    private static String password;

    @BeforeAll
    static void migrateAndCreateTheServicesUser() throws SQLException {
        Path workDir = Path.of("target", "audit-trail").toAbsolutePath();
        LocalStack.deleteRecursively(workDir);
        mysql = new MySqlServer(StackLayout.locate(workDir), workDir.resolve("mysql"), "audit_trail").start(0, 0);
        Flyway.configure().dataSource(mysql.jdbcUrl(), mysql.user(), mysql.password()).locations("classpath:db/ledger")
                .table("archiver_ledger_schema_history").baselineOnMigrate(true).baselineVersion("0").load().migrate();
        user = ("svc_" + mysql.database()).substring(0, Math.min(32, 4 + mysql.database().length()));
        byte[] random = new byte[12];
        new SecureRandom().nextBytes(random);
        password = HexFormat.of().formatHex(random);
        List<String> statements = new ArrayList<>();
        for (String host : List.of("localhost", "127.0.0.1", "%")) {
            String account = "'" + user + "'@'" + host + "'";
            statements.add("CREATE USER IF NOT EXISTS " + account + " IDENTIFIED BY '" + password + "'");
            statements.add("ALTER USER " + account + " IDENTIFIED BY '" + password + "'");
            // the grants of docs/archive.md#audit on the trail: append and read, nothing else
            statements.add("GRANT SELECT, INSERT ON `" + mysql.database() + "`.`archive_audit` TO " + account);
        }
        statements.add("FLUSH PRIVILEGES");
        MySqlProvisioner.asAdmin(mysql.host(), mysql.port(), "create the services' user of " + mysql.database(), statements);
    }

    @AfterAll
    static void stop() throws SQLException {
        if (user != null) {
            List<String> drops = new ArrayList<>();
            for (String host : List.of("localhost", "127.0.0.1", "%")) {
                drops.add("DROP USER IF EXISTS '" + user + "'@'" + host + "'");
            }
            MySqlProvisioner.asAdmin(mysql.host(), mysql.port(), "drop the services' user", drops);
        }
        if (mysql != null) {
            mysql.close();
        }
    }

    private static Connection asServices() throws SQLException {
        return DriverManager.getConnection(mysql.jdbcUrl(), user, password);
    }

    @Test
    void promise9_theServicesUserAppendsToTheTrailAndReadsItButCannotChangeIt() throws SQLException {
        try (Connection connection = asServices()) {
            try (PreparedStatement insert = connection.prepareStatement(LedgerSql.AUDIT_INSERT)) {
                insert.setLong(1, 1_000L);
                insert.setString(2, "deleter-service");
                insert.setString(3, LedgerSql.AUDIT_BATCH_DELETED);
                insert.setString(4, "run");
                insert.setString(5, "run");
                insert.setString(6, "run-1");
                insert.setString(7, "run-1-0001");
                insert.setLong(8, 42);
                insert.setString(9, "[\"run-archive/a.csv.gz\"]");
                insert.setString(10, "{\"objectSha256\":\"" + "a".repeat(64) + "\"}");
                insert.setString(11, null);
                assertThat(insert.executeUpdate()).isEqualTo(1);
            }
            try (PreparedStatement since = connection.prepareStatement(LedgerSql.AUDIT_SINCE)) {
                since.setString(1, "run");
                since.setString(2, "run");
                since.setLong(3, 0);
                since.setInt(4, 10);
                try (ResultSet rs = since.executeQuery()) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getString("batch_id")).isEqualTo("run-1-0001");
                    assertThat(rs.getLong("row_count")).isEqualTo(42);
                }
            }
            try (Statement statement = connection.createStatement()) {
                for (String change : List.of("UPDATE archive_audit SET row_count = 0", "DELETE FROM archive_audit",
                        "TRUNCATE TABLE archive_audit", "DROP TABLE archive_audit")) {
                    assertThatThrownBy(() -> statement.executeUpdate(change)).as(change).isInstanceOfSatisfying(SQLException.class,
                            e -> assertThat(e.getErrorCode()).isEqualTo(TABLE_ACCESS_DENIED));
                }
            }
        }
        try (Connection owner = DriverManager.getConnection(mysql.jdbcUrl(), mysql.user(), mysql.password());
                Statement statement = owner.createStatement();
                ResultSet rs = statement.executeQuery("SELECT COUNT(*), SUM(row_count) FROM archive_audit")) {
            rs.next();
            assertThat(rs.getLong(1)).as("the row stands, unchanged").isEqualTo(1);
            assertThat(rs.getLong(2)).isEqualTo(42);
        }
    }

    @Test
    void aBatchIsAuditedOnceForAnAction() throws SQLException {
        try (Connection connection = asServices(); PreparedStatement insert = connection.prepareStatement(LedgerSql.AUDIT_INSERT)) {
            for (int i = 0; i < 2; i++) {
                insert.setLong(1, 2_000L + i);
                insert.setString(2, "deleter-service");
                insert.setString(3, LedgerSql.AUDIT_BATCH_MOVED);
                insert.setString(4, "run");
                insert.setString(5, "run");
                insert.setString(6, "run-2");
                insert.setString(7, "run-2-0001");
                insert.setLong(8, 7);
                insert.setString(9, "[]");
                insert.setString(10, "{}");
                insert.setString(11, null);
                if (i == 0) {
                    assertThat(insert.executeUpdate()).isEqualTo(1);
                } else {
                    assertThatThrownBy(insert::executeUpdate).isInstanceOf(SQLException.class).hasMessageContaining("Duplicate");
                }
            }
        }
    }
}
