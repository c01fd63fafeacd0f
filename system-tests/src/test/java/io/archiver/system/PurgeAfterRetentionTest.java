package io.archiver.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import io.archiver.events.ArchiveMode;
import io.archiver.events.ArchiveRequested;
import io.archiver.events.ArchiveRunCompleted;
import io.archiver.events.RunOutcome;
import io.archiver.localstack.LocalStack;
import io.archiver.localstack.pipeline.PipelineDriver;
import io.archiver.localstack.process.StackLayout;
import io.archiver.localstack.s3.S3MockServer;
import io.archiver.localstack.services.ArchiverService;
import io.archiver.manifest.ArchiveManifest;
import io.archiver.manifest.ManifestKeys;
import io.archiver.objectstore.ArchiveReader;
import io.archiver.objectstore.ObjectStore;
import io.archiver.objectstore.ObjectStoreConfig;
import io.archiver.operations.holds.HoldOperations;
import io.archiver.operations.holds.HoldOrder;
import io.archiver.operations.purge.PurgeReport;
import io.archiver.operations.purge.Purger;
import io.archiver.policy.PolicyFile;
import io.archiver.policy.PolicySpec;
import io.archiver.policy.PolicyStore;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ObjectLockLegalHoldStatus;
import software.amazon.awssdk.services.s3.model.ObjectLockRetentionMode;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Issue 23, purge after retention with a legal hold (promises 8 and 9), on the real stack with a bucket with Object Lock
 * (S3Mock): the four services archive `run` in MOVE mode (every object retained P731D by the uploader); then the policy gets
 * an archive-table-retention, a hold is placed on the key range of one object, and one other object's retention is
 * extended ten years. With the clock 800 days on, purge removes exactly the rest: every moved row outside the held range,
 * every object but the held one and the locked one, which is reported; the audit shows the hold and every purge.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PurgeAfterRetentionTest {

    private static final String PREFIX = "run-archive/";

    private SystemStack system;
    private S3MockServer s3mock;
    private ArchiveRequested request;
    private ArchiveRunCompleted completed;

    @BeforeAll
    void archive() {
        system = SystemStack.start("purge", 4_000, 0.6, stack -> {
            s3mock = new S3MockServer(StackLayout.locate(stack.workDir()), stack.workDir().resolve("s3mock")).start()
                    .createLockedBucket(LocalStack.BUCKET);
            Map<String, String> s3 = new HashMap<>(s3mock.serviceEnvironment());
            s3.put("ARCHIVER_POLICIES_RUN_BATCH_SIZE", "700");
            Map<String, String> exporter = new HashMap<>(s3);
            exporter.put("ARCHIVER_S3_OBJECT_LOCK", "ON"); // the exporter puts the objects
            Map<ArchiverService, Map<String, String>> overrides = new EnumMap<>(ArchiverService.class);
            overrides.put(ArchiverService.SCANNER, s3);
            overrides.put(ArchiverService.EXPORTER, exporter);
            overrides.put(ArchiverService.UPLOADER, s3);
            overrides.put(ArchiverService.DELETER, s3);
            return overrides;
        });
        long cutoff = Instant.now().minus(PipelineDriver.SIXTY_DAYS).toEpochMilli();
        request = ArchiveRequested.of(PipelineDriver.newRunId(), "run", "run", cutoff, ArchiveMode.MOVE, "purge-test", false, null);
        system.driver.trigger(request);
        completed = system.driver.awaitCompletion(request.runId(), Duration.ofMinutes(5));
    }

    @AfterAll
    void stop() {
        if (system != null) {
            system.close();
        }
        if (s3mock != null) {
            s3mock.close();
        }
    }

    @Test
    void purgeAfterRetentionRemovesExactlyWhatNoHoldCoversAndNoObjectLockRetainsAndAuditsBoth() throws Exception {
        assertThat(completed.outcome()).isEqualTo(RunOutcome.SUCCEEDED);
        Set<Long> moved = keys("SELECT id FROM run_archive");
        assertThat(moved).hasSize((int) completed.stats().rowsRemoved()).hasSizeGreaterThan(1_000);

        try (S3Client s3 = s3mock.client(); Connection control = system.jdbc()) {
            ObjectStore store = store(s3);
            List<ArchiveManifest.ObjectEntry> objects = new ArrayList<>();
            new ArchiveReader(store).objectManifests(PREFIX).stream().filter(m -> m.runId().equals(request.runId()))
                    .forEach(m -> objects.addAll(m.objects()));
            objects.sort(Comparator.comparingLong(o -> Long.parseLong(o.firstKey())));
            assertThat(objects).hasSize((int) completed.stats().objects()).hasSizeGreaterThan(3);
            ArchiveManifest.ObjectEntry held = objects.get(1);
            ArchiveManifest.ObjectEntry locked = objects.get(2);
            long first = Long.parseLong(held.firstKey());
            long last = Long.parseLong(held.lastKey());

            // the operator's decisions: a retention for the MOVE table, a hold on one object's keys; and one object kept longer
            PolicyStore policies = new PolicyStore(control);
            PolicySpec run = policies.find("run").orElseThrow().spec();
            policies.apply(List.of(PolicyFile.withSettings(run, Map.of("mode", "MOVE", "archive-table-retention", "P30D"))), "purge-test");
            HoldOperations.Outcome hold = new HoldOperations(control, store, Clock.systemUTC())
                    .place(new HoldOrder("run", null, null, first, last, "case 2026-117", null, "counsel"));
            assertThat(hold.legalHoldsSet()).containsExactlyInAnyOrder(held.key(), ManifestKeys.ofObject(held.key()));
            assertThat(s3.getObjectLegalHold(b -> b.bucket(LocalStack.BUCKET).key(held.key())).legalHold().status())
                    .isEqualTo(ObjectLockLegalHoldStatus.ON);
            Instant tenYears = Instant.now().plus(Duration.ofDays(3650));
            s3.putObjectRetention(b -> b.bucket(LocalStack.BUCKET).key(locked.key())
                    .retention(r -> r.mode(ObjectLockRetentionMode.GOVERNANCE).retainUntilDate(tenYears)));

            Clock later = Clock.fixed(Instant.now().plus(Duration.ofDays(800)), ZoneOffset.UTC);
            PurgeReport report = new Purger(control, store, later, "purge-test", 500).purge("run", false);
            PurgeReport.PolicyPurge purge = report.policies().get(0);

            Set<Long> heldRows = new TreeSet<>(moved.stream().filter(k -> k >= first && k <= last).toList());
            assertThat(heldRows).hasSize((int) held.rows());
            assertThat(keys("SELECT id FROM run_archive")).as("run_archive after the purge: the held rows alone").isEqualTo(heldRows);
            assertThat(purge.rows().purged()).isEqualTo(moved.size() - heldRows.size());
            assertThat(purge.rows().held()).isEqualTo(heldRows.size());

            assertThat(purge.objects().held()).containsExactly(held.key());
            assertThat(purge.objects().locked()).extracting(PurgeReport.Locked::key).containsExactly(locked.key());
            List<String> expectedGone = objects.stream().map(ArchiveManifest.ObjectEntry::key)
                    .filter(k -> !k.equals(held.key()) && !k.equals(locked.key())).toList();
            assertThat(purge.objects().purged()).containsExactlyInAnyOrderElementsOf(expectedGone);
            List<String> left = s3.listObjectsV2Paginator(b -> b.bucket(LocalStack.BUCKET).prefix(PREFIX)).contents().stream()
                    .map(S3Object::key).filter(ManifestKeys::isArchiveObject).toList();
            assertThat(left).as("archive objects left").containsExactlyInAnyOrder(held.key(), locked.key());

            Map<String, String> digests = new HashMap<>();
            objects.forEach(o -> digests.put(o.key(), o.sha256()));
            try (PreparedStatement query = control.prepareStatement(
                    "SELECT action, actor, row_count, object_keys, digests FROM archive_audit WHERE action IN"
                            + " ('HOLD_PLACED', 'ROWS_PURGED', 'OBJECT_PURGED') ORDER BY id");
                    ResultSet rows = query.executeQuery()) {
                long rowsPurged = 0;
                int holds = 0;
                List<String> objectsPurged = new ArrayList<>();
                while (rows.next()) {
                    switch (rows.getString(1)) {
                        case "HOLD_PLACED" -> {
                            holds++;
                            assertThat(rows.getString(2)).isEqualTo("counsel");
                        }
                        case "ROWS_PURGED" -> {
                            assertThat(rows.getLong(3)).isBetween(1L, 500L);
                            rowsPurged += rows.getLong(3);
                        }
                        default -> {
                            String key = rows.getString(4).replaceAll("^\\[\"|\"]$", "");
                            assertThat(rows.getString(5)).as("digests of " + key).contains(digests.get(key));
                            objectsPurged.add(key);
                        }
                    }
                }
                assertThat(holds).isEqualTo(1);
                assertThat(rowsPurged).isEqualTo(moved.size() - heldRows.size());
                assertThat(objectsPurged).containsExactlyInAnyOrderElementsOf(expectedGone);
            }
        }
    }

    private Set<Long> keys(String sql) throws Exception {
        Set<Long> keys = new TreeSet<>();
        try (Connection connection = system.jdbc(); ResultSet rows = connection.createStatement().executeQuery(sql)) {
            while (rows.next()) {
                keys.add(rows.getLong(1));
            }
        }
        return keys;
    }

    private static ObjectStore store(S3Client client) {
        return new ObjectStore(client, ObjectStoreConfig.of(LocalStack.BUCKET, Duration.ofSeconds(3)));
    }
}
