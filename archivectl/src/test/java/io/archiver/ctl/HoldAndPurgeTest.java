package io.archiver.ctl;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import io.archiver.ctl.Cli.Result;
import io.archiver.events.ArchiveMode;
import io.archiver.localstack.LocalStack;
import io.archiver.localstack.process.StackLayout;
import io.archiver.localstack.s3.S3MockServer;
import io.archiver.manifest.ArchiveManifest;
import io.archiver.manifest.ManifestCodec;
import io.archiver.manifest.ManifestKeys;
import io.archiver.objectstore.ObjectStore;
import io.archiver.objectstore.ObjectStoreConfig;
import io.archiver.operations.purge.PurgeReport;
import io.archiver.operations.purge.Purger;
import io.archiver.policy.ControlDatabase;
import io.archiver.policy.PolicyFile;
import io.archiver.policy.PolicyFileException;
import io.archiver.policy.PolicySpec;
import io.archiver.policy.PolicyStore;
import io.archiver.support.policy.DateKind;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ObjectLockLegalHoldStatus;
import software.amazon.awssdk.services.s3.model.ObjectLockRetentionMode;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Legal holds and purge after retention (issue 23 items 4 and 5, promises 8 and 9) on a real control database (MariaDB) and
 * a bucket with Object Lock (S3Mock). A MOVE policy {@code orders} whose archive table holds keys 1..3000, 1..2900 moved long
 * ago and 2901..3000 dated in the future, and three objects with their manifests: K1 (keys 1..1000, run-a), K2 (1001..2000,
 * run-b, whose batch the ledger knows) and K3 (2001..3000, run-a, retained by Object Lock for ten years). A hold on run-b
 * keeps K2 and the rows 1001..2000; holds placed and released set and clear S3 legal holds; purge removes exactly the rest
 * that is due, skips K3 and reports it, and the audit shows the holds and every removal.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HoldAndPurgeTest {

    private static final long DAY = 86_400_000L;

    private ControlDatabase db;
    private S3MockServer s3mock;
    private S3Client s3;
    private Map<String, String> env;
    private final Instant now = Instant.now();
    private final Map<String, String> sha256 = new HashMap<>();
    private String k1;
    private String k2;
    private String k3;

    @BeforeAll
    void start() throws Exception {
        db = ControlDatabase.start("archivectl-hold-purge");
        Path work = Path.of("target", "hold-purge").toAbsolutePath();
        LocalStack.deleteRecursively(work);
        s3mock = new S3MockServer(StackLayout.locate(work), work.resolve("s3mock")).start().createLockedBucket("archive");
        s3 = s3mock.client();
        env = new HashMap<>(Map.of("ARCHIVER_DB_URL", db.mysql.jdbcUrl(), "ARCHIVER_DB_USER", db.mysql.user(), "ARCHIVER_DB_PASSWORD",
                db.mysql.password(), "ARCHIVER_S3_BUCKET", "archive", "ARCHIVER_S3_ENDPOINT", s3mock.endpoint(), "AWS_ACCESS_KEY_ID", "s3mock",
                "AWS_SECRET_ACCESS_KEY", "s3mock", "ARCHIVER_ACTOR", "alice"));
        try (Connection connection = db.connect(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE orders (id BIGINT PRIMARY KEY, created_ms BIGINT NOT NULL, note VARCHAR(64))");
            statement.execute("CREATE TABLE orders_archive (id BIGINT PRIMARY KEY, created_ms BIGINT NOT NULL, note VARCHAR(64),"
                    + " KEY idx_created (created_ms))");
            statement.execute("INSERT INTO orders_archive SELECT seq, " + (now.toEpochMilli() - 400 * DAY) + " + seq, CONCAT('order ', seq)"
                    + " FROM seq_1_to_2900");
            statement.execute("INSERT INTO orders_archive SELECT seq, " + (now.toEpochMilli() + 1000 * DAY) + " + seq, 'future'"
                    + " FROM seq_2901_to_3000");
            statement.execute("INSERT INTO archive_run (run_id, policy, table_name, cutoff_epoch_ms, mode, run_date, dry_run, requested_by,"
                    + " state, requested_at_ms) VALUES ('run-b', 'orders', 'orders', 0, 'MOVE', '2025-11-01', FALSE, 'test', 'COMPLETED', 0)");
            statement.execute("INSERT INTO archive_batch (batch_id, run_id, seq, first_id, last_id, expected_rows, state, object_key,"
                    + " updated_at_ms) VALUES ('run-b-0001', 'run-b', 1, 1001, 2000, 1000, 'DELETED', 'orders-archive/k2.csv', 0)");
            PolicySpec orders = PolicyFile.withSettings(PolicySpec.defaults("orders", "orders"), Map.of("key", List.of("id"), "date-column",
                    "created_ms", "date-kind", DateKind.EPOCH_MILLIS.name(), "mode", ArchiveMode.MOVE.name(), "archive-table", "orders_archive",
                    "prefix", "orders-archive", "archive-table-retention", "P30D"));
            new PolicyStore(connection).apply(List.of(orders), "test");
        }
        k1 = put("run-a", 1, 1000, null);
        k2 = put("run-b", 1001, 2000, null);
        k3 = put("run-a", 2001, 3000, now.plus(Duration.ofDays(3650)));
    }

    /** An object and its manifest as the uploader leaves them; {@code retainUntil} (nullable) its Object Lock retention. */
    private String put(String runId, long first, long last, Instant retainUntil) throws Exception {
        String key = first == 1001 ? "orders-archive/k2.csv" : "orders-archive/" + runId + "_" + first + "-" + last + ".csv";
        StringBuilder csv = new StringBuilder("id,created_ms,note\r\n");
        for (long id = first; id <= last; id++) {
            csv.append(id).append(',').append(id).append(",order ").append(id).append("\r\n");
        }
        byte[] bytes = csv.toString().getBytes(StandardCharsets.UTF_8);
        String digest = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        sha256.put(key, digest);
        ArchiveManifest manifest = new ArchiveManifest(ArchiveManifest.FORMAT_VERSION, "orders", "orders", runId, "id", "created_ms",
                "EPOCH_MILLIS", List.of(new ArchiveManifest.Column("id", "bigint", "bigint(20)"),
                        new ArchiveManifest.Column("created_ms", "bigint", "bigint(20)"), new ArchiveManifest.Column("note", "varchar", "varchar(64)")),
                ArchiveManifest.Encoding.CURRENT, List.of(new ArchiveManifest.ObjectEntry(key, Long.toString(first), Long.toString(last),
                        Long.toString(first), Long.toString(last), last - first + 1, bytes.length, digest, "0".repeat(64), ArchiveManifest.CSV)));
        for (Map.Entry<String, byte[]> object : Map.of(key, bytes, ManifestKeys.ofObject(key), ManifestCodec.encode(manifest)).entrySet()) {
            s3.putObject(b -> b.bucket("archive").key(object.getKey()), RequestBody.fromBytes(object.getValue()));
            if (retainUntil != null) {
                // as the uploader does: S3Mock keeps no retention from a put's headers, only from PutObjectRetention
                s3.putObjectRetention(b -> b.bucket("archive").key(object.getKey())
                        .retention(r -> r.mode(ObjectLockRetentionMode.GOVERNANCE).retainUntilDate(retainUntil)));
            }
        }
        return key;
    }

    @AfterAll
    void stop() {
        if (s3 != null) {
            s3.close();
        }
        if (s3mock != null) {
            s3mock.close();
        }
        if (db != null) {
            db.close();
        }
    }

    private Result ctl(String... args) {
        Result result = Cli.run(env, args);
        System.out.println("$ archivectl " + String.join(" ", args) + "\n" + result);
        return result;
    }

    private boolean legalHoldOn(String key) {
        try {
            return s3.getObjectLegalHold(b -> b.bucket("archive").key(key)).legalHold().status() == ObjectLockLegalHoldStatus.ON;
        } catch (S3Exception e) {
            return false; // S3Mock answers 404 for an object that never had a legal hold
        }
    }

    private boolean exists(String key) {
        try {
            s3.headObject(b -> b.bucket("archive").key(key));
            return true;
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return false;
            }
            throw e;
        }
    }

    private List<Long> archivedKeys() throws SQLException {
        List<Long> keys = new ArrayList<>();
        try (Connection connection = db.connect(); ResultSet rows = connection.createStatement().executeQuery("SELECT id FROM orders_archive ORDER BY id")) {
            while (rows.next()) {
                keys.add(rows.getLong(1));
            }
        }
        return keys;
    }

    private List<Map<String, Object>> audit(String action) throws SQLException {
        List<Map<String, Object>> entries = new ArrayList<>();
        try (Connection connection = db.connect(); PreparedStatement query = connection.prepareStatement(
                "SELECT actor, policy, row_count, object_keys, digests, detail FROM archive_audit WHERE action = ? ORDER BY id")) {
            query.setString(1, action);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    Map<String, Object> entry = new HashMap<>();
                    entry.put("actor", rows.getString(1));
                    entry.put("policy", rows.getString(2));
                    entry.put("rows", rows.getLong(3));
                    entry.put("objectKeys", rows.getString(4));
                    entry.put("digests", rows.getString(5));
                    entry.put("detail", rows.getString(6));
                    entries.add(entry);
                }
            }
        }
        return entries;
    }

    @Test
    @Order(1)
    void holdsSetTheS3LegalHoldOnWhatTheyCoverAndAReleaseClearsItUnlessAnotherHoldCoversIt() throws Exception {
        Result run = ctl("hold", "place", "--policy", "orders", "--run", "run-b", "--reason", "case 2026-117");
        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out()).contains("hold 1 placed on policy orders, run run-b: case 2026-117")
                .contains("S3 Object Lock legal hold ON on 2 object(s)");
        assertThat(legalHoldOn(k2)).isTrue();
        assertThat(legalHoldOn(ManifestKeys.ofObject(k2))).isTrue();
        assertThat(legalHoldOn(k1)).isFalse();
        assertThat(legalHoldOn(k3)).isFalse();

        // a key range within K3, placed and released: K3's legal hold goes on, then off (nothing else covers it)
        Result range = ctl("hold", "place", "--policy", "orders", "--key-range", "2500..2509", "--reason", "a complaint");
        assertThat(range.exitCode()).as(range.toString()).isZero();
        assertThat(legalHoldOn(k3)).isTrue();
        assertThat(ctl("hold", "release", "2").exitCode()).isZero();
        assertThat(legalHoldOn(k3)).isFalse();

        // a hold on K2 alone, released: K2 stays held by the run's hold
        assertThat(ctl("hold", "place", "--policy", "orders", "--object", k2, "--reason", "copy for counsel").exitCode()).isZero();
        Result release = ctl("hold", "release", "3", "--actor", "bob");
        assertThat(release.out()).contains("kept ON on 2 another hold covers");
        assertThat(legalHoldOn(k2)).isTrue();

        Result list = ctl("hold", "list", "--policy", "orders");
        assertThat(list.out()).contains("run run-b").contains("case 2026-117").contains("1 hold(s)").doesNotContain("a complaint");
        assertThat(ctl("hold", "list", "--all", "--json").out().lines().count()).isEqualTo(3);

        assertThat(audit("HOLD_PLACED")).hasSize(3).allSatisfy(e -> assertThat(e.get("actor")).isEqualTo("alice"));
        assertThat(audit("HOLD_RELEASED")).hasSize(2).extracting(e -> e.get("actor")).containsExactly("alice", "bob");
        assertThat(audit("HOLD_RELEASED").get(1).get("detail")).asString().contains("object " + k2);
    }

    @Test
    @Order(2)
    void aHoldOrderThatIsNotOneScopeOrHasNoReasonIsRefusedNamingTheField() {
        Result two = ctl("hold", "place", "--policy", "orders", "--run", "run-b", "--key-range", "1..2", "--reason", "x");
        assertThat(two.exitCode()).isEqualTo(2);
        assertThat(two.err()).contains("scope: a hold covers one of a run (--run), an object (--object) or a key range");
        Result backwards = ctl("hold", "place", "--policy", "orders", "--key-range", "9..2", "--reason", "x");
        assertThat(backwards.err()).contains("key-range: a key range is FIRST..LAST with FIRST <= LAST");
        Result keptRun = ctl("hold", "place", "--policy", "orders", "--run", "run-b", "--keep-in-source", "--reason", "x");
        assertThat(keptRun.exitCode()).isEqualTo(2);
        assertThat(keptRun.err()).contains("keep-in-source: only a key-range hold keeps rows in the source table");
        Result noPolicy = ctl("hold", "place", "--policy", "nope", "--reason", "x");
        assertThat(noPolicy.err()).contains("policy: no policy named 'nope'");
        Result released = ctl("hold", "release", "2");
        assertThat(released.exitCode()).isEqualTo(2);
        assertThat(released.err()).contains("hold 2 was already released by alice");
    }

    @Test
    @Order(3)
    void aDryRunShowsWhatIsDueHeldAndNotYetDueAndChangesNothing() throws Exception {
        Result dry = ctl("purge", "--policy", "orders", "--dry-run");
        assertThat(dry.exitCode()).as(dry.toString()).isZero();
        assertThat(dry.out()).contains("orders rows of orders_archive before").contains(": 2,900 due, would purge 1,900, 1,000 held")
                .contains("orders objects: 3 within retention, would purge 0, 0 held, 0 locked");
        assertThat(archivedKeys()).hasSize(3000);
        assertThat(audit("ROWS_PURGED")).isEmpty();
    }

    @Test
    @Order(4)
    void purgeRemovesExactlyTheDueRowsNoHoldCoversInShortAuditedBatches() throws Exception {
        Result purge = ctl("purge", "--policy", "orders", "--batch-rows", "500");
        assertThat(purge.exitCode()).as(purge.toString()).isZero();
        assertThat(purge.out()).contains(": 2,900 due, purged 1,900, 1,000 held");
        List<Long> expected = new ArrayList<>();
        for (long id = 1001; id <= 2000; id++) {
            expected.add(id); // held by run-b's hold
        }
        for (long id = 2901; id <= 3000; id++) {
            expected.add(id); // not yet past the archive-table-retention
        }
        assertThat(archivedKeys()).isEqualTo(expected);
        List<Map<String, Object>> purged = audit("ROWS_PURGED");
        assertThat(purged).hasSize(4).allSatisfy(e -> {
            assertThat(e.get("policy")).isEqualTo("orders");
            assertThat((Long) e.get("rows")).isLessThanOrEqualTo(500);
            assertThat(e.get("digests")).asString().contains("keysSha256");
        });
        assertThat(purged.stream().mapToLong(e -> (Long) e.get("rows")).sum()).isEqualTo(1900);
        assertThat(purged.get(0).get("detail")).asString().startsWith("keys 1..500 of orders_archive");

        // nothing more is due: a second purge removes and audits nothing
        assertThat(ctl("purge", "--policy", "orders").out()).contains("purged 0 rows and 0 objects of 1 policies");
        assertThat(audit("ROWS_PURGED")).hasSize(4);
    }

    @Test
    @Order(5)
    void objectsPastRetentionArePurgedExceptHeldAndLockedOnesWhichAreReported() throws Exception {
        Clock later = Clock.fixed(now.plus(Duration.ofDays(731)), ZoneOffset.UTC);
        PurgeReport report;
        try (Connection connection = db.connect(); S3Client client = s3mock.client()) {
            report = new Purger(connection, store(client), later, "purge-job", 1000).purge("orders", false);
        }
        PurgeReport.Objects objects = report.policies().get(0).objects();
        assertThat(objects.purged()).containsExactly(k1);
        assertThat(objects.held()).containsExactly(k2);
        assertThat(objects.locked()).extracting(PurgeReport.Locked::key).containsExactly(k3);
        assertThat(objects.locked().get(0).retainUntil()).isAfter(later.instant());
        assertThat(report.policies().get(0).rows().purged()).isZero(); // 2901..3000 are dated after the cutoff even then

        assertThat(exists(k1)).isFalse();
        assertThat(exists(ManifestKeys.ofObject(k1))).isFalse();
        assertThat(exists(k2)).isTrue();
        assertThat(exists(k3)).isTrue();
        assertThat(s3.getObjectRetention(b -> b.bucket("archive").key(k3)).retention().mode()).isEqualTo(ObjectLockRetentionMode.GOVERNANCE);
        List<Map<String, Object>> audited = audit("OBJECT_PURGED");
        assertThat(audited).hasSize(1);
        assertThat(audited.get(0).get("actor")).isEqualTo("purge-job");
        assertThat(audited.get(0).get("rows")).isEqualTo(1000L);
        assertThat(audited.get(0).get("objectKeys")).isEqualTo("[\"" + k1 + "\"]");
        assertThat(audited.get(0).get("digests")).asString().contains(sha256.get(k1));

        // run again: nothing more to do, nothing audited twice
        try (Connection connection = db.connect(); S3Client client = s3mock.client()) {
            PurgeReport again = new Purger(connection, store(client), later, "purge-job", 1000).purge("orders", false);
            assertThat(again.policies().get(0).objects().purged()).isEmpty();
        }
        assertThat(audit("OBJECT_PURGED")).hasSize(1);
    }

    @Test
    @Order(6)
    void retentionSettingsAreCheckedNamingTheSettingAndTheFix() {
        PolicySpec run = PolicySpec.defaults("run", "run");
        assertThat(run.objectRetention()).isEqualTo(Duration.ofDays(730));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> PolicyFile.withSettings(run, Map.of("object-retention", "P30D")))
                .isInstanceOf(PolicyFileException.class)
                .hasMessageContaining("policies.run.object-retention: the run table's objects are kept at least P730D");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> PolicyFile.withSettings(run, Map.of("archive-table-retention", "P30D")))
                .hasMessageContaining("policies.run.archive-table-retention: only a MOVE policy has an archive table to purge");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> PolicyFile.withSettings(run, Map.of("object-retention", "two years")))
                .hasMessageContaining("policies.run.object-retention: 'two years' is not an ISO-8601 duration");
    }

    @Test
    @Order(7)
    void aPolicyWhoseObjectRetentionIsShorterThanTheBucketsObjectLockRetentionHasNoObjectPurged() throws Exception {
        s3.createBucket(b -> b.bucket("archive-ruled").objectLockEnabledForBucket(true));
        s3.putObjectLockConfiguration(b -> b.bucket("archive-ruled").objectLockConfiguration(c -> c.objectLockEnabled("Enabled")
                .rule(r -> r.defaultRetention(d -> d.mode(ObjectLockRetentionMode.GOVERNANCE).days(1000)))));
        try (Connection connection = db.connect(); S3Client client = s3mock.client()) {
            PurgeReport report = new Purger(connection, store(client, "archive-ruled"), Clock.fixed(now.plus(Duration.ofDays(3000)),
                    ZoneOffset.UTC), "purge-job", 1000).purge("orders", true);
            assertThat(report.policies().get(0).objects().note()).isEqualTo("object-retention P730D is shorter than the bucket's Object Lock"
                    + " default retention P1000D; set policies.orders.object-retention to at least that");
        }
    }

    private static ObjectStore store(S3Client client) {
        return store(client, "archive");
    }

    private static ObjectStore store(S3Client client, String bucket) {
        return new ObjectStore(client, ObjectStoreConfig.of(bucket, Duration.ofSeconds(3)));
    }
}
