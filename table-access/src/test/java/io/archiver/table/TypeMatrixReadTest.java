package io.archiver.table;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.archiver.rows.CanonicalEncoding;
import io.archiver.rows.RowsDigest;
import io.archiver.rows.ShardCsvWriter;
import io.archiver.rows.ShardFormat;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Promise 7 on the real server, for every column type ({@link TypeMatrix}): each edge value, read the
 * way the export and the delete read it ({@link KeysetPages}, {@link ColumnForms}, {@link CanonicalRow}),
 * is the text docs/csv-format.md gives, by both encoding paths; the CSV of those rows, parsed and written
 * back to a table the documented way, gives the same rows; the MOVE copy leaves generated columns to the
 * archive table; TIMESTAMPs read in UTC whatever the session's zone; and the {@code run} table's values are
 * the same through the column forms as through {@code SELECT *}, so its archives keep their bytes.
 */
class TypeMatrixReadTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final String TABLE = "type_matrix";
    private static final long OLD_MS = 1_600_000_000_000L;

    private static TestDatabase database;
    private static Pool pool;
    private static TypeMatrix matrix;
    private static int rows;

    @BeforeAll
    static void start() {
        database = TestDatabase.start("archiver_type_matrix", 500);
        pool = database.pool;
        boolean mariaDb = pool.query("SELECT VERSION()").execute().await().atMost(TIMEOUT).iterator().next().getString(0).contains("MariaDB");
        matrix = TypeMatrix.of(mariaDb);
        rows = matrix.rowsToCoverAll();
        withSession(connection -> {
            execute(connection, "DROP TABLE IF EXISTS `" + TABLE + "`");
            execute(connection, matrix.createTable(TABLE));
            for (int i = 0; i < rows; i++) {
                execute(connection, matrix.insert(TABLE, i + 1, OLD_MS + i, i));
            }
        });
    }

    @AfterAll
    static void stop() {
        if (database != null) {
            database.close();
        }
    }

    @Test
    void promise7_everyValueOfEveryTypeIsReadAsTheTextTheFormatGives() {
        Read read = read(TABLE);
        assertThat(read.header).isEqualTo(matrix.header());
        assertThat(read.values).hasSize(rows);
        List<String> differences = new ArrayList<>();
        for (int i = 0; i < rows; i++) {
            List<String> expected = matrix.texts(i + 1, OLD_MS + i, i);
            for (int c = 0; c < expected.size(); c++) {
                String actual = read.values.get(i).get(c);
                if (!java.util.Objects.equals(actual, expected.get(c))) {
                    differences.add("row " + (i + 1) + " " + read.header.get(c) + ": expected " + shorten(expected.get(c)) + ", read "
                            + shorten(actual));
                }
            }
        }
        assertThat(differences).as("values not in their documented form").isEmpty();
    }

    @Test
    void bothEncodingPathsGiveTheSameBytesForEveryType() {
        assertThat(read(TABLE).pathsAgree).isTrue();
    }

    @Test
    void promise7_theCsvParsedBackAndWrittenTheDocumentedWayGivesTheSameRows() throws IOException {
        Read read = read(TABLE);
        ByteArrayOutputStream csv = new ByteArrayOutputStream();
        RowsDigest written = new RowsDigest();
        ShardCsvWriter writer = new ShardCsvWriter(csv, written);
        writer.header(read.header);
        for (List<String> row : read.values) {
            writer.row(row);
        }
        ShardFormat.Parsed parsed = ShardFormat.parse(new InputStreamReader(new ByteArrayInputStream(csv.toByteArray()), StandardCharsets.UTF_8));
        assertThat(parsed.rows()).isEqualTo(read.values);
        RowsDigest reread = new RowsDigest();
        parsed.rows().forEach(reread::add);
        assertThat(reread.hex()).isEqualTo(written.hex());

        String restored = "type_matrix_restored";
        withSession(connection -> {
            execute(connection, "DROP TABLE IF EXISTS " + restored);
            execute(connection, "CREATE TABLE " + restored + " LIKE " + TABLE);
            for (List<String> row : parsed.rows()) {
                connection.preparedQuery(matrix.restore(restored)).execute(restoreArgs(parsed.header(), row)).await().atMost(TIMEOUT);
            }
            assertThat(ids(connection, matrix.differingIds(TABLE, restored))).as("rows that differ once restored").isEmpty();
            assertThat(ids(connection, matrix.differingIds(restored, TABLE))).as("rows restored that were not there").isEmpty();
        });
        assertThat(read(restored).values).as("the restored table reads as the original").isEqualTo(read.values);
    }

    /** The restore's write path: ColumnForms' own inverse of its select list writes every value of every type back exactly. */
    @Test
    void promise7_theColumnFormsInsertWritesEveryTypeBackExactly() {
        Read read = read(TABLE);
        String restored = "type_matrix_forms_restored";
        withSession(connection -> {
            execute(connection, "DROP TABLE IF EXISTS " + restored);
            execute(connection, "CREATE TABLE " + restored + " LIKE " + TABLE);
            ColumnForms forms = ColumnForms.read(connection, restored, "", TIMEOUT);
            List<Integer> written = forms.writtenColumns().stream().map(c -> read.header.indexOf(c.name())).toList();
            assertThat(written).doesNotContain(-1).hasSizeLessThan(read.header.size()); // the generated columns are left out
            for (List<String> row : read.values) {
                List<Object> args = new ArrayList<>();
                written.forEach(i -> args.add(row.get(i)));
                connection.preparedQuery(forms.insertInto(restored)).execute(Tuple.tuple(args)).await().atMost(TIMEOUT);
            }
        });
        assertThat(read(restored).values).as("the restored table reads as the original").isEqualTo(read.values);
    }

    @Test
    void theMoveCopyNamesItsColumnsSoTheArchiveTableComputesItsGeneratedColumns() {
        String archive = "type_matrix_moved";
        withSession(connection -> {
            execute(connection, "DROP TABLE IF EXISTS " + archive);
            execute(connection, "CREATE TABLE " + archive + " LIKE " + TABLE);
            execute(connection, "SET sql_mode = DEFAULT"); // the services' sessions: strict
            assertThatThrownBy(() -> execute(connection, "INSERT INTO " + archive + " SELECT * FROM " + TABLE))
                    .as("what a copy of every column does").hasMessageContaining("generated column");
            EligibleRows sql = new EligibleRows(new TestPolicy(TABLE, archive)).resolve(connection, TIMEOUT);
            assertThat(sql.forms().copyColumns()).doesNotContain("c_virtual", "c_stored").contains("`c_json`", "`c_geometry`");
            int copied = connection.preparedQuery(sql.copyToArchive()).execute(Tuple.of(1L, (long) rows, Long.MAX_VALUE)).await()
                    .atMost(TIMEOUT).rowCount();
            assertThat(copied).isEqualTo(rows);
            assertThat(ids(connection, matrix.differingIds(TABLE, archive))).as("rows that differ in the archive table").isEmpty();
        });
        assertThat(read(archive).values).isEqualTo(read(TABLE).values);
    }

    @Test
    void timestampsAreReadInUtcWhateverTheSessionsZoneWhichIsThenRestored() {
        int column = matrix.header().indexOf("c_timestamp_3");
        SqlConnection connection = pool.getConnection().await().atMost(TIMEOUT);
        try {
            execute(connection, "SET time_zone = '+05:30'");
            List<String> seen = new ArrayList<>();
            EligibleRows sql = new EligibleRows(new TestPolicy(TABLE, TABLE + "_archive"));
            KeysetPages.forEach(connection, sql, false, 1, rows, Long.MAX_VALUE, 4, TIMEOUT,
                    row -> seen.add(CanonicalRow.values(row, sql.forms()).get(column)));
            assertThat(seen.get(1)).isEqualTo("2026-03-29 01:30:00.5");
            assertThat(seen.get(0)).isEqualTo("2038-01-19 03:14:07.999");
            assertThat(connection.query("SELECT @@session.time_zone").execute().await().atMost(TIMEOUT).iterator().next().getString(0))
                    .isEqualTo("+05:30");
        } finally {
            connection.close().await().atMost(TIMEOUT);
        }
    }

    @Test
    void aFloatsOwnShortestTextIsOutOfRangeForTheServerWhichIsWhyFloatsAreWrittenAsTheirDouble() {
        withSession(connection -> {
            execute(connection, "SET sql_mode = DEFAULT"); // strict, as the server's default
            assertThatThrownBy(() -> execute(connection, "INSERT INTO " + TABLE + " (id, msg_sent_date, c_float) VALUES (999999, 0, '3.4028235E38')"))
                    .hasMessageContaining("Out of range");
            execute(connection, "INSERT INTO " + TABLE + " (id, msg_sent_date, c_float) VALUES (999999, 0, '3.4028234663852886E38')");
            assertThat(connection.query("SELECT c_float = CAST(3.4028234663852886E38 AS FLOAT) FROM " + TABLE + " WHERE id = 999999")
                    .execute().await().atMost(TIMEOUT).iterator().next().getInteger(0)).isEqualTo(1);
            execute(connection, "DELETE FROM " + TABLE + " WHERE id = 999999");
        });
    }

    @Test
    void readNativelyTheClientLosesWhatTheColumnFormsKeep() {
        // why those columns are read as the server's text or bytes: what the client makes of them when they are selected as they are
        Row row = pool.query("SELECT c_date, c_datetime, c_time, c_bit64, c_year, c_point FROM " + TABLE + " WHERE id = 1").execute().await()
                .atMost(TIMEOUT).iterator().next();
        assertThat(row.getValue("c_date")).as("a zero date").isNull();
        assertThat(row.getValue("c_datetime")).as("a zero date-time").isNull();
        assertThat(row.getValue("c_time")).as("TIME -838:59:59").isEqualTo(Duration.ofSeconds(-3_020_399));
        assertThat(row.getValue("c_bit64")).as("BIT(64) of 64 ones").isEqualTo(-1L);
        assertThat(row.getValue("c_year")).as("YEAR 0000").isEqualTo((short) 0);
        assertThat(row.getValue("c_point")).as("a POINT").isInstanceOf(io.vertx.mysqlclient.data.spatial.Point.class);
        assertThatThrownBy(() -> CanonicalRow.values(row)).as("a geometry object has no exact text").hasMessageContaining("column `c_point`");
    }

    @Test
    void theRunTablesValuesAreTheSameThroughTheColumnFormsAsThroughSelectStar() {
        // the forms must not change a byte of what `run` has always been archived as (objects exported before still match)
        List<List<String>> star = new ArrayList<>();
        for (Row row : pool.query("SELECT * FROM run ORDER BY id").execute().await().atMost(TIMEOUT)) {
            star.add(CanonicalRow.values(row));
        }
        List<List<String>> forms = new ArrayList<>();
        SqlConnection connection = pool.getConnection().await().atMost(TIMEOUT);
        try {
            EligibleRows sql = new EligibleRows(new TestPolicy("run"));
            KeysetPages.forEach(connection, sql, false, Long.MIN_VALUE + 1, Long.MAX_VALUE, Long.MAX_VALUE, 1_000, TIMEOUT,
                    row -> forms.add(CanonicalRow.values(row, sql.forms())));
            assertThat(sql.forms().selectList()).contains("CAST(`created_at` AS CHAR)", "CAST(`delivered_on` AS CHAR)");
        } finally {
            connection.close().await().atMost(TIMEOUT);
        }
        assertThat(star).hasSize(500);
        assertThat(forms).isEqualTo(star);
    }

    @Test
    void everyValueOfEveryTypeReadAsItsUtf8BytesEncodesAsTheValueReadAsText() {
        // the pages read texts as bytes (ColumnForms.pageSelectList); the select list the restore and the checks use reads Strings
        Read pages = read(TABLE);
        assertThat(pages.pathsAgree).isTrue();
        EligibleRows sql = new EligibleRows(new TestPolicy(TABLE, TABLE + "_archive"));
        List<List<String>> texts = new ArrayList<>();
        withSession(connection -> {
            sql.resolve(connection, TIMEOUT);
            connection.query("SET @archiver_zone = @@session.time_zone, @@session.time_zone = '+00:00'").execute().await().atMost(TIMEOUT);
            // prepared, as the pages are: the binary protocol gives a FLOAT's exact value, the text protocol its rounded text
            for (Row row : connection.preparedQuery("SELECT " + sql.forms().selectList() + " FROM `" + TABLE + "` ORDER BY id").execute()
                    .await().atMost(TIMEOUT)) {
                texts.add(CanonicalRow.values(row));
            }
            connection.query("SET @@session.time_zone = @archiver_zone").execute().await().atMost(TIMEOUT);
        });
        assertThat(sql.forms().pageSelectList()).contains("AS BINARY) AS `c_varchar`").doesNotContain("CONVERT(`id`");
        assertThat(texts).hasSize(rows);
        assertThat(pages.values).isEqualTo(texts);
    }

    /** The rows of a table as KeysetPages reads them: header, canonical values, and whether the two encodings agreed. */
    private record Read(List<String> header, List<List<String>> values, boolean pathsAgree) {
    }

    private static Read read(String table) {
        List<String> header = new ArrayList<>();
        List<List<String>> values = new ArrayList<>();
        boolean[] agree = { true };
        CanonicalEncoding direct = new CanonicalEncoding();
        CanonicalEncoding reference = new CanonicalEncoding();
        SqlConnection connection = pool.getConnection().await().atMost(TIMEOUT);
        try {
            EligibleRows sql = new EligibleRows(new TestPolicy(table, table + "_archive"));
            KeysetPages.forEach(connection, sql, false, Long.MIN_VALUE + 1, Long.MAX_VALUE,
                    Long.MAX_VALUE, 3, TIMEOUT, row -> {
                        if (header.isEmpty()) {
                            header.addAll(CanonicalRow.columns(row));
                        }
                        List<String> canonical = CanonicalRow.values(row, sql.forms());
                        values.add(canonical);
                        CanonicalRow.encode(row, sql.forms(), direct);
                        reference.row(canonical);
                        agree[0] &= Arrays.equals(Arrays.copyOf(direct.bytes(), direct.length()), Arrays.copyOf(reference.bytes(), reference.length()));
                    });
        } finally {
            connection.close().await().atMost(TIMEOUT);
        }
        return new Read(header, values, agree[0]);
    }

    private static Tuple restoreArgs(List<String> header, List<String> row) {
        List<Object> args = new ArrayList<>();
        args.add(Long.parseLong(row.get(0)));
        args.add(Long.parseLong(row.get(1)));
        for (TypeMatrix.Column column : matrix.written()) {
            args.add(row.get(header.indexOf(column.name())));
        }
        return Tuple.tuple(args);
    }

    private static List<Long> ids(SqlConnection connection, String sql) {
        List<Long> ids = new ArrayList<>();
        for (Row row : connection.query(sql).execute().await().atMost(TIMEOUT)) {
            ids.add(row.getLong(0));
        }
        return ids;
    }

    /** Runs {@code body} on one connection whose session allows ENUM's '' and zero dates and reads TIMESTAMP literals as UTC. */
    private static void withSession(java.util.function.Consumer<SqlConnection> body) {
        SqlConnection connection = pool.getConnection().await().atMost(TIMEOUT);
        try {
            execute(connection, "SET SESSION sql_mode = '', time_zone = '+00:00'");
            body.accept(connection);
        } finally {
            connection.close().await().atMost(TIMEOUT);
        }
    }

    private static void execute(SqlConnection connection, String sql) {
        connection.query(sql).execute().await().atMost(TIMEOUT);
    }

    private static String shorten(String text) {
        return text == null ? "NULL" : text.length() > 80 ? "\"" + text.substring(0, 80) + "...\" (" + text.length() + " chars)" : "\"" + text + "\"";
    }
}
