package io.archiver.ctl;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.archiver.ctl.Cli.Result;
import io.archiver.ledger.LedgerSql;
import io.archiver.policy.ControlDatabase;

/** archivectl audit on a real migrated control database: every entry, by policy, since a time, as JSON. */
class AuditCommandTest {

    private static final long DAY_1 = 1_764_547_200_000L; // 2025-12-01T00:00:00Z

    private static ControlDatabase db;

    @BeforeAll
    static void start() throws SQLException {
        db = ControlDatabase.start("archivectl-audit-test");
        try (Connection connection = db.connect(); PreparedStatement insert = connection.prepareStatement(LedgerSql.AUDIT_INSERT)) {
            entry(insert, DAY_1, LedgerSql.AUDIT_BATCH_DELETED, "run", "run-a", "run-a-0001", 1200, "run-archive/a.csv.gz");
            entry(insert, DAY_1 + 86_400_000L, LedgerSql.AUDIT_BATCH_MOVED, "orders", "run-b", "run-b-0001", 30, "orders-archive/b.csv.gz");
            entry(insert, DAY_1 + 2 * 86_400_000L, LedgerSql.AUDIT_BATCH_DELETED, "run", "run-c", "run-c-0002", 7, "run-archive/c.csv.gz");
        }
    }

    private static void entry(PreparedStatement insert, long at, String action, String policy, String run, String batch, long rows,
            String key) throws SQLException {
        insert.setLong(1, at);
        insert.setString(2, "deleter-service");
        insert.setString(3, action);
        insert.setString(4, policy);
        insert.setString(5, policy);
        insert.setString(6, run);
        insert.setString(7, batch);
        insert.setLong(8, rows);
        insert.setString(9, "[\"" + key + "\"]");
        insert.setString(10, "{\"objectSha256\":\"" + "b".repeat(64) + "\"}");
        insert.setString(11, null);
        insert.executeUpdate();
    }

    @AfterAll
    static void stop() {
        if (db != null) {
            db.close();
        }
    }

    private static Result ctl(String... args) {
        return Cli.run(Map.of("ARCHIVER_DB_URL", db.mysql.jdbcUrl(), "ARCHIVER_DB_USER", db.mysql.user(), "ARCHIVER_DB_PASSWORD",
                db.mysql.password()), args);
    }

    @Test
    void everyEntryOldestFirstWithWhoWhatHowManyAndWhichObjects() {
        Result all = ctl("audit");
        assertThat(all.exitCode()).as(all.toString()).isZero();
        assertThat(all.out()).contains("2025-12-01T00:00:00Z").contains("deleter-service").contains("BATCH_MOVED").contains("1,200")
                .contains("[\"run-archive/a.csv.gz\"]").contains("3 entries");
        assertThat(all.out().indexOf("run-a-0001")).isLessThan(all.out().indexOf("run-b-0001"));
        assertThat(all.out().indexOf("run-b-0001")).isLessThan(all.out().indexOf("run-c-0002"));
    }

    @Test
    void byPolicyAndSince() {
        Result run = ctl("audit", "--policy", "run", "--since", "2025-12-02T00:00:00Z", "--json");
        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out().lines().toList()).singleElement().asString().contains("\"batchId\":\"run-c-0002\"").contains("\"rows\":7")
                .contains("\"objectKeys\":[\"run-archive/c.csv.gz\"]").contains("\"objectSha256\":\"" + "b".repeat(64) + "\"");
        Result orders = ctl("audit", "--policy", "orders");
        assertThat(orders.out()).contains("run-b-0001").doesNotContain("run-a-0001").contains("1 entries");
    }
}
