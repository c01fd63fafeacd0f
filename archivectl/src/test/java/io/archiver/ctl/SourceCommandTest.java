package io.archiver.ctl;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.archiver.ctl.Cli.Result;
import io.archiver.localstack.mysql.MySqlProvisioner;
import io.archiver.localstack.mysql.MySqlServer;
import io.archiver.policy.ControlDatabase;

/**
 * archivectl source apply, diff, list, show, history, disable and enable on a real migrated control database, a second real
 * database as the source, its password never printed; and policy apply checking a policy in its source's database.
 */
class SourceCommandTest {

    private static final String SOURCE_PASSWORD = "Sh0p-s3cret-pw";
    private static final String KEY = Base64.getEncoder().encodeToString("k3y-of-32-bytes-for-aes-gcm-256!".getBytes());

    private static ControlDatabase db;
    private static String shopDb;
    private static String shopUser;

    @BeforeAll
    static void start() throws SQLException {
        db = ControlDatabase.start("archivectl-source-test");
        String suffix = System.getenv("ARCHIVER_MYSQL_DB_SUFFIX");
        shopDb = MySqlServer.namespaced("ctl_src_shop", suffix);
        shopUser = MySqlServer.namespaced("ctl_src_shop_u", suffix);
        MySqlProvisioner.provision(db.mysql.host(), db.mysql.port(), shopDb, shopUser, SOURCE_PASSWORD);
        try (Connection shop = DriverManager.getConnection("jdbc:mariadb://" + db.mysql.host() + ":" + db.mysql.port() + "/" + shopDb,
                shopUser, SOURCE_PASSWORD); Statement statement = shop.createStatement()) {
            statement.execute("DROP TABLE IF EXISTS orders");
            statement.execute("CREATE TABLE orders (id BIGINT PRIMARY KEY, created_ms BIGINT NOT NULL, total INT,"
                    + " INDEX idx_orders_created_ms (created_ms))");
        }
    }

    @AfterAll
    static void stop() {
        if (db != null) {
            db.close();
        }
    }

    private static Map<String, String> env() {
        Map<String, String> env = new HashMap<>(Map.of("ARCHIVER_DB_URL", db.mysql.jdbcUrl(), "ARCHIVER_DB_USER", db.mysql.user(),
                "ARCHIVER_DB_PASSWORD", db.mysql.password(), "ARCHIVER_ACTOR", "env-actor", "ARCHIVER_SOURCE_KEY", KEY));
        env.put("SHOP_PW", SOURCE_PASSWORD);
        return env;
    }

    private static Result ctl(String... args) {
        return Cli.run(env(), args);
    }

    private static Path sourceFile(Path dir, String name, String user, String passwordSetting) throws Exception {
        return Files.writeString(dir.resolve(name + ".yaml"), """
                sources:
                  %s:
                    host: %s
                    port: %d
                    database: %s
                    user: %s
                    tls: DISABLED
                    %s
                """.formatted(name, db.mysql.host(), db.mysql.port(), shopDb, user, passwordSetting));
    }

    private static String everythingIn(String table) throws SQLException {
        StringBuilder all = new StringBuilder();
        try (Connection connection = db.connect(); Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT * FROM " + table)) {
            while (rows.next()) {
                for (int c = 1; c <= rows.getMetaData().getColumnCount(); c++) {
                    all.append(rows.getString(c)).append('|');
                }
            }
        }
        return all.toString();
    }

    @Test
    void aSourceIsVersionedWithItsHistoryAndItsPasswordIsNeverShownNorStoredInClear(@TempDir Path dir) throws Exception {
        Path file = sourceFile(dir, "shop", shopUser, "password-encrypted-from-env: SHOP_PW");
        Result dry = ctl("source", "apply", "-f", file.toString(), "--dry-run");
        assertThat(dry.exitCode()).as(dry.toString()).isZero();
        assertThat(dry.out()).contains("would apply: source shop: CREATE version 1", "+ database: " + shopDb, "+ password: encrypted (digest");
        Result applied = ctl("source", "apply", "-f", file.toString(), "--actor", "alice");
        assertThat(applied.exitCode()).as(applied.toString()).isZero();
        assertThat(ctl("source", "apply", "-f", file.toString()).out()).contains("no change: every source is as given");

        Path moved = sourceFile(dir, "shop", shopUser, "password-env: SHOP_PW");
        Result diff = ctl("source", "diff", "-f", moved.toString());
        assertThat(diff.out()).contains("would apply: source shop: UPDATE to version 2", "~ password: encrypted (digest")
                .contains("-> env SHOP_PW");
        assertThat(ctl("source", "apply", "-f", moved.toString()).exitCode()).isZero();
        assertThat(ctl("source", "disable", "shop", "--actor", "bob").out()).contains("source shop: DISABLE to version 3");
        assertThat(ctl("source", "enable", "shop").out()).contains("source shop: ENABLE to version 4");

        Result list = ctl("source", "list");
        assertThat(list.out()).containsPattern("shop\\s+" + db.mysql.host() + "\\s+" + db.mysql.port() + "\\s+" + shopDb + "\\s+" + shopUser
                + "\\s+DISABLED\\s+env SHOP_PW\\s+yes\\s+4\\s+env-actor");
        Result show = ctl("source", "show", "shop");
        assertThat(show.out()).contains("# version 4, by env-actor", "sources:", "    password: env SHOP_PW", "    tls: DISABLED");
        Result history = ctl("source", "history", "shop");
        assertThat(history.out()).contains("version 1  CREATE  by alice", "version 2  UPDATE  by env-actor", "version 3  DISABLE  by bob",
                "  ~ enabled: true -> false", "version 4  ENABLE  by env-actor");

        for (Result result : List.of(dry, applied, diff, list, show, history)) {
            assertThat(result.out() + result.err()).doesNotContain(SOURCE_PASSWORD);
        }
        assertThat(everythingIn("archive_source") + everythingIn("archive_source_history")).doesNotContain(SOURCE_PASSWORD);
    }

