package io.archiver.ctl;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.archiver.ctl.Cli.Result;
import io.archiver.localstack.mysql.MySqlProvisioner;
import io.archiver.policy.ControlDatabase;

/** archivectl policy apply, diff, list, show, history, disable and enable on a real migrated control database. */
class PolicyCommandTest {

    private static ControlDatabase db;

    @BeforeAll
    static void start() throws SQLException {
        db = ControlDatabase.start("archivectl-policy-test");
        sql("CREATE TABLE orders (id BIGINT PRIMARY KEY, created_ms BIGINT NOT NULL, total INT, INDEX idx_orders_created_ms (created_ms))");
    }

    private static void sql(String... statements) throws SQLException {
        try (Connection connection = db.connect(); Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        }
    }

    private static long count(String query) throws SQLException {
        try (Connection connection = db.connect(); Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(query)) {
            rows.next();
            return rows.getLong(1);
        }
    }

    @AfterAll
    static void stop() {
        if (db != null) {
            db.close();
        }
    }

    private static Result ctl(String... args) {
        return Cli.run(Map.of("ARCHIVER_DB_URL", db.mysql.jdbcUrl(), "ARCHIVER_DB_USER", db.mysql.user(), "ARCHIVER_DB_PASSWORD",
                db.mysql.password(), "ARCHIVER_ACTOR", "env-actor"), args);
    }

    @Test
    void applyIsDeclarativeIdempotentAndKeepsWhoChangedWhat(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("policies.yaml"), """
                policies:
                  orders:
                    table: orders
                    date-column: created_ms
                    min-age: P90D
                """);
        Result dry = ctl("policy", "apply", "-f", file.toString(), "--dry-run");
        assertThat(dry.exitCode()).as(dry.toString()).isZero();
        assertThat(dry.out()).contains("would apply: policy orders: CREATE version 1", "+ table: orders", "+ min-age: P90D");
        assertThat(ctl("policy", "show", "orders").exitCode()).isEqualTo(1);

        Result applied = ctl("policy", "apply", "-f", file.toString(), "--actor", "alice");
        assertThat(applied.exitCode()).as(applied.toString()).isZero();
        assertThat(applied.out()).contains("policy orders: CREATE version 1");
        Result again = ctl("policy", "apply", "-f", file.toString());
        assertThat(again.out()).contains("no change: every policy is as given");

        Files.writeString(file, Files.readString(file).replace("P90D", "P120D"));
        Result diff = ctl("policy", "diff", "-f", file.toString());
        assertThat(diff.out()).contains("would apply: policy orders: UPDATE to version 2", "~ min-age: P90D -> P120D");
        assertThat(ctl("policy", "apply", "-f", file.toString()).exitCode()).isZero();

        Result list = ctl("policy", "list");
        assertThat(list.out()).containsPattern("orders\\s+orders\\s+DELETE\\s+P120D\\s+orders-archive\\s+off\\s+yes\\s+2\\s+env-actor")
                .containsPattern("run\\s+run\\s+DELETE\\s+P60D\\s+run-archive\\s+off\\s+yes\\s+1\\s+migration V9");
        Result show = ctl("policy", "show", "orders");
        assertThat(show.out()).contains("# version 2, by env-actor", "    date-column: created_ms", "    key: [\"id\"]");

