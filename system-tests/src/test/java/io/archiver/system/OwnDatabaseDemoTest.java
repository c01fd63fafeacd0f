package io.archiver.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.archiver.localstack.LocalStack;
import io.archiver.localstack.StackMain;
import io.archiver.localstack.mysql.MySqlServer;
import io.archiver.localstack.process.StackLayout;
import io.archiver.rows.ShardFormat;

/**
 * {@code ./archiver-demo demo --source-url ... --policy-file ... --create-archive-tables} on a database of a user's own (issue 21
 * item 5): a database {@code archiver_st_demo_user} on the machine's MariaDB with its own user, password and table
 * {@code orders} (a DATETIME date column, not the run table), a MOVE policy whose archive table does not exist yet. The demo's
 * Java entry creates the archive table, archives the old rows on the real stack in the policy's mode, and prints the S3 endpoint,
 * keys and a ready aws line, never the password; the old rows are in the objects and in the archive table value for value, the
 * young ones untouched.
 */
class OwnDatabaseDemoTest {

    private static final int ROWS = 900;

    private static MySqlServer own;
    private static Path stackDir;
    private static int exitCode;
    private static String output;
    private static final Map<Long, List<String>> before = new TreeMap<>();
    private static final Map<Long, Boolean> old = new HashMap<>();

