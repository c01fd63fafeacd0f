package io.archiver.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.archiver.events.ArchiveMode;

/** The policy store on a real MySQL: versioned, with history, idempotent, all or nothing. */
class PolicyStoreTest {

    private static ControlDatabase db;

    @BeforeAll
    static void start() {
        db = ControlDatabase.start("policy-store-test");
    }

    @AfterAll
    static void stop() {
        if (db != null) {
            db.close();
        }
    }

    private static PolicySpec events() {
        return PolicySpec.defaults("events", "events");
    }

    @Test
    void theRunPolicyIsThereAfterTheMigrationWithTheSettingsThePropertiesHad() throws SQLException {
        try (Connection connection = db.connect()) {
            PolicyStore store = new PolicyStore(connection);
            StoredPolicy run = store.find("run").orElseThrow();
            // the defaults of a new policy, but the 10,000 rows per batch run always had (a new policy's default is now larger)
            assertThat(run.spec()).isEqualTo(PolicyFile.withSettings(PolicySpec.defaults("run", "run"), java.util.Map.of("batch-size", 10_000)));
            assertThat(run.spec().archiveTable()).isEqualTo("run_archive");
            assertThat(run.spec().prefix()).isEqualTo("run-archive");
            assertThat(run.version()).isEqualTo(1);
            List<PolicyHistoryEntry> history = store.history("run");
            assertThat(history).hasSize(1);
            assertThat(history.get(0).actor()).isEqualTo("migration V9");
            // written by V9, before date-zone (V10) was a setting: the run policy's settings as they were then
            java.util.Map<String, Object> before = new java.util.LinkedHashMap<>(run.spec().settings());
            before.remove("date-zone");
            assertThat(history.get(0).newValue()).isEqualTo(PolicyStore.json(before));
        }
    }

    @Test
    void applyingTheSameSpecTwiceChangesNothingTheSecondTime() throws SQLException {
        try (Connection connection = db.connect()) {
            PolicyStore store = new PolicyStore(connection);
            PolicySpec spec = PolicySpec.defaults("twice", "twice");
            assertThat(store.apply(List.of(spec), "alice")).extracting(PolicyChange::kind).containsExactly(PolicyChange.Kind.CREATE);
            assertThat(store.plan(List.of(spec))).isEmpty();
            assertThat(store.apply(List.of(spec), "bob")).isEmpty();
            StoredPolicy stored = store.find("twice").orElseThrow();
            assertThat(stored.version()).isEqualTo(1);
            assertThat(stored.updatedBy()).isEqualTo("alice");
            assertThat(store.history("twice")).hasSize(1);
        }
    }

    @Test
    void aScheduleIsStoredWithItsHistoryAndRemovedByOff() throws SQLException {
        try (Connection connection = db.connect()) {
            PolicyStore store = new PolicyStore(connection);
            PolicySpec nightly = PolicySpec.defaults("nightly", "nightly").withSchedule("0 0 2 * * ?");
            store.apply(List.of(nightly), "alice");
            assertThat(store.find("nightly").orElseThrow().spec()).isEqualTo(nightly);
            assertThat(store.find("nightly").orElseThrow().spec().withEnabled(false).schedule()).isEqualTo("0 0 2 * * ?");
            assertThat(store.apply(List.of(nightly.withSchedule("off")), "bob")).singleElement()
                    .satisfies(change -> assertThat(change.diff()).containsExactly("~ schedule: 0 0 2 * * ? -> (default)"));
            assertThat(store.find("nightly").orElseThrow().spec().schedule()).isNull();
            assertThat(store.history("nightly")).extracting(PolicyHistoryEntry::newValue).first().asString().contains("\"schedule\":\"0 0 2 * * ?\"");
            assertThatThrownBy(() -> store.apply(List.of(nightly.withSchedule("0 2 * * *")), "carol")).isInstanceOf(PolicyFileException.class)
                    .hasMessageContaining("policies.nightly.schedule:");
        }
    }