        assertThat(ctl("policy", "disable", "orders", "--actor", "bob").out()).contains("policy orders: DISABLE to version 3");
        assertThat(ctl("policy", "disable", "orders").out()).contains("no change");
        Result history = ctl("policy", "history", "orders");
        assertThat(history.out()).contains("version 1  CREATE  by alice", "version 2  UPDATE  by env-actor", "  ~ min-age: P90D -> P120D",
                "version 3  DISABLE  by bob", "  ~ enabled: true -> false");
        assertThat(ctl("policy", "enable", "orders").out()).contains("ENABLE to version 4");
    }

    @Test
    void aScheduleIsShownAsAFileWritesItListedAndABadOneRefused(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("scheduled.yaml"), """
                policies:
                  nightly_orders:
                    table: orders
                    date-column: created_ms
                    schedule: '*/30 * * * * ?'
                """);
        Result applied = ctl("policy", "apply", "-f", file.toString());
        assertThat(applied.exitCode()).as(applied.toString()).isZero();
        assertThat(applied.out()).contains("+ schedule: */30 * * * * ?");
        Result show = ctl("policy", "show", "nightly_orders");
        assertThat(show.out()).contains("    schedule: '*/30 * * * * ?'");
        // what show prints is a file that applies as no change
        Path shown = Files.writeString(dir.resolve("shown.yaml"), show.out());
        assertThat(ctl("policy", "apply", "-f", shown.toString()).out()).contains("no change");
        assertThat(ctl("policy", "list").out()).containsPattern("nightly_orders\\s+orders\\s+DELETE\\s+P60D\\s+orders-archive\\s+\\*/30 \\* \\* \\* \\* \\?\\s+yes");

        Path crontab = Files.writeString(dir.resolve("crontab.yaml"), "policies:\n  nightly_orders:\n    table: orders\n"
                + "    date-column: created_ms\n    schedule: 0 2 * * *\n");
        Result refused = ctl("policy", "apply", "-f", crontab.toString());
        assertThat(refused.exitCode()).isEqualTo(2);
        assertThat(refused.err()).contains("policies.nightly_orders.schedule: '0 2 * * *' is not a schedule", "'0 0 2 * * ?'");
        assertThat(ctl("policy", "show", "nightly_orders").out()).contains("# version 1");
    }

    @Test
    void aBadFileIsAUsageErrorNamingTheSettingAndChangesNothing(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("bad.yaml"), """
                policies:
                  shipments:
                    table: shipments
                    min-age: 90 days
                    colour: blue
                """);
        Result bad = ctl("policy", "apply", "-f", file.toString());
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.err()).contains("policies.shipments.min-age: '90 days' is not an ISO-8601 duration; write e.g. P60D",
                "policies.shipments.colour: unknown setting");
        assertThat(ctl("policy", "history", "shipments").exitCode()).isEqualTo(1);
    }

    // ---- each policy is checked against its live table before anything is applied (LiveTableCheck)

    /** Applies {@code settings} as policy {@code name} with --dry-run and without; each must be refused with {@code reason}, changing nothing. */
    private static void refused(Path dir, String name, String settings, String reason) throws Exception {
        Path file = Files.writeString(dir.resolve(name + ".yaml"), "policies:\n  " + name + ":\n" + settings.indent(4));
        long policies = count("SELECT COUNT(*) FROM archive_policy");
        long history = count("SELECT COUNT(*) FROM archive_policy_history");
        for (Result result : List.of(ctl("policy", "apply", "-f", file.toString(), "--dry-run"), ctl("policy", "apply", "-f", file.toString()))) {
            assertThat(result.exitCode()).as(result.toString()).isEqualTo(2);
            assertThat(result.err()).as(result.toString()).contains(file + " against the live tables:", "policy " + name + ": " + reason);
            assertThat(result.out()).doesNotContain("CREATE version");
        }
        assertThat(count("SELECT COUNT(*) FROM archive_policy")).isEqualTo(policies);
        assertThat(count("SELECT COUNT(*) FROM archive_policy_history")).isEqualTo(history);
    }

    @Test
    void aPolicyOfAMissingTableIsRefused(@TempDir Path dir) throws Exception {
        refused(dir, "ghost", "table: ghost\ndate-column: created_ms\n", "table ghost does not exist in database " + db.mysql.database()
                + "; create it, or point table: at an existing table");
    }

    @Test
    void aKeyThatIsNotTheWholePrimaryKeyIsRefused(@TempDir Path dir) throws Exception {
        sql("CREATE TABLE order_lines (order_id BIGINT, line BIGINT, created_ms BIGINT, PRIMARY KEY (order_id, line), INDEX (created_ms))",
                "CREATE TABLE keyless (id BIGINT, created_ms BIGINT, INDEX (created_ms))");
        refused(dir, "lines", "table: order_lines\nkey: [order_id]\ndate-column: created_ms\n",
                "key [order_id] is not the whole primary key of order_lines (PRIMARY KEY (order_id, line)); write key: [order_id, line]");
        sql("CREATE TABLE tickets (id BIGINT, ticket_no BIGINT PRIMARY KEY, created_ms BIGINT, INDEX (created_ms))");
        refused(dir, "tickets", "table: tickets\ndate-column: created_ms\n",
                "key [id] is not the whole primary key of tickets (PRIMARY KEY (ticket_no)); write key: [ticket_no]");
        refused(dir, "keyless", "table: keyless\ndate-column: created_ms\n",
                "key [id] is not the whole primary key of keyless (it has none); ALTER TABLE keyless ADD PRIMARY KEY (id)");
    }

    @Test
    void aKeyOfATypeNoRangeCanCarryIsRefusedNamingTheColumnAndWhy(@TempDir Path dir) throws Exception {
        sql("CREATE TABLE stamps (at TIMESTAMP(3) PRIMARY KEY, created_ms BIGINT, INDEX (created_ms))",
                "CREATE TABLE blobs (hash VARBINARY(32) PRIMARY KEY, created_ms BIGINT, INDEX (created_ms))",
                "CREATE TABLE prefixed (code VARCHAR(64), created_ms BIGINT, PRIMARY KEY (code(10)), INDEX (created_ms))");
        refused(dir, "stamps", "table: stamps\nkey: [at]\ndate-column: created_ms\n", "key column stamps.at is TIMESTAMP(3): a TIMESTAMP key's"
                + " value as text depends on the session's time zone");
        refused(dir, "blobs", "table: blobs\nkey: [hash]\ndate-column: created_ms\n", "key column blobs.hash is VARBINARY(32): its bytes have"
                + " no text");
        refused(dir, "prefixed", "table: prefixed\nkey: [code]\ndate-column: created_ms\n", "key column prefixed.code is VARCHAR(64): the"
                + " primary key holds only its first 10 characters");
    }

    @Test
    void compositeStringDateAndUnsignedKeysApply(@TempDir Path dir) throws Exception {
        sql("CREATE TABLE coupons (code VARCHAR(32) COLLATE utf8mb4_general_ci PRIMARY KEY, created_ms BIGINT, INDEX (created_ms))",
                "CREATE TABLE ticks (at DATETIME(3) PRIMARY KEY, created_ms BIGINT, INDEX (created_ms))",
                "CREATE TABLE huge_ids (id BIGINT UNSIGNED PRIMARY KEY, created_ms BIGINT, INDEX (created_ms))",
                "CREATE TABLE positions (basketId BIGINT, positionId INT, businessDate DATE, created_ms BIGINT,"
                        + " PRIMARY KEY (basketId, positionId, businessDate), INDEX (created_ms))");
        Path file = Files.writeString(dir.resolve("keys.yaml"), """
                policies:
                  coupons:
                    table: coupons
                    key: [code]
                    date-column: created_ms
                  ticks:
                    table: ticks
                    key: [at]
                    date-column: created_ms
                  huge:
                    table: huge_ids
                    date-column: created_ms
                  positions:
                    table: positions
                    key: [basketId, positionId, businessDate]
                    date-column: created_ms
                """);
        Result applied = ctl("policy", "apply", "-f", file.toString());
        assertThat(applied.exitCode()).as(applied.toString()).isZero();
        assertThat(count("SELECT COUNT(*) FROM archive_policy WHERE name IN ('coupons', 'ticks', 'huge', 'positions')")).isEqualTo(4);
    }

    @Test
    void aPolicyOfEveryDateKindAppliesOnAColumnOfItsType(@TempDir Path dir) throws Exception {
        sql("CREATE TABLE bookings (id INT UNSIGNED PRIMARY KEY, at_s INT NOT NULL, on_day DATE, at_local DATETIME(6), at_ts TIMESTAMP(3) NULL,"
                + " INDEX (at_s), INDEX (on_day), INDEX (at_local), INDEX (at_ts))");
        Path file = Files.writeString(dir.resolve("dates.yaml"), """
                policies:
                  bookings_s:
                    table: bookings
                    date-column: at_s
                    date-kind: EPOCH_SECONDS
                  bookings_day:
                    table: bookings
                    date-column: on_day
                    date-kind: DATE
                    date-zone: America/New_York
                  bookings_local:
                    table: bookings
                    date-column: at_local
                    date-kind: DATETIME
                    date-zone: Europe/Berlin
                  bookings_ts:
                    table: bookings
                    date-column: at_ts
                    date-kind: TIMESTAMP
                """);
        Result applied = ctl("policy", "apply", "-f", file.toString());
        assertThat(applied.exitCode()).as(applied.toString()).isZero();
        assertThat(count("SELECT COUNT(*) FROM archive_policy WHERE table_name = 'bookings'")).isEqualTo(4);
        assertThat(count("SELECT COUNT(*) FROM archive_policy WHERE name = 'bookings_local' AND date_zone = 'Europe/Berlin'")).isEqualTo(1);
        assertThat(count("SELECT COUNT(*) FROM archive_policy WHERE name = 'bookings_ts' AND date_zone = 'UTC'")).isEqualTo(1);
    }

    @Test
    void aMissingDateColumnIsRefused(@TempDir Path dir) throws Exception {
        refused(dir, "nodate", "table: orders\ndate-column: shipped_ms\n",
                "table orders has no date column shipped_ms; point date-column at one of its columns");
    }

    @Test
    void aDateColumnOfAnotherKindIsRefused(@TempDir Path dir) throws Exception {
        sql("CREATE TABLE visits (id BIGINT PRIMARY KEY, seen_at DATETIME, INDEX (seen_at))");
        refused(dir, "visits", "table: visits\ndate-column: seen_at\ndate-kind: EPOCH_MILLIS\n",
                "date column visits.seen_at is DATETIME, but date-kind EPOCH_MILLIS means epoch milliseconds (BIGINT)");
    }

    @Test
    void aDateColumnThatLeadsNoIndexIsRefused(@TempDir Path dir) throws Exception {
        sql("CREATE TABLE clicks (id BIGINT PRIMARY KEY, created_at BIGINT, INDEX idx_id_created (id, created_at))");
        refused(dir, "clicks", "table: clicks\ndate-column: created_at\n",
                "date column created_at of clicks is not indexed: CREATE INDEX idx_clicks_created_at ON clicks (created_at)");
    }

    @Test
    void aMoveTableWithOtherColumnsIsRefused(@TempDir Path dir) throws Exception {
        sql("CREATE TABLE orders_old (id BIGINT PRIMARY KEY, total INT, created_ms BIGINT NOT NULL)");
        refused(dir, "moved", "table: orders\ndate-column: created_ms\nmode: MOVE\narchive-table: orders_old\n",
                "archive table orders_old has columns (id BIGINT(20), total INT(11), created_ms BIGINT(20)) but orders has (id BIGINT(20),"
                        + " created_ms BIGINT(20), total INT(11)); MOVE copies rows column for column");
        refused(dir, "movednowhere", "table: orders\ndate-column: created_ms\nmode: MOVE\narchive-table: orders_gone\n",
                "archive table orders_gone (MOVE) does not exist: CREATE TABLE orders_gone LIKE orders");
    }

    @Test
    void createArchiveTablesCreatesAMissingMoveTableLikeItsTableOnlyWhenAskedAndOnce(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("created.yaml"), """
                policies:
                  created:
                    table: orders
                    date-column: created_ms
                    mode: MOVE
                    archive-table: orders_created
                """);
        Result without = ctl("policy", "apply", "-f", file.toString());
        assertThat(without.exitCode()).as(without.toString()).isEqualTo(2);
        assertThat(without.err()).contains("archive table orders_created (MOVE) does not exist", "--create-archive-tables");
        assertThat(count("SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'orders_created'"))
                .as("nothing created without the flag").isZero();
        Result dryRun = ctl("policy", "apply", "-f", file.toString(), "--create-archive-tables", "--dry-run");
        assertThat(dryRun.exitCode()).as(dryRun.toString()).isEqualTo(2);
        assertThat(dryRun.err()).contains("--create-archive-tables changes the database and --dry-run changes nothing");

        Result created = ctl("policy", "apply", "-f", file.toString(), "--create-archive-tables");
        assertThat(created.exitCode()).as(created.toString()).isZero();
        assertThat(created.out()).contains("policy created: created archive table orders_created LIKE orders in database " + db.mysql.database(),
                "policy created: CREATE version 1");
        try (Connection connection = db.connect(); Statement statement = connection.createStatement();
                ResultSet ddl = statement.executeQuery("SHOW CREATE TABLE orders_created")) {
            ddl.next();
            assertThat(ddl.getString(2)).contains("`id` bigint(20) NOT NULL", "`created_ms` bigint(20) NOT NULL", "PRIMARY KEY (`id`)");
        }
        Result again = ctl("policy", "apply", "-f", file.toString(), "--create-archive-tables");
        assertThat(again.exitCode()).as(again.toString()).isZero();
        assertThat(again.out()).doesNotContain("created archive table").contains("no change: every policy is as given");
    }

    @Test
    void aUserWithoutDeleteIsRefusedAndAGoodPolicyStillApplies(@TempDir Path dir) throws Exception {
        String user = (db.mysql.database() + "_ro").substring(Math.max(0, db.mysql.database().length() + 3 - 32));
        List<String> statements = new java.util.ArrayList<>();
        for (String host : List.of("localhost", "127.0.0.1", "%")) {
            statements.add("CREATE USER IF NOT EXISTS '" + user + "'@'" + host + "' IDENTIFIED BY 'read-only-pw'");
            statements.add("GRANT SELECT ON `" + db.mysql.database() + "`.* TO '" + user + "'@'" + host + "'");
        }
        MySqlProvisioner.asAdmin(db.mysql.host(), db.mysql.port(), "create a read-only user", statements);
        Path file = Files.writeString(dir.resolve("readonly.yaml"), """
                policies:
                  readonly:
                    table: orders
                    date-column: created_ms
                """);
        Result readOnly = Cli.run(Map.of("ARCHIVER_DB_URL", db.mysql.jdbcUrl(), "ARCHIVER_DB_USER", user, "ARCHIVER_DB_PASSWORD",
                "read-only-pw"), "policy", "apply", "-f", file.toString(), "--dry-run");
        assertThat(readOnly.exitCode()).as(readOnly.toString()).isEqualTo(2);
        assertThat(readOnly.err()).as(readOnly.toString()).containsPattern("policy readonly: user '" + user + "'@'[^']+' lacks DELETE on"
                + " orders: GRANT DELETE ON " + db.mysql.database() + ".orders TO '" + user + "'@'[^']+'");

        // the same policy, applied by the control database's own user (ALL on the database), passes every check and is stored
        Result good = ctl("policy", "apply", "-f", file.toString());
        assertThat(good.exitCode()).as(good.toString()).isZero();
        assertThat(good.out()).contains("policy readonly: CREATE version 1");
        sql("CREATE TABLE orders_archive LIKE orders");
        Files.writeString(file, Files.readString(file) + "    mode: MOVE\n");
        Result move = ctl("policy", "apply", "-f", file.toString());
        assertThat(move.exitCode()).as(move.toString()).isZero();
        assertThat(move.out()).contains("policy readonly: UPDATE to version 2", "~ mode: DELETE -> MOVE");
    }
}