    @BeforeAll
    static void archiveAUsersOwnDatabase() throws Exception {
        Path dir = Path.of("target", "system", "own-demo").toAbsolutePath();
        LocalStack.deleteRecursively(dir);
        own = new MySqlServer(StackLayout.locate(dir), dir.resolve("user-db"), "archiver_st_demo_user").start(0, 0);
        LocalDateTime now = LocalDateTime.now(ZoneOffset.UTC);
        try (Connection connection = ownJdbc(); Statement statement = connection.createStatement()) {
            statement.execute("DROP TABLE IF EXISTS orders_archive");
            statement.execute("DROP TABLE IF EXISTS orders");
            statement.execute("CREATE TABLE orders (id BIGINT NOT NULL PRIMARY KEY, customer VARCHAR(64) CHARACTER SET utf8mb4 NOT NULL,"
                    + " total DECIMAL(12,2) NOT NULL, note TEXT CHARACTER SET utf8mb4 NULL, created_at DATETIME(3) NOT NULL,"
                    + " INDEX idx_orders_created_at (created_at))");
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO orders VALUES (?, ?, ?, ?, ?)")) {
                for (long id = 1; id <= ROWS; id++) {
                    boolean older = id % 3 != 0;
                    insert.setLong(1, id);
                    insert.setString(2, "kunde-" + id + (id % 7 == 0 ? " Ünïcødé ✓" : ""));
                    insert.setBigDecimal(3, new java.math.BigDecimal(id * 13 % 10_000 + ".25"));
                    insert.setString(4, id % 5 == 0 ? null : id % 5 == 1 ? "" : "line one\nline \"two\", " + id);
                    insert.setObject(5, now.minusDays(older ? 90 : 10).minusMinutes(id));
                    insert.addBatch();
                    old.put(id, older);
                }
                insert.executeBatch();
            }
            before.putAll(rows(connection, "orders"));
        }
        Path policies = Files.writeString(dir.resolve("policies.yaml"), """
                policies:
                  orders:
                    table: orders
                    date-column: created_at
                    date-kind: DATETIME
                    mode: MOVE
                    archive-table: orders_archive
                    batch-size: 250
                """);
        stackDir = dir.resolve("stack");
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(new Tee(printed, System.out), true, StandardCharsets.UTF_8);
        Map<String, String> env = Map.of("ARCHIVER_SOURCE_URL", "jdbc:mysql://" + own.host() + ":" + own.port() + "/" + own.database(),
                "ARCHIVER_SOURCE_USER", own.user(), "ARCHIVER_SOURCE_PASSWORD", own.password());
        exitCode = StackMain.run(SystemStack.repositoryRoot(), stackDir, "archiver_st_own_demo", List.of("demo", "--policy-file",
                policies.toString(), "--create-archive-tables"), env, out);
        output = printed.toString(StandardCharsets.UTF_8);
    }

    @AfterAll
    static void stop() {
        if (own != null) {
            own.close();
        }
    }

    private static Connection ownJdbc() throws SQLException {
        return DriverManager.getConnection(own.jdbcUrl(), own.user(), own.password());
    }

    /** Each row's values as the driver reads them as text, by id. */
    private static Map<Long, List<String>> rows(Connection connection, String table) throws SQLException {
        Map<Long, List<String>> rows = new TreeMap<>();
        try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery("SELECT * FROM " + table + " ORDER BY id")) {
            int columns = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                List<String> values = new ArrayList<>();
                for (int c = 1; c <= columns; c++) {
                    values.add(rs.getString(c));
                }
                rows.put(rs.getLong(1), values);
            }
        }
        return rows;
    }

    private static Map<Long, List<String>> oldRows() {
        Map<Long, List<String>> rows = new TreeMap<>(before);
        rows.keySet().removeIf(id -> !old.get(id));
        return rows;
    }

    @Test
    void theDemoCreatesTheMoveTableTriggersInThePolicysModeAndSucceeds() {
        assertThat(exitCode).as(output).isZero();
        assertThat(output).contains("source own: CREATE version 1", "policy orders: created archive table orders_archive LIKE orders in database "
                + own.database(), "policy orders: CREATE version 1", "policy orders, table orders, mode MOVE",
                "awaits confirmation: FIRST_RUN_OF_POLICY", "completed: SUCCEEDED");
    }

    @Test
    void theOldRowsAreInTheArchiveTableValueForValueAndTheYoungOnesStay() throws Exception {
        Map<Long, List<String>> expectedMoved = oldRows();
        assertThat(expectedMoved).hasSizeGreaterThan(ROWS / 2);
        try (Connection connection = ownJdbc()) {
            assertThat(rows(connection, "orders_archive")).as("rows moved").isEqualTo(expectedMoved);
            Map<Long, List<String>> young = new TreeMap<>(before);
            young.keySet().removeAll(expectedMoved.keySet());
            assertThat(rows(connection, "orders")).as("rows left").isEqualTo(young);
        }
    }

    @Test
    void theObjectsThePrintedLinesNameHoldExactlyTheOldRows() throws Exception {
        Matcher listed = Pattern.compile("s3://" + LocalStack.BUCKET + "/(orders-archive/orders_archive_\\S+\\.csv\\.gz)  (\\d+) bytes").matcher(output);
        Map<Long, List<String>> archived = new TreeMap<>();
        int objects = 0;
        while (listed.find()) {
            objects++;
            Path file = stackDir.resolve("s3/objects").resolve(LocalStack.BUCKET).resolve(listed.group(1));
            byte[] bytes = Files.readAllBytes(file);
            assertThat((long) bytes.length).as(listed.group(1)).isEqualTo(Long.parseLong(listed.group(2)));
            ShardFormat.Parsed parsed = ArchivedObjects.parse(listed.group(1), bytes);
            assertThat(parsed.header()).containsExactly("id", "customer", "total", "note", "created_at");
            for (List<String> row : parsed.rows()) {
                assertThat(archived.put(Long.parseLong(row.get(0)), row)).as("row " + row.get(0) + " archived twice").isNull();
            }
        }
        assertThat(objects).as(output).isGreaterThan(1);
        Map<Long, List<String>> expected = oldRows();
        assertThat(archived.keySet()).isEqualTo(expected.keySet());
        archived.forEach((id, row) -> {
            assertThat(row.get(1)).as("customer of " + id).isEqualTo(expected.get(id).get(1));
            assertThat(row.get(2)).as("total of " + id).isEqualTo(expected.get(id).get(2));
        });
    }

    @Test
    void theOutputSaysHowToReachTheObjectsAndNeverHoldsThePassword() {
        assertThat(output).contains("S3 endpoint http://127.0.0.1:", "access key ", "secret key ", "aws s3 ls --recursive s3://"
                + LocalStack.BUCKET + "/ --endpoint-url http://127.0.0.1:", "archive find --bucket " + LocalStack.BUCKET,
                "--policy orders --prefix orders-archive/");
        assertThat(output).doesNotContain(own.password());
    }

    @Test
    void noFileTheDemoWroteHoldsThePassword() throws Exception {
        List<Path> holding;
        try (java.util.stream.Stream<Path> files = Files.walk(stackDir)) {
            holding = files.filter(Files::isRegularFile).filter(f -> !f.startsWith(stackDir.resolve("s3"))).filter(f -> {
                try {
                    return new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1).contains(own.password());
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).toList();
        }
        assertThat(holding).as("files under " + stackDir + " holding the source's password").isEmpty();
    }

    /** Writes to both: the output is checked and also shows in the test's log. */
    private static final class Tee extends OutputStream {
        private final OutputStream first;
        private final OutputStream second;

        Tee(OutputStream first, OutputStream second) {
            this.first = first;
            this.second = second;
        }

        @Override
        public void write(int b) throws java.io.IOException {
            first.write(b);
            second.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws java.io.IOException {
            first.write(b, off, len);
            second.write(b, off, len);
        }
    }
}
