package io.archiver.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The source store on a real MySQL: versioned with history like the policies, idempotent, the password never stored in clear. */
class SourceStoreTest {

    private static final String PASSWORD = "Tr0ub4dor&3-source";
    private static final Map<String, String> ENV = Map.of("SHOP_PW", PASSWORD, SecretBox.KEY_VARIABLE,
            Base64.getEncoder().encodeToString("0123456789abcdef0123456789abcdef".getBytes()));

    private static ControlDatabase db;

    @BeforeAll
    static void start() {
        db = ControlDatabase.start("source-store-test");
    }

    @AfterAll
    static void stop() {
        if (db != null) {
            db.close();
        }
    }

    private static SourceSpec shop(String host) {
        return source("shop", host);
    }

    private static SourceSpec source(String name, String host) {
        return SourceFile.parse("f", "sources: {" + name + ": {host: " + host + ", database: shop, user: archiver, tls: DISABLED,"
                + " password-encrypted-from-env: SHOP_PW}}", ENV::get).get(0);
    }

    @Test
    void applyKeepsEveryChangeWithWhoAndWhenAndIsIdempotent() throws SQLException {
        try (Connection connection = db.connect()) {
            SourceStore store = new SourceStore(connection);
            assertThat(store.plan(List.of(shop("db1")))).extracting(PolicyChange::headline).containsExactly("source shop: CREATE version 1");
            assertThat(store.find("shop")).isEmpty();
            assertThat(store.apply(List.of(shop("db1")), "alice")).extracting(PolicyChange::kind).containsExactly(PolicyChange.Kind.CREATE);
            // the same source, its password encrypted afresh: no change, no history
            assertThat(store.apply(List.of(shop("db1")), "bob")).isEmpty();
            List<PolicyChange> moved = store.apply(List.of(shop("db2")), "bob");
            assertThat(moved).singleElement().satisfies(c -> {
                assertThat(c.headline()).isEqualTo("source shop: UPDATE to version 2");
                assertThat(c.diff()).containsExactly("~ host: db1 -> db2");
            });
            assertThat(store.setEnabled("shop", false, "carol")).map(PolicyChange::kind).contains(PolicyChange.Kind.DISABLE);
            StoredSource stored = store.find("shop").orElseThrow();
            assertThat(stored.version()).isEqualTo(3);
            assertThat(stored.updatedBy()).isEqualTo("carol");
            assertThat(stored.spec().enabled()).isFalse();
            assertThat(stored.spec().password().resolve("shop", ENV::get)).isEqualTo(PASSWORD);
            assertThat(store.history("shop")).extracting(PolicyHistoryEntry::version, PolicyHistoryEntry::kind, PolicyHistoryEntry::actor)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple(1, PolicyChange.Kind.CREATE, "alice"),
                            org.assertj.core.groups.Tuple.tuple(2, PolicyChange.Kind.UPDATE, "bob"),
                            org.assertj.core.groups.Tuple.tuple(3, PolicyChange.Kind.DISABLE, "carol"));
            // the audit trail has the same three changes, written with them (source changes name no policy)
            List<String> audited = new java.util.ArrayList<>();
            try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery("SELECT action, actor, detail"
                    + " FROM archive_audit WHERE action LIKE 'SOURCE\\_%' AND policy IS NULL AND detail LIKE 'source shop %' ORDER BY id")) {
                while (rows.next()) {
                    audited.add(rows.getString(1) + " " + rows.getString(2) + " " + rows.getString(3));
                }
            }
            assertThat(audited).containsExactly("SOURCE_CREATED alice " + "source shop version 1 CREATE: " + String.join("; ",
                    PolicyChange.between("source", "shop", null, 0, shop("db1").settings()).orElseThrow().diff()),
                    "SOURCE_UPDATED bob source shop version 2 UPDATE: ~ host: db1 -> db2",
                    "SOURCE_DISABLED carol source shop version 3 DISABLE: ~ enabled: true -> false");
        }
    }

    @Test
    void thePasswordIsInNoColumnOfTheControlDatabase() throws SQLException {
        try (Connection connection = db.connect()) {
            new SourceStore(connection).apply(List.of(source("vault", "db1")), "alice");
            StringBuilder everything = new StringBuilder();
            for (String table : List.of("archive_source", "archive_source_history", "archive_audit")) {
                try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery("SELECT * FROM " + table)) {
                    while (rows.next()) {
                        for (int c = 1; c <= rows.getMetaData().getColumnCount(); c++) {
                            everything.append(rows.getString(c)).append('|');
                        }
                    }
                }
            }
            assertThat(everything.toString()).contains("encrypted (digest").doesNotContain(PASSWORD);
        }
    }

    @Test
    void aCallerOfTheControlDatabaseOnlyIsRefusedAPolicyOfASourceSayingWhy() throws SQLException {
        try (Connection connection = db.connect()) {
            new SourceStore(connection).apply(List.of(source("elsewhere", "db9")), "alice");
            PolicySpec orders = PolicyFile.parse("f", "policies: {far: {table: orders, source: elsewhere}}").get(0);
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> new PolicyStore(connection).checkLiveTables("f", List.of(orders)))
                    .isInstanceOfSatisfying(PolicyFileException.class, e -> assertThat(e.problems()).singleElement().asString()
                            .startsWith("policy far: cannot reach source elsewhere (archiver@db9:3306/shop): this caller reaches the"
                                    + " control database only"));
        }
    }

    @Test
    void aPasswordFileIsReadWithoutItsTrailingNewline(@TempDir Path dir) throws Exception {
        Path secret = Files.writeString(dir.resolve("password"), "from-a-secret\n");
        SourceSpec billing = SourceFile.parse("f", "sources: {billing: {host: db1, database: b, user: a, password-file: " + secret + "}}",
                Map.<String, String>of()::get).get(0);
        assertThat(billing.password().resolve("billing", Map.<String, String>of()::get)).isEqualTo("from-a-secret");
        SourceSpec env = SourceFile.parse("f", "sources: {env: {host: db1, database: b, user: a, password-env: NOT_SET_HERE}}",
                Map.<String, String>of()::get).get(0);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> env.password().resolve("env", Map.<String, String>of()::get))
                .hasMessageContaining("$NOT_SET_HERE is not set");
    }

    @Test
    void aPolicyNamesItsSourceAndOneOnTheControlDatabaseKeepsItsFormerSettings() throws SQLException {
        try (Connection connection = db.connect()) {
            PolicyStore store = new PolicyStore(connection);
            PolicySpec orders = PolicyFile.parse("f", "policies: {orders: {table: orders, source: shop}}").get(0);
            assertThat(orders.source()).isEqualTo("shop");
            assertThat(store.apply(List.of(orders), "alice")).singleElement().satisfies(c -> assertThat(c.diff()).contains("+ source: shop"));
            assertThat(store.find("orders").orElseThrow().spec()).isEqualTo(orders);
            assertThat(store.find("run").orElseThrow().spec().source()).isEqualTo(SourceSpec.CONTROL);
            assertThat(store.find("run").orElseThrow().spec().settings()).doesNotContainKey("source");
            PolicySpec back = PolicyFile.parse("f", "policies: {orders: {table: orders}}").get(0);
            assertThat(store.apply(List.of(back), "bob")).singleElement()
                    .satisfies(c -> assertThat(c.diff()).containsExactly("~ source: shop -> (default)"));
        }
    }
}