    @Test
    void aSourceThatCannotBeReachedIsRefusedWithoutShowingThePassword(@TempDir Path dir) throws Exception {
        Map<String, String> env = env();
        env.put("WRONG_PW", "not-the-Right-pw-42");
        Path file = sourceFile(dir, "wrong", shopUser, "password-env: WRONG_PW");
        Result refused = Cli.run(env, "source", "apply", "-f", file.toString());
        assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(2);
        assertThat(refused.err()).contains("source wrong (" + shopUser + "@" + db.mysql.host() + ":" + db.mysql.port() + "/" + shopDb
                + "): cannot connect:").doesNotContain("not-the-Right-pw-42");
        assertThat(ctl("source", "show", "wrong").exitCode()).isEqualTo(1);

        Path unset = sourceFile(dir, "unset", shopUser, "password-env: NOT_SET_ANYWHERE");
        Result noPassword = ctl("source", "apply", "-f", unset.toString());
        assertThat(noPassword.exitCode()).isEqualTo(2);
        assertThat(noPassword.err()).contains("source unset: its password variable $NOT_SET_ANYWHERE is not set in this process");
    }

    @Test
    void aPolicyIsCheckedInItsSourcesDatabaseAndRefusedThereWithTheSourceNamed(@TempDir Path dir) throws Exception {
        assertThat(ctl("source", "apply", "-f", sourceFile(dir, "shop2", shopUser, "password-env: SHOP_PW").toString()).exitCode()).isZero();
        Path policies = Files.writeString(dir.resolve("policies.yaml"), """
                policies:
                  shop_orders:
                    source: shop2
                    table: orders
                    date-column: created_ms
                """);
        // orders exists only in the source's database, not in the control database
        Result applied = ctl("policy", "apply", "-f", policies.toString());
        assertThat(applied.exitCode()).as(applied.toString()).isZero();
        assertThat(applied.out()).contains("policy shop_orders: CREATE version 1", "+ source: shop2");

        Path ghost = Files.writeString(dir.resolve("ghost.yaml"), """
                policies:
                  shop_ghost: {source: shop2, table: ghost, date-column: created_ms}
                  nowhere: {source: nosuch, table: orders, date-column: created_ms}
                """);
        Result refused = ctl("policy", "apply", "-f", ghost.toString());
        assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(2);
        assertThat(refused.err()).contains("policy shop_ghost (source shop2): table ghost does not exist in database " + shopDb,
                "policy nowhere: source nosuch is not defined; apply it first (archivectl source apply -f sources.yaml)");
        assertThat(ctl("policy", "show", "shop_ghost").exitCode()).isEqualTo(1);

        assertThat(ctl("source", "disable", "shop2").exitCode()).isZero();
        Result disabled = ctl("policy", "apply", "-f", policies.toString(), "--dry-run");
        assertThat(disabled.exitCode()).isEqualTo(2);
        assertThat(disabled.err()).contains("policy shop_orders: source shop2 is disabled; archivectl source enable shop2");
    }

    @Test
    void aSourceUserWithoutDeleteIsRefusedNamingSourceTableAndGrant(@TempDir Path dir) throws Exception {
        String user = MySqlServer.namespaced("ctl_src_ro", System.getenv("ARCHIVER_MYSQL_DB_SUFFIX"));
        List<String> statements = new java.util.ArrayList<>();
        for (String host : List.of("localhost", "127.0.0.1", "%")) {
            statements.add("CREATE USER IF NOT EXISTS '" + user + "'@'" + host + "' IDENTIFIED BY 'ro-source-pw'");
            statements.add("GRANT SELECT ON `" + shopDb + "`.`orders` TO '" + user + "'@'" + host + "'");
        }
        MySqlProvisioner.asAdmin(db.mysql.host(), db.mysql.port(), "create a read-only source user", statements);
        Map<String, String> env = env();
        env.put("RO_PW", "ro-source-pw");
        assertThat(Cli.run(env, "source", "apply", "-f", sourceFile(dir, "readonly", user, "password-env: RO_PW").toString()).exitCode())
                .isZero();
        Path policies = Files.writeString(dir.resolve("ro.yaml"), """
                policies:
                  ro_orders: {source: readonly, table: orders, date-column: created_ms}
                """);
        Result refused = Cli.run(env, "policy", "apply", "-f", policies.toString());
        assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(2);
        assertThat(refused.err()).containsPattern("policy ro_orders \\(source readonly\\): user '" + user + "'@'[^']+' lacks DELETE on"
                + " orders: GRANT DELETE ON " + shopDb + ".orders TO '" + user + "'@'[^']+'");
        assertThat(refused.err()).doesNotContain("ro-source-pw");
    }
}