    @Test
    void anUpdateKeepsTheOldAndNewValueWithWhoChangedIt() throws SQLException {
        try (Connection connection = db.connect()) {
            PolicyStore store = new PolicyStore(connection);
            store.apply(List.of(events()), "alice");
            PolicySpec older = new PolicySpec("events", "events", List.of("id"), "msg_sent_date", events().dateKind(), null, Duration.ofDays(90),
                    5000, ArchiveMode.MOVE, "events_archive", "archive/events", 0.5, 100_000L, false, false, true);
            List<PolicyChange> planned = store.plan(List.of(older));
            assertThat(planned).hasSize(1);
            assertThat(planned.get(0).diff()).contains("~ min-age: P60D -> P90D", "~ mode: DELETE -> MOVE",
                    "~ max-rows-per-run: null -> 100000");
            assertThat(store.find("events").orElseThrow().version()).isEqualTo(1);

            List<PolicyChange> applied = store.apply(List.of(older), "bob");
            assertThat(applied).extracting(PolicyChange::kind, PolicyChange::version).containsExactly(
                    org.assertj.core.groups.Tuple.tuple(PolicyChange.Kind.UPDATE, 2));
            StoredPolicy stored = store.find("events").orElseThrow();
            assertThat(stored.spec()).isEqualTo(older);
            assertThat(stored.updatedBy()).isEqualTo("bob");
            List<PolicyHistoryEntry> history = store.history("events");
            assertThat(history).extracting(PolicyHistoryEntry::version, PolicyHistoryEntry::kind, PolicyHistoryEntry::actor).containsExactly(
                    org.assertj.core.groups.Tuple.tuple(1, PolicyChange.Kind.CREATE, "alice"),
                    org.assertj.core.groups.Tuple.tuple(2, PolicyChange.Kind.UPDATE, "bob"));
            assertThat(history.get(0).oldValue()).isNull();
            assertThat(history.get(1).oldValue()).isEqualTo(PolicyStore.json(events().settings()));
            assertThat(history.get(1).newValue()).isEqualTo(PolicyStore.json(older.settings()));
        }
    }

    @Test
    void disableAndEnableAreChangesWithHistoryAndDisablingTwiceIsNone() throws SQLException {
        try (Connection connection = db.connect()) {
            PolicyStore store = new PolicyStore(connection);
            store.apply(List.of(PolicySpec.defaults("toggled", "toggled")), "alice");
            assertThat(store.setEnabled("toggled", false, "carol")).map(PolicyChange::kind).contains(PolicyChange.Kind.DISABLE);
            assertThat(store.setEnabled("toggled", false, "carol")).isEmpty();
            assertThat(store.find("toggled").orElseThrow().spec().enabled()).isFalse();
            assertThat(store.setEnabled("toggled", true, "dave")).map(PolicyChange::kind).contains(PolicyChange.Kind.ENABLE);
            assertThat(store.history("toggled")).extracting(PolicyHistoryEntry::kind).containsExactly(PolicyChange.Kind.CREATE,
                    PolicyChange.Kind.DISABLE, PolicyChange.Kind.ENABLE);
            assertThatThrownBy(() -> store.setEnabled("nosuch", false, "carol")).hasMessageContaining("no such policy");
        }
    }

