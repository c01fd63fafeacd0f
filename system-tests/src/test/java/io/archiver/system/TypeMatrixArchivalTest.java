package io.archiver.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
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
import io.archiver.table.TypeMatrix;

/**
 * Promise 7 on the real stack (Kafka, S3 server, MariaDB, the four prod jars) for every column type: a table with a
 * column of each type MySQL 8 and MariaDB offer ({@link TypeMatrix}: edge values, NULL and '' where the type has them,
 * generated and spatial columns) is archived in DELETE mode, and another in MOVE mode, each by its own policy given to
 * the four services through their environment. Then, per mode: every value of the objects' CSV is the text
 * docs/csv-format.md gives; the CSV written back to a table the documented way gives the rows as they were, value for
 * value; each object's rows digest is the one the ledger recorded; rows at or after the cutoff are untouched; and in
 * MOVE mode the archive table holds the rows as they were, its generated columns computed by itself.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TypeMatrixArchivalTest {

    /** Rows per batch (and object), and per deleting transaction: several objects, several chunks per batch. */
    private static final int BATCH_SIZE = 4;
    private static final int CHUNK_ROWS = 3;

    private static final Map<ArchiveMode, String> POLICY = Map.of(ArchiveMode.DELETE, "matrixdelete", ArchiveMode.MOVE, "matrixmove");
    private static final Map<ArchiveMode, String> TABLE = Map.of(ArchiveMode.DELETE, "type_matrix_d", ArchiveMode.MOVE, "type_matrix_m");
    private static final String MOVE_ARCHIVE = "type_matrix_m_archive";

    private SystemStack system;
    private TypeMatrix matrix;
    private long cutoff;
    private int eligible;
    /** Row index in the matrix (which values it holds) and date of every id inserted. */
    private final Map<Long, Integer> rowOfId = new TreeMap<>();
    private final Map<Long, Long> dateOfId = new HashMap<>();
    private final Map<ArchiveMode, ArchiveRunCompleted> completed = new EnumMap<>(ArchiveMode.class);
    private final Map<ArchiveMode, Map<String, ShardFormat.Parsed>> objects = new EnumMap<>(ArchiveMode.class);

    @BeforeAll
    void archiveBothTables() throws Exception {
        system = SystemStack.start("type_matrix", 300, 0.6, stack -> policies());
        cutoff = Instant.now().minus(PipelineDriver.SIXTY_DAYS).toEpochMilli();
        try (Connection connection = session()) {
            String version;
            try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery("SELECT VERSION()")) {
                rs.next();
                version = rs.getString(1);
            }
            matrix = TypeMatrix.of(version.contains("MariaDB"));
            eligible = matrix.rowsToCoverAll();
            // every value once in an eligible row; then rows at the cutoff, one ms after it and a day after it, which stay
            long[] youngDates = { cutoff, cutoff + 1, cutoff + 86_400_000L };
            for (int i = 0; i < eligible + youngDates.length; i++) {
                long id = 10L * i + 7;
                rowOfId.put(id, i);
                dateOfId.put(id, i < eligible ? cutoff - 1 - 1_000L * (eligible - i) : youngDates[i - eligible]);
            }
            for (ArchiveMode mode : ArchiveMode.values()) {
                String table = TABLE.get(mode);
                execute(connection, matrix.createTable(table));
                for (Map.Entry<Long, Integer> row : rowOfId.entrySet()) {
                    execute(connection, matrix.insert(table, row.getKey(), dateOfId.get(row.getKey()), row.getValue()));
                }
                // the rows as they were, to compare with what comes back
                execute(connection, "CREATE TABLE " + table + "_before LIKE " + table);
                String written = "id, msg_sent_date, " + String.join(", ", matrix.written().stream().map(c -> "`" + c.name() + "`").toList());
                execute(connection, "INSERT INTO " + table + "_before (" + written + ") SELECT " + written + " FROM " + table);
            }
            execute(connection, "CREATE TABLE " + MOVE_ARCHIVE + " LIKE " + TABLE.get(ArchiveMode.MOVE));
        }
        for (ArchiveMode mode : ArchiveMode.values()) {
            ArchiveRequested request = ArchiveRequested.of(PipelineDriver.newRunId(), POLICY.get(mode), TABLE.get(mode), cutoff, mode,
                    "type-matrix-test", false, null);
            system.driver.trigger(request);
            completed.put(mode, system.driver.awaitCompletion(request.runId(), Duration.ofMinutes(5)));
            objects.put(mode, ArchivedObjects.parsedOfRun(system.bucket, TABLE.get(mode) + "-archive/", request.runId()));
        }
    }

    @AfterAll
    void stop() {
        if (system != null) {
            system.close();
        }
    }

    /** Both policies for all four services, through the environment as in production; batches of 4 rows, deleted 3 at a time. */
    private static Map<ArchiverService, Map<String, String>> policies() {
        Map<String, String> env = new HashMap<>();
        for (ArchiveMode mode : ArchiveMode.values()) {
            String prefix = "ARCHIVER_POLICIES_" + POLICY.get(mode).toUpperCase(java.util.Locale.ROOT) + "_";
            env.put(prefix + "TABLE", TABLE.get(mode));
            env.put(prefix + "MODE", mode.name());
            env.put(prefix + "BATCH_SIZE", Integer.toString(BATCH_SIZE));
            // this test is about values, not the safety rails (SafetyRailsTest): its small tables run at once
            env.put(prefix + "CONFIRM_FIRST_RUN", "false");
            env.put(prefix + "MAX_SHARE_PER_RUN", "1");
            env.put(prefix + "ALLOW_WHOLE_TABLE", "true");
        }
        env.put("ARCHIVER_POLICIES_MATRIXMOVE_ARCHIVE_TABLE", MOVE_ARCHIVE);
        Map<ArchiverService, Map<String, String>> all = new EnumMap<>(ArchiverService.class);
        for (ArchiverService service : ArchiverService.values()) {
            Map<String, String> own = new HashMap<>(env);
            if (service == ArchiverService.DELETER) {
                own.put("ARCHIVER_DELETE_CHUNK_ROWS", Integer.toString(CHUNK_ROWS));
            }
            all.put(service, own);
        }
        return all;
    }

    @Test
    @Order(1)
    void bothRunsArchivedEveryEligibleRowInSeveralObjects() {
        for (ArchiveMode mode : ArchiveMode.values()) {
            ArchiveRunCompleted done = completed.get(mode);
            assertThat(done.outcome()).as(mode + " run: " + done.stats()).isEqualTo(RunOutcome.SUCCEEDED);
            assertThat(done.stats().rowsRemoved()).as(mode + " rows removed").isEqualTo(eligible);
            assertThat(objects.get(mode)).as(mode + " objects").hasSize((eligible + BATCH_SIZE - 1) / BATCH_SIZE);
        }
    }

    @Test
    @Order(2)
    void promise7_everyValueInTheCsvIsTheTextTheFormatGivesForItsType() {
        for (ArchiveMode mode : ArchiveMode.values()) {
            List<String> differences = new ArrayList<>();
            int rows = 0;
            for (Map.Entry<String, ShardFormat.Parsed> object : objects.get(mode).entrySet()) {
                assertThat(object.getValue().header()).as(object.getKey()).isEqualTo(matrix.header());
                for (List<String> row : object.getValue().rows()) {
                    long id = Long.parseLong(row.get(0));
                    List<String> expected = matrix.texts(id, dateOfId.get(id), rowOfId.get(id));
                    for (int c = 0; c < expected.size(); c++) {
                        if (!Objects.equals(row.get(c), expected.get(c))) {
                            differences.add(mode + " id " + id + " " + matrix.header().get(c) + ": expected " + shorten(expected.get(c))
                                    + ", archived " + shorten(row.get(c)));
                        }
                    }
                    rows++;
                }
            }
            assertThat(differences).as("values not in their documented form").isEmpty();
            assertThat(rows).as(mode + " rows archived").isEqualTo(eligible);
        }
    }

    @Test
    @Order(3)
    void promise7_theCsvWrittenBackTheDocumentedWayGivesTheRowsAsTheyWere() throws SQLException {
        for (ArchiveMode mode : ArchiveMode.values()) {
            String restored = TABLE.get(mode) + "_restored";
            try (Connection connection = session()) {
                execute(connection, "CREATE TABLE " + restored + " LIKE " + TABLE.get(mode));
                try (PreparedStatement insert = connection.prepareStatement(matrix.restore(restored))) {
                    for (ShardFormat.Parsed object : objects.get(mode).values()) {
                        for (List<String> row : object.rows()) {
                            insert.setLong(1, Long.parseLong(row.get(0)));
                            insert.setLong(2, Long.parseLong(row.get(1)));
                            int p = 3;
                            for (TypeMatrix.Column column : matrix.written()) {
                                String text = row.get(object.header().indexOf(column.name()));
                                if (text == null) {
                                    insert.setNull(p++, Types.VARCHAR);
                                } else {
                                    insert.setString(p++, text);
                                }
                            }
                            assertThat(insert.executeUpdate()).isEqualTo(1);
                        }
                    }
                }
                assertThat(count(connection, restored)).isEqualTo(eligible);
                assertThat(ids(connection, matrix.differingIds(restored, TABLE.get(mode) + "_before")))
                        .as(mode + ": rows written back from the CSV that differ from the rows as they were").isEmpty();
            }
        }
    }

    @Test
    @Order(4)
    void eachObjectsRowsHaveTheDigestTheLedgerRecorded() throws SQLException {
        for (ArchiveMode mode : ArchiveMode.values()) {
            try (Connection connection = system.jdbc()) {
                ArchivedObjects.assertDigestsMatchLedger(connection, completed.get(mode).runId(), objects.get(mode));
            }
        }
    }

    @Test
    @Order(5)
    void promise2_rowsAtOrAfterTheCutoffAreUntouched() throws SQLException {
        List<Long> young = dateOfId.entrySet().stream().filter(e -> e.getValue() >= cutoff).map(Map.Entry::getKey).sorted().toList();
        assertThat(young).hasSize(3);
        try (Connection connection = session()) {
            for (ArchiveMode mode : ArchiveMode.values()) {
                String table = TABLE.get(mode);
                assertThat(ids(connection, "SELECT id FROM " + table + " ORDER BY id")).as(mode + " rows left").isEqualTo(young);
                assertThat(ids(connection, matrix.differingIds(table, table + "_before"))).as(mode + " rows left that changed").isEmpty();
            }
        }
    }

    @Test
    @Order(6)
    void moveMode_theArchiveTableHoldsTheRowsAsTheyWereWithItsGeneratedColumnsComputedByItself() throws SQLException {
        try (Connection connection = session()) {
            assertThat(count(connection, MOVE_ARCHIVE)).isEqualTo(eligible);
            assertThat(ids(connection, matrix.differingIds(MOVE_ARCHIVE, TABLE.get(ArchiveMode.MOVE) + "_before")))
                    .as("rows of the archive table that differ from the rows as they were").isEmpty();
        }
    }

    /** A connection whose session allows ENUM's '' and zero dates and reads TIMESTAMP literals as UTC (as TypeMatrix needs). */
    private Connection session() throws SQLException {
        Connection connection = system.jdbc();
        execute(connection, "SET SESSION sql_mode = '', time_zone = '+00:00'");
        return connection;
    }

    private static void execute(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private static long count(Connection connection, String table) throws SQLException {
        return ids(connection, "SELECT COUNT(*) FROM " + table).get(0);
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

    private static String shorten(String text) {
        return text == null ? "NULL" : text.length() > 80 ? "\"" + text.substring(0, 80) + "...\" (" + text.length() + " chars)" : "\"" + text + "\"";
    }
}
