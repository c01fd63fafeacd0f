package io.archiver.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
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
import io.archiver.rows.ShardFormat;

/**
 * Date columns on the real stack (issue 22 item 2): three tables archived by the four prod jars, each by its own policy of
 * another date kind: a DATETIME(3) in America/New_York wall-clock time (policy {@code date-zone}, DELETE), a TIMESTAMP(6)
 * written in a {@code +05:30} session (MOVE), and epoch seconds in an INT UNSIGNED with an INT UNSIGNED key (DELETE). Each
 * has rows before the cutoff, one a unit of its column before it (a millisecond, a microsecond, a second), one exactly at
 * it, one a unit after it and one a day after it. Checked per table: the run archived exactly the rows before the cutoff;
 * the objects hold them value for value in their documented text (docs/csv-format.md), with the digests the ledger
 * recorded; the rows at and after the cutoff are still in the table as they were; the MOVE table holds the moved rows as
 * they were.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DateColumnsArchivalTest {

    private static final int BATCH_SIZE = 5;
    private static final int OLD_ROWS = 20;
    private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
    private static final DateTimeFormatter MILLIS = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss.SSS");
    private static final DateTimeFormatter MICROS = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss.SSSSSS");

    /** One table and its policy. */
    private enum Dated {
        LOCAL("localtimes", "booked_local", "BIGINT", "DATETIME(3) NOT NULL", ArchiveMode.DELETE, ChronoUnit.MILLIS),
        STAMP("stamps", "booked_ts", "BIGINT", "TIMESTAMP(6) NULL", ArchiveMode.MOVE, ChronoUnit.MICROS),
        SECONDS("seconds", "booked_s", "INT UNSIGNED", "INT UNSIGNED NOT NULL", ArchiveMode.DELETE, ChronoUnit.SECONDS);

        final String policy;
        final String table;
        final String keyType;
        final String dateType;
        final ArchiveMode mode;
        final ChronoUnit unit;

        Dated(String policy, String table, String keyType, String dateType, ArchiveMode mode, ChronoUnit unit) {
            this.policy = policy;
            this.table = table;
            this.keyType = keyType;
            this.dateType = dateType;
            this.mode = mode;
            this.unit = unit;
        }
    }

    private SystemStack system;
    /** The run's cutoff: a whole second, so that every unit's row at it is exactly at it. */
    private Instant cutoff;
    /** Each row's instant by id, the same in every table. */
    private final Map<Dated, Map<Long, Instant>> instants = new EnumMap<>(Dated.class);
    private final Map<Dated, ArchiveRunCompleted> completed = new EnumMap<>(Dated.class);
    private final Map<Dated, Map<String, ShardFormat.Parsed>> objects = new EnumMap<>(Dated.class);

    @BeforeAll
    void archiveEveryTable() throws Exception {
        system = SystemStack.start("date_columns", 100, 0.5, stack -> policies());
        cutoff = Instant.now().minus(PipelineDriver.SIXTY_DAYS).minus(Duration.ofHours(1)).truncatedTo(ChronoUnit.SECONDS);
        try (Connection connection = system.jdbc()) {
            // the TIMESTAMPs written in a session of another zone: the server keeps the instant
            execute(connection, "SET time_zone = '+05:30'");
            for (Dated dated : Dated.values()) {
                Map<Long, Instant> rows = new TreeMap<>();
                for (int i = 1; i <= OLD_ROWS; i++) {
                    rows.put((long) i, cutoff.minus(Duration.ofMinutes(37L * (OLD_ROWS + 1 - i))).minusMillis(i * 7L).minusNanos(i * 3_000L)
                            .truncatedTo(dated.unit));
                }
                rows.put(21L, cutoff.minus(1, dated.unit)); // goes: a unit before the cutoff
                rows.put(22L, cutoff); // stays: at the cutoff
                rows.put(23L, cutoff.plus(1, dated.unit)); // stays
                rows.put(24L, cutoff.plus(Duration.ofDays(1))); // stays
                instants.put(dated, rows);
                execute(connection, "CREATE TABLE " + dated.table + " (id " + dated.keyType + " NOT NULL PRIMARY KEY, booked " + dated.dateType
                        + ", note VARCHAR(40) NULL, KEY idx_" + dated.table + "_booked (booked))");
                try (PreparedStatement insert = connection.prepareStatement("INSERT INTO " + dated.table + " VALUES (?, ?, ?)")) {
                    for (Map.Entry<Long, Instant> row : rows.entrySet()) {
                        insert.setLong(1, row.getKey());
                        insert.setString(2, written(dated, row.getValue()));
                        insert.setString(3, "row " + row.getKey() + " é");
                        insert.executeUpdate();
                    }
                }
                execute(connection, "CREATE TABLE " + dated.table + "_before AS SELECT * FROM " + dated.table);
                if (dated.mode == ArchiveMode.MOVE) {
                    execute(connection, "CREATE TABLE " + dated.table + "_archive LIKE " + dated.table);
                }
            }
        }
        for (Dated dated : Dated.values()) {
            ArchiveRequested request = ArchiveRequested.of(PipelineDriver.newRunId(), dated.policy, dated.table, cutoff.toEpochMilli(),
                    dated.mode, "date-columns-test", false, null);
            system.driver.trigger(request);
            completed.put(dated, system.driver.awaitCompletion(request.runId(), Duration.ofMinutes(5)));
            objects.put(dated, ArchivedObjects.parsedOfRun(system.bucket, dated.table + "-archive/", request.runId()));
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
        for (Dated dated : Dated.values()) {
            String prefix = "ARCHIVER_POLICIES_" + dated.policy.toUpperCase(java.util.Locale.ROOT) + "_";
            env.put(prefix + "TABLE", dated.table);
            env.put(prefix + "DATE_COLUMN", "booked");
            env.put(prefix + "MODE", dated.mode.name());
            env.put(prefix + "BATCH_SIZE", Integer.toString(BATCH_SIZE));
            env.put(prefix + "CONFIRM_FIRST_RUN", "false");
            env.put(prefix + "MAX_SHARE_PER_RUN", "1");
            env.put(prefix + "ALLOW_WHOLE_TABLE", "true");
        }
        env.put("ARCHIVER_POLICIES_LOCALTIMES_DATE_KIND", "DATETIME");
        env.put("ARCHIVER_POLICIES_LOCALTIMES_DATE_ZONE", NEW_YORK.getId());
        env.put("ARCHIVER_POLICIES_STAMPS_DATE_KIND", "TIMESTAMP");
        env.put("ARCHIVER_POLICIES_STAMPS_ARCHIVE_TABLE", Dated.STAMP.table + "_archive");
        env.put("ARCHIVER_POLICIES_SECONDS_DATE_KIND", "EPOCH_SECONDS");
        return SystemStack.everyService(env);
    }

    /** The value inserted: New York wall-clock text, wall-clock text of the +05:30 session, or epoch seconds. */
    private static String written(Dated dated, Instant at) {
        return switch (dated) {
            case LOCAL -> MILLIS.format(LocalDateTime.ofInstant(at, NEW_YORK));
            case STAMP -> MICROS.format(LocalDateTime.ofInstant(at, ZoneOffset.ofHoursMinutes(5, 30)));
            case SECONDS -> Long.toString(at.getEpochSecond());
        };
    }

    /** The value's text in the CSV (docs/csv-format.md): the DATETIME as stored, the TIMESTAMP in UTC, fractions without trailing zeros. */
    private static String text(Dated dated, Instant at) {
        return switch (dated) {
            case LOCAL -> trimmed(MILLIS.format(LocalDateTime.ofInstant(at, NEW_YORK)));
            case STAMP -> trimmed(MICROS.format(LocalDateTime.ofInstant(at, ZoneOffset.UTC)));
            case SECONDS -> Long.toString(at.getEpochSecond());
        };
    }

    private static String trimmed(String dateTime) {
        return dateTime.replaceAll("0+$", "").replaceAll("\\.$", "");
    }

    @Test
    @Order(1)
    void everyRunArchivedExactlyTheRowsBeforeTheCutoff() {
        for (Dated dated : Dated.values()) {
            ArchiveRunCompleted done = completed.get(dated);
            assertThat(done.outcome()).as(dated + " run: " + done.stats()).isEqualTo(RunOutcome.SUCCEEDED);
            assertThat(done.stats().rowsRemoved()).as(dated + " rows removed").isEqualTo(OLD_ROWS + 1);
            assertThat(objects.get(dated)).as(dated + " objects").hasSize((OLD_ROWS + 1 + BATCH_SIZE - 1) / BATCH_SIZE);
        }
    }

    @Test
    @Order(2)
    void theObjectsHoldTheRowsBeforeTheCutoffValueForValue() {
        for (Dated dated : Dated.values()) {
            Map<Long, List<String>> expected = new LinkedHashMap<>();
            instants.get(dated).forEach((id, at) -> {
                if (at.isBefore(cutoff)) {
                    expected.put(id, List.of(Long.toString(id), text(dated, at), "row " + id + " é"));
                }
            });
            List<List<String>> archived = new ArrayList<>();
            for (ShardFormat.Parsed object : objects.get(dated).values()) {
                assertThat(object.header()).isEqualTo(List.of("id", "booked", "note"));
                archived.addAll(object.rows());
            }
            assertThat(archived).as(dated + ": the objects' rows").containsExactlyElementsOf(expected.values());
            assertThat(expected).as(dated + ": a unit before the cutoff goes").containsKey(21L).doesNotContainKeys(22L, 23L, 24L);
        }
    }

    @Test
    @Order(3)
    void eachObjectsRowsHaveTheDigestTheLedgerRecorded() throws SQLException {
        for (Dated dated : Dated.values()) {
            try (Connection connection = system.jdbc()) {
                ArchivedObjects.assertDigestsMatchLedger(connection, completed.get(dated).runId(), objects.get(dated));
            }
        }
    }

    @Test
    @Order(4)
    void promise2_theRowsAtAndAfterTheCutoffAreUntouched() throws SQLException {
        try (Connection connection = system.jdbc()) {
            for (Dated dated : Dated.values()) {
                assertThat(ids(connection, "SELECT id FROM " + dated.table + " ORDER BY id")).as(dated + " rows left")
                        .containsExactly(22L, 23L, 24L);
                assertThat(ids(connection, "SELECT COUNT(*) FROM " + dated.table + " t JOIN " + dated.table + "_before b USING (id)"
                        + " WHERE t.booked = b.booked AND t.note = b.note")).as(dated + " rows left as they were").containsExactly(3L);
            }
        }
    }

    @Test
    @Order(5)
    void moveMode_theArchiveTableHoldsTheMovedRowsAsTheyWere() throws SQLException {
        String archive = Dated.STAMP.table + "_archive";
        try (Connection connection = system.jdbc()) {
            assertThat(ids(connection, "SELECT id FROM " + archive + " ORDER BY id")).hasSize(OLD_ROWS + 1).last().isEqualTo(21L);
            assertThat(ids(connection, "SELECT COUNT(*) FROM " + archive + " a JOIN " + Dated.STAMP.table + "_before b USING (id)"
                    + " WHERE a.booked = b.booked AND a.note = b.note")).containsExactly((long) OLD_ROWS + 1);
        }
    }

    private static void execute(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private static List<Long> ids(Connection connection, String sql) throws SQLException {
        List<Long> ids = new ArrayList<>();
        try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery(sql)) {
            while (rs.next()) {
                ids.add(rs.getLong(1));
            }
        }
        return ids;
    }
}
