package io.archiver.ctl;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.zip.GZIPOutputStream;

import org.apache.commons.csv.CSVPrinter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import io.archiver.localstack.LocalStack;
import io.archiver.localstack.pipeline.ArchiveBucket;
import io.archiver.manifest.ArchiveManifest;
import io.archiver.manifest.ManifestCodec;
import io.archiver.manifest.ManifestKeys;
import io.archiver.rows.ShardFormat;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * {@code archivectl archive find} and {@code archive get} on a real S3 server (S3Proxy of the local stack) and nothing
 * else: no database, no Kafka. Four objects with their manifests, as the uploader leaves them: ids 100..199, 200..299 and
 * 300..399, and a fourth (ids 400..499) whose bytes were changed after its manifest was written. A find opens only the
 * objects whose manifest ranges can hold what it asks for (so the damaged one, never opened, is never refused), prints the
 * rows with their object, NULL apart from ''; a find that must open the damaged object refuses it; get verifies the
 * SHA-256 and leaves no file when it differs.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ArchiveFindGetTest {

    private static final long DAY = 86_400_000L;
    private static final long T0 = 1_735_689_600_000L; // 2025-01-01T00:00:00Z

    private final String prefix = "find-" + UUID.randomUUID() + "/";
    private LocalStack stack;
    private ArchiveBucket bucket;
    private Map<String, String> env;
    private final List<String> keys = new ArrayList<>();

    @BeforeAll
    void archive() throws Exception {
        stack = LocalStack.forTests().ensure(EnumSet.of(LocalStack.Server.S3));
        bucket = ArchiveBucket.of(stack);
        env = Map.of("ARCHIVER_S3_BUCKET", bucket.name(), "ARCHIVER_S3_ENDPOINT", stack.s3().endpoint(), "AWS_ACCESS_KEY_ID",
                stack.s3().accessKey(), "AWS_SECRET_ACCESS_KEY", stack.s3().secretKey());
        for (int object = 1; object <= 4; object++) {
            long first = 100L * object;
            List<List<String>> rows = new ArrayList<>();
            for (long id = first; id < first + 100; id += 10) {
                // object n holds the rows of day n: its date range tells it apart
                rows.add(java.util.Arrays.asList(Long.toString(id), Long.toString(T0 + object * DAY + id), id % 20 == 0 ? null : "",
                        "row \"" + id + "\"\nline 2"));
            }
            put(first, first + 99, rows, object == 4);
        }
    }

    @AfterAll
    void close() {
        if (bucket != null) {
            bucket.close();
        }
    }

    private void put(long first, long last, List<List<String>> rows, boolean damageAfterwards) throws IOException {
        keys.add(put(prefix, first, last, rows, damageAfterwards));
    }

    private String put(String under, long first, long last, List<List<String>> rows, boolean damageAfterwards) throws IOException {
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (CSVPrinter printer = new CSVPrinter(new OutputStreamWriter(new GZIPOutputStream(gz), StandardCharsets.UTF_8), ShardFormat.CSV)) {
            printer.printRecord(List.of("id", "msg_sent_date", "note", "payload"));
            for (List<String> row : rows) {
                printer.printRecord(row);
            }
        }
        byte[] bytes = gz.toByteArray();
        String key = String.format("%srun_archive_20260101_run_%019d-%019d_test-run.csv.gz", under, first, last);
        List<String> dates = rows.stream().map(r -> r.get(1)).sorted().toList();
        ArchiveManifest manifest = new ArchiveManifest(ArchiveManifest.FORMAT_VERSION, "run", "run", "test-run", "id", "msg_sent_date",
                "EPOCH_MILLIS", List.of(new ArchiveManifest.Column("id", "bigint", "bigint(20)"),
                        new ArchiveManifest.Column("msg_sent_date", "bigint", "bigint(20)"),
                        new ArchiveManifest.Column("note", "varchar", "varchar(32)"), new ArchiveManifest.Column("payload", "text", "text")),
                ArchiveManifest.Encoding.CURRENT, List.of(new ArchiveManifest.ObjectEntry(key, Long.toString(first), Long.toString(last),
                        dates.get(0), dates.get(dates.size() - 1), rows.size(), bytes.length, sha256(bytes), "0".repeat(64),
                        ArchiveManifest.CSV_GZIP)));
        if (damageAfterwards) {
            bytes[bytes.length / 2] ^= 0x01;
        }
        byte[] stored = bytes;
        bucket.client().putObject(b -> b.bucket(bucket.name()).key(key), RequestBody.fromBytes(stored));
        bucket.client().putObject(b -> b.bucket(bucket.name()).key(ManifestKeys.ofObject(key)), RequestBody.fromBytes(ManifestCodec.encode(manifest)));
        return key;
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void findByKeyOpensOnlyTheObjectWhoseRangeHoldsItAndPrintsTheRowWithItsObject() {
        Cli.Result result = Cli.run(env, "archive", "find", "--policy", "run", "--prefix", prefix, "--key", "120");
        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.err()).contains("1 rows found; opened 1 of 4 objects").contains("3 skipped by their manifests' ranges");
        assertThat(result.out()).isEqualTo("\"archive_object\",\"id\",\"msg_sent_date\",\"note\",\"payload\"\r\n" + "\"" + keys.get(0)
                + "\",\"120\",\"" + (T0 + DAY + 120) + "\",,\"row \"\"120\"\"\nline 2\"\r\n");
    }

    @Test
    void findByKeyRangeAndByDateOpensOnlyTheObjectsThatCanHoldThem() {
        Cli.Result range = Cli.run(env, "archive", "find", "--policy", "run", "--prefix", prefix, "--key-range", "190..205", "--format",
                "json");
        assertThat(range.exitCode()).as(range.toString()).isZero();
        assertThat(range.err()).contains("2 rows found; opened 2 of 4 objects");
        assertThat(range.out().lines().toList()).containsExactly(
                "{\"object\":\"" + keys.get(0) + "\",\"values\":{\"id\":\"190\",\"msg_sent_date\":\"" + (T0 + DAY + 190)
                        + "\",\"note\":\"\",\"payload\":\"row \\\"190\\\"\\nline 2\"}}",
                "{\"object\":\"" + keys.get(1) + "\",\"values\":{\"id\":\"200\",\"msg_sent_date\":\"" + (T0 + 2 * DAY + 200)
                        + "\",\"note\":null,\"payload\":\"row \\\"200\\\"\\nline 2\"}}");

        // day 3 only: the third object's rows, from 2025-01-04T00:00:00.300Z (inclusive) to .350Z (exclusive)
        Cli.Result dates = Cli.run(env, "archive", "find", "--policy", "run", "--prefix", prefix, "--from", "2025-01-04T00:00:00.300Z",
                "--to", "2025-01-04T00:00:00.350Z");
        assertThat(dates.exitCode()).as(dates.toString()).isZero();
        assertThat(dates.err()).contains("5 rows found; opened 1 of 4 objects");
        assertThat(dates.out().lines().filter(l -> l.startsWith("\"" + prefix))).hasSize(5).allMatch(l -> l.startsWith("\"" + keys.get(2)));
    }

    @Test
    void findThatMustOpenTheDamagedObjectRefusesItAndPrintsNoneOfItsRows() {
        Cli.Result result = Cli.run(env, "archive", "find", "--policy", "run", "--prefix", prefix, "--key", "450");
        assertThat(result.exitCode()).as(result.toString()).isEqualTo(1);
        assertThat(result.out()).doesNotContain("450");
        assertThat(result.err()).contains("refused 1 objects").contains(keys.get(3)).contains("SHA-256");
    }

    @Test
    void getWritesAnIntactObjectAndRefusesADamagedOneLeavingNoFile(@TempDir Path dir) throws IOException {
        Path good = dir.resolve("good.csv.gz");
        Cli.Result ok = Cli.run(env, "archive", "get", keys.get(1), "-o", good.toString());
        assertThat(ok.exitCode()).as(ok.toString()).isZero();
        assertThat(ok.out()).contains("verified");
        assertThat(Files.readAllBytes(good)).isEqualTo(bucket.read(keys.get(1)));

        Path bad = dir.resolve("bad.csv.gz");
        Cli.Result refused = Cli.run(env, "archive", "get", keys.get(3), "-o", bad.toString());
        assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(1);
        assertThat(refused.err()).contains("refused").contains("SHA-256");
        assertThat(bad).doesNotExist();
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString()).toList()).containsExactly("good.csv.gz");
        }
    }

    @Test
    void ddlPrintsADuckDbViewAndAnAthenaTableOverThePrefixWithTheManifestsColumns() {
        Cli.Result result = Cli.run(env, "archive", "ddl", "--policy", "run", "--prefix", prefix);
        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out()).contains("CREATE OR REPLACE VIEW run_archive AS")
                .contains("read_csv('s3://" + bucket.name() + "/" + prefix + "run_archive_*.csv.gz'")
                .contains("nullstr = '', allow_quoted_nulls = false")
                .contains("columns = {'id': 'BIGINT', 'msg_sent_date': 'BIGINT', 'note': 'VARCHAR', 'payload': 'VARCHAR'}")
                .contains("CREATE EXTERNAL TABLE run_archive (").contains("`note` STRING COMMENT 'varchar(32)'")
                .contains("LOCATION 's3://" + bucket.name() + "/" + prefix + "'")
                .contains("CREATE OR REPLACE VIEW run_archive_rows AS SELECT * FROM run_archive WHERE \"$path\" LIKE '%.csv.gz';");
    }

    @Test
    void duckDbTypesAreExactWhereTheArchivesTextReadsBackExactly() {
        assertThat(io.archiver.objectstore.ArchiveDdl.duckDbType(new ArchiveManifest.Column("a", "decimal", "decimal(10,2)"))).isEqualTo("DECIMAL(10,2)");
        assertThat(io.archiver.objectstore.ArchiveDdl.duckDbType(new ArchiveManifest.Column("a", "decimal", "decimal(65,30)"))).isEqualTo("VARCHAR");
        assertThat(io.archiver.objectstore.ArchiveDdl.duckDbType(new ArchiveManifest.Column("a", "bigint", "bigint(20) unsigned"))).isEqualTo("UBIGINT");
        assertThat(io.archiver.objectstore.ArchiveDdl.duckDbType(new ArchiveManifest.Column("a", "datetime", "datetime(6)"))).isEqualTo("VARCHAR");
        assertThat(io.archiver.objectstore.ArchiveDdl.duckDbType(new ArchiveManifest.Column("a", "double", "double"))).isEqualTo("DOUBLE");
    }

    @Test
    void verifyReportsACorruptedAndAMissingObjectAndExitsNonZero(@TempDir Path dir) throws IOException {
        String under = "verify-" + UUID.randomUUID() + "/";
        List<List<String>> rows = List.of(java.util.Arrays.asList("1", Long.toString(T0), null, "x"));
        String intact = put(under, 1, 9, rows, false);
        String corrupted = put(under, 10, 19, rows, true);
        String missing = put(under, 20, 29, rows, false);
        bucket.client().deleteObject(b -> b.bucket(bucket.name()).key(missing));
        Path metrics = dir.resolve("archiver_verify.prom");

        Cli.Result result = Cli.run(env, "archive", "verify", "--policy", "run", "--prefix", under, "--metrics-file", metrics.toString());

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(1);
        assertThat(result.out().lines().filter(l -> l.startsWith("MISMATCH")).toList()).satisfiesExactlyInAnyOrder(
                l -> assertThat(l).startsWith("MISMATCH " + corrupted + ": SHA-256 "),
                l -> assertThat(l).startsWith("MISMATCH " + missing + ": missing"));
        assertThat(result.out()).doesNotContain("MISMATCH " + intact).contains("verified 3 of 3 objects")
                .contains("1 intact, 1 differ from their manifests, 1 missing");
        assertThat(Files.readString(metrics)).contains("archiver_archive_verify_objects{policy=\"run\",result=\"intact\"} 1")
                .contains("archiver_archive_verify_objects{policy=\"run\",result=\"mismatch\"} 1")
                .contains("archiver_archive_verify_objects{policy=\"run\",result=\"missing\"} 1");

        bucket.client().deleteObject(b -> b.bucket(bucket.name()).key(corrupted));
        bucket.client().deleteObject(b -> b.bucket(bucket.name()).key(ManifestKeys.ofObject(corrupted)));
        bucket.client().deleteObject(b -> b.bucket(bucket.name()).key(ManifestKeys.ofObject(missing)));
        Cli.Result clean = Cli.run(env, "archive", "verify", "--policy", "run", "--prefix", under, "--sample", "50%");
        assertThat(clean.exitCode()).as(clean.toString()).isZero();
        assertThat(clean.out()).contains("verified 1 of 1 objects").contains("1 intact, 0 differ from their manifests, 0 missing");
    }
}