    @Test
    void everyPolicyChangeIsInTheAuditTrailWithWhoWhenAndWhat() throws SQLException {
        try (Connection connection = db.connect()) {
            PolicyStore store = new PolicyStore(connection);
            long before = System.currentTimeMillis();
            store.apply(List.of(PolicySpec.defaults("audited", "audited")), "alice");
            PolicySpec longer = PolicyFile.withSettings(PolicySpec.defaults("audited", "audited"), java.util.Map.of("min-age", "P90D"));
            store.apply(List.of(longer), "bob");
            store.apply(List.of(longer), "bob"); // no change, no audit row
            store.setEnabled("audited", false, "carol");
            store.setEnabled("audited", true, "dave");
            List<String[]> audit = audit(connection, "audited");
            assertThat(audit).extracting(row -> row[0] + " " + row[1]).containsExactly("POLICY_CREATED alice", "POLICY_UPDATED bob",
                    "POLICY_DISABLED carol", "POLICY_ENABLED dave");
            assertThat(audit).allSatisfy(row -> {
                assertThat(Long.parseLong(row[2])).isGreaterThanOrEqualTo(before);
                assertThat(row[3]).isEqualTo("audited");
            });
            assertThat(audit.get(1)[4]).startsWith("policy audited version 2 UPDATE: ").contains("min-age: P60D -> P90D");
            String oldDigest = sha256(PolicyStore.json(PolicySpec.defaults("audited", "audited").settings()));
            assertThat(audit.get(0)[5]).doesNotContain("oldSettingsSha256").contains("\"newSettingsSha256\":\"" + oldDigest + "\"");
            assertThat(audit.get(1)[5]).contains("\"oldSettingsSha256\":\"" + oldDigest + "\"",
                    "\"newSettingsSha256\":\"" + sha256(PolicyStore.json(longer.settings())) + "\"");
        }
    }

    /** The trail's rows of a policy, oldest first: action, actor, at_ms, table, detail, digests. */
    private static List<String[]> audit(Connection connection, String policy) throws SQLException {
        List<String[]> rows = new java.util.ArrayList<>();
        try (PreparedStatement query = connection.prepareStatement(io.archiver.ledger.LedgerSql.AUDIT_SINCE)) {
            query.setString(1, policy);
            query.setString(2, policy);
            query.setLong(3, 0);
            query.setInt(4, 100);
            try (java.sql.ResultSet rs = query.executeQuery()) {
                while (rs.next()) {
                    rows.add(new String[] {rs.getString("action"), rs.getString("actor"), Long.toString(rs.getLong("at_ms")),
                            rs.getString("table_name"), rs.getString("detail"), rs.getString("digests")});
                }
            }
        }
        return rows;
    }

    private static String sha256(String text) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aFileThatFailsHalfWayChangesNothing() throws SQLException {
        try (Connection connection = db.connect()) {
            PolicyStore store = new PolicyStore(connection);
            // a history row already at version 1 of 'clash' makes the second policy's history insert fail after the first was written
            try (PreparedStatement clash = connection.prepareStatement("INSERT INTO archive_policy_history (name, version, change_kind,"
                    + " new_value, actor, at_ms) VALUES ('clash', 1, 'CREATE', '{}', 'test', 0)")) {
                clash.executeUpdate();
            }
            assertThatThrownBy(() -> store.apply(List.of(PolicySpec.defaults("first", "first"), PolicySpec.defaults("clash", "clash")),
                    "alice")).isInstanceOf(PolicyStoreException.class);
            assertThat(store.find("first")).isEmpty();
            assertThat(store.find("clash")).isEmpty();
            assertThat(store.history("first")).isEmpty();
            // the first policy's audit row was written in the transaction that failed: rolled back with it
            assertThat(audit(connection, "first")).isEmpty();
        }
    }

    @Test
    void anInvalidSpecIsRefusedNamingTheSetting() throws SQLException {
        try (Connection connection = db.connect()) {
            PolicyStore store = new PolicyStore(connection);
            PolicySpec composite = new PolicySpec("composite", "t", List.of("a", "b; DROP TABLE t"), "d", events().dateKind(), null, Duration.ofDays(1), 10,
                    ArchiveMode.DELETE, "t_archive", "t", 0.9, null, false, true, true);
            assertThatThrownBy(() -> store.apply(List.of(composite), "alice")).hasMessageContaining("policies.composite.key:");
            assertThat(store.find("composite")).isEmpty();
        }
    }
}
