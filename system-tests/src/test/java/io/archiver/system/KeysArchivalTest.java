package io.archiver.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import io.archiver.events.ArchiveMode;
import io.archiver.events.ArchiveRequested;
import io.archiver.events.ArchiveRunCompleted;
import io.archiver.events.RunOutcome;
import io.archiver.localstack.pipeline.PipelineDriver;
import io.archiver.localstack.services.ArchiverService;
import io.archiver.rows.RowsDigest;
import io.archiver.rows.ShardFormat;

/**
 * Keys on the real stack (issue 22 item 1, docs/keys.md): tables whose primary key is not one signed integer column, each
 * archived by the four prod jars in DELETE mode with batches as ranges of the whole key: a composite key {@code (basketId
 * BIGINT, positionId INT, businessDate DATE)}, a {@code VARCHAR(40)} key in utf8mb4 with a case-insensitive collation, and a
 * BIGINT UNSIGNED key around 2^63 and up to its maximum. Young rows sit between the old ones in key order. Checked per table:
 * the run archived exactly the rows before the cutoff, value for value, with the digests the ledger recorded; the objects'
 * names give their key ranges readably; the rows at and after the cutoff are still in the table as they were.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KeysArchivalTest {

    private static final int BATCH_SIZE = 4;
    private static final DateTimeFormatter DAY = DateTimeFormatter.BASIC_ISO_DATE;

    /** One table, its key and its rows: each row's values in the CSV's text, key columns first, and whether it is old. */
    private enum Keyed {
        COMPOSITE("baskets", "basket_position", "basketId BIGINT NOT NULL, positionId INT NOT NULL, businessDate DATE NOT NULL",
                "basketId, positionId, businessDate", List.of(
                        row(true, "42", "7", "2025-06-15"), row(false, "42", "7", "2025-06-16"), row(true, "42", "8", "2025-01-01"),
                        row(true, "43", "-1", "2025-06-16"), row(true, "43", "2", "2024-12-31"), row(false, "43", "2", "2025-01-01"),
                        row(true, "9000000000", "1", "2025-01-02"), row(true, "9000000000", "2", "2025-01-02"),
                        row(true, "9000000001", "-2147483648", "1999-01-01"), row(false, "9000000001", "0", "2030-01-01"))),
        TEXT("codes", "coupon_code", "code VARCHAR(40) CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci NOT NULL", "code", List.of(
                row(true, "a"), row(false, "Äpfel"), row(true, "B"), row(true, "c"), row(true, "x y"), row(false, "ß"),
                row(true, "Zürich"), row(true, "-"), row(true, "日本"))),
        UNSIGNED("bigids", "big_ids", "id BIGINT UNSIGNED NOT NULL", "id", List.of(
                row(true, "0"), row(true, "9223372036854775806"), row(true, "9223372036854775807"), row(false, "9223372036854775808"),
                row(true, "9223372036854775809"), row(true, "18446744073709551614"), row(true, "18446744073709551615")));

        final String policy;
        final String table;
        final String keyDefinition;
        final String key;
        final List<List<String>> rows;

        Keyed(String policy, String table, String keyDefinition, String key, List<List<String>> rows) {
            this.policy = policy;
            this.table = table;
            this.keyDefinition = keyDefinition;
            this.key = key;
            this.rows = rows;
        }

        int keyColumns() {
            return key.split(",").length;
        }

        String prefix() {
            return policy + "-archive/";
        }
    }

    /** A row: "old" or "young" first, then its key's parts. */
    private static List<String> row(boolean old, String... key) {
        List<String> row = new ArrayList<>();
        row.add(old ? "old" : "young");
        row.addAll(List.of(key));
        return row;
    }

    private SystemStack system;
    private Instant cutoff;
    private final Map<Keyed, ArchiveRunCompleted> completed = new EnumMap<>(Keyed.class);
    private final Map<Keyed, Map<String, ShardFormat.Parsed>> objects = new EnumMap<>(Keyed.class);

    @BeforeAll
    void archiveEveryTable() throws Exception {
        system = SystemStack.start("keys", 100, 0.5, stack -> policies());
        cutoff = Instant.now().minus(PipelineDriver.SIXTY_DAYS).minus(Duration.ofHours(1)).truncatedTo(ChronoUnit.SECONDS);
        try (Connection connection = system.jdbc()) {
            for (Keyed keyed : Keyed.values()) {
                execute(connection, "CREATE TABLE " + keyed.table + " (" + keyed.keyDefinition + ", booked BIGINT NOT NULL, note VARCHAR(40) NULL,"
                        + " PRIMARY KEY (" + keyed.key + "), KEY idx_" + keyed.table + "_booked (booked))");
                String marks = "?, ".repeat(keyed.keyColumns());
                try (PreparedStatement insert = connection.prepareStatement("INSERT INTO " + keyed.table + " VALUES (" + marks + "?, ?)")) {
                    for (List<String> row : keyed.rows) {
                        for (int i = 0; i < keyed.keyColumns(); i++) {
                            insert.setString(i + 1, row.get(i + 1));
                        }
                        insert.setLong(keyed.keyColumns() + 1, booked(row));
                        insert.setString(keyed.keyColumns() + 2, note(row));
                        insert.executeUpdate();
                    }
                }
                execute(connection, "CREATE TABLE " + keyed.table + "_before AS SELECT * FROM " + keyed.table);
            }
        }
        for (Keyed keyed : Keyed.values()) {
            ArchiveRequested request = ArchiveRequested.of(PipelineDriver.newRunId(), keyed.policy, keyed.table, cutoff.toEpochMilli(),
                    ArchiveMode.DELETE, "keys-test", false, null);
            system.driver.trigger(request);
            completed.put(keyed, system.driver.awaitCompletion(request.runId(), Duration.ofMinutes(5)));
            objects.put(keyed, ArchivedObjects.parsedOfRun(system.bucket, keyed.prefix(), request.runId()));
        }
    }

    @AfterAll
    void stop() {
        if (system != null) {
            system.close();
        }
    }

    private static Map<ArchiverService, Map<String, String>> policies() {
        Map<String, String> env = new HashMap<>();
        for (Keyed keyed : Keyed.values()) {
            String prefix = "ARCHIVER_POLICIES_" + keyed.policy.toUpperCase(java.util.Locale.ROOT) + "_";
            env.put(prefix + "TABLE", keyed.table);
            env.put(prefix + "KEY", keyed.key.replace(" ", ""));
            env.put(prefix + "DATE_COLUMN", "booked");
            env.put(prefix + "PREFIX", keyed.prefix().substring(0, keyed.prefix().length() - 1));
            env.put(prefix + "MODE", ArchiveMode.DELETE.name());
            env.put(prefix + "BATCH_SIZE", Integer.toString(BATCH_SIZE));
            env.put(prefix + "CONFIRM_FIRST_RUN", "false");
            env.put(prefix + "MAX_SHARE_PER_RUN", "1");
            env.put(prefix + "ALLOW_WHOLE_TABLE", "true");
        }
        return SystemStack.everyService(env);
    }

    /** An old row a day and some minutes before the cutoff, a young one at the cutoff (it stays). */
    private long booked(List<String> row) {
        return row.get(0).equals("old") ? cutoff.minus(Duration.ofDays(1)).toEpochMilli() - row.hashCode() % 1000 : cutoff.toEpochMilli();
    }

    private static String note(List<String> row) {
        return "row " + String.join("|", row.subList(1, row.size())) + " é";
    }

    private List<List<String>> oldRows(Keyed keyed) {
        List<List<String>> old = new ArrayList<>();
        for (List<String> row : keyed.rows) {
            if (row.get(0).equals("old")) {
                List<String> values = new ArrayList<>(row.subList(1, row.size()));
                values.add(Long.toString(booked(row)));
                values.add(note(row));
                old.add(values);
            }
        }
        return old;
    }

    @Test
    @Order(1)
    void everyRunArchivedExactlyTheRowsBeforeTheCutoff() {
        for (Keyed keyed : Keyed.values()) {
            ArchiveRunCompleted done = completed.get(keyed);
            int old = oldRows(keyed).size();
            assertThat(done.outcome()).as(keyed + " run: " + done.stats()).isEqualTo(RunOutcome.SUCCEEDED);
            assertThat(done.stats().rowsRemoved()).as(keyed + " rows removed").isEqualTo(old);
            assertThat(objects.get(keyed)).as(keyed + " objects").hasSize((old + BATCH_SIZE - 1) / BATCH_SIZE);
        }
    }

    @Test
    @Order(2)
    void theObjectsHoldTheRowsBeforeTheCutoffValueForValue() {
        for (Keyed keyed : Keyed.values()) {
            List<List<String>> archived = new ArrayList<>();
            for (ShardFormat.Parsed object : objects.get(keyed).values()) {
                List<String> header = new ArrayList<>(List.of(keyed.key.split(", ")));
                header.add("booked");
                header.add("note");
                assertThat(object.header()).isEqualTo(header);
                archived.addAll(object.rows());
            }
            // strings are ordered by their collation, in SQL: the set of rows is compared here, the order by the names below
            assertThat(archived).as(keyed + ": the objects' rows").containsExactlyInAnyOrderElementsOf(oldRows(keyed));
        }
        // the composite key's order is the numbers' and dates': the rows come in it
        List<List<String>> composite = new ArrayList<>();
        objects.get(Keyed.COMPOSITE).values().forEach(o -> composite.addAll(o.rows()));
        assertThat(composite).containsExactlyElementsOf(oldRows(Keyed.COMPOSITE));
    }

    @Test
    @Order(3)
    void theObjectsNamesGiveTheirKeyRangesReadably() {
        String day = DAY.format(completed.get(Keyed.COMPOSITE).occurredAt().atZone(ZoneOffset.UTC).toLocalDate());
        String runId = completed.get(Keyed.COMPOSITE).runId();
        assertThat(objects.get(Keyed.COMPOSITE).keySet()).containsExactlyInAnyOrder(
                "baskets-archive/basket_position_archive_" + day + "_baskets_42.7.20250615-43.2.20241231_" + runId + ".csv.gz",
                "baskets-archive/basket_position_archive_" + day + "_baskets_9000000000.1.20250102-9000000001.m2147483648.19990101_" + runId
                        + ".csv.gz");
        String unsignedRun = completed.get(Keyed.UNSIGNED).runId();
        assertThat(objects.get(Keyed.UNSIGNED).keySet()).containsExactlyInAnyOrder(
                "bigids-archive/big_ids_archive_" + day + "_bigids_0-9223372036854775809_" + unsignedRun + ".csv.gz",
                "bigids-archive/big_ids_archive_" + day + "_bigids_18446744073709551614-18446744073709551615_" + unsignedRun + ".csv.gz");
        assertThat(objects.get(Keyed.TEXT).keySet()).allSatisfy(key -> assertThat(key).matches(
                "codes-archive/coupon_code_archive_" + day + "_codes_[A-Za-z0-9_]+-[A-Za-z0-9_]+_" + completed.get(Keyed.TEXT).runId()
                        + "\\.csv\\.gz"));
    }

    @Test
    @Order(4)
    void eachObjectsRowsHaveTheDigestTheLedgerRecorded() throws SQLException {
        for (Keyed keyed : Keyed.values()) {
            Map<String, String> recorded = new HashMap<>();
            try (Connection connection = system.jdbc();
                    PreparedStatement query = connection.prepareStatement("SELECT object_key, rows_digest FROM archive_batch WHERE run_id = ?")) {
                query.setString(1, completed.get(keyed).runId());
                try (ResultSet rs = query.executeQuery()) {
                    while (rs.next()) {
                        recorded.put(rs.getString(1), rs.getString(2));
                    }
                }
            }
            assertThat(recorded.keySet()).isEqualTo(objects.get(keyed).keySet());
            objects.get(keyed).forEach((key, parsed) -> {
                RowsDigest digest = new RowsDigest();
                parsed.rows().forEach(digest::add);
                assertThat(digest.hex()).as(key).isEqualTo(recorded.get(key));
            });
        }
    }

    @Test
    @Order(5)
    void promise2_theRowsAtAndAfterTheCutoffAreUntouched() throws SQLException {
        try (Connection connection = system.jdbc()) {
            for (Keyed keyed : Keyed.values()) {
                long young = keyed.rows.stream().filter(r -> r.get(0).equals("young")).count();
                assertThat(count(connection, "SELECT COUNT(*) FROM " + keyed.table)).as(keyed + " rows left").isEqualTo(young);
                String join = String.join(" AND ", java.util.Arrays.stream(keyed.key.split(", ")).map(c -> "t." + c + " = b." + c).toList());
                assertThat(count(connection, "SELECT COUNT(*) FROM " + keyed.table + " t JOIN " + keyed.table + "_before b ON " + join
                        + " WHERE t.booked = b.booked AND t.note = b.note AND b.booked >= " + cutoff.toEpochMilli()))
                        .as(keyed + " young rows left as they were").isEqualTo(young);
            }
        }
    }

    private static void execute(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private static long count(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
