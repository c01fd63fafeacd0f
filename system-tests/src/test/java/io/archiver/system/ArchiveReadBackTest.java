package io.archiver.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import io.archiver.events.ArchiveMode;
import io.archiver.events.ArchiveRequested;
import io.archiver.events.ArchiveRunCompleted;
import io.archiver.events.RunOutcome;
import io.archiver.localstack.pipeline.PipelineDriver;
import io.archiver.manifest.ArchiveManifest;
import io.archiver.manifest.ManifestValues;
import io.archiver.objectstore.ArchiveReader;
import io.archiver.objectstore.ObjectStore;
import io.archiver.objectstore.ObjectStoreConfig;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Issue 23, the self-describing archive: `run` is archived by the four services on the real stack, then read back with the
 * bucket alone (an S3 client; no database, no ledger, no Kafka): the objects' manifests name every object, its key and date
 * ranges, rows, bytes and SHA-256, and the table's columns with their SQL types; each object read through its manifest is
 * intact, and its rows are the rows the table held before, value for value. The run's manifest, named by the completion,
 * lists every object; and the audit trail holds one row per deleted batch, naming its object and digests (promise 9).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ArchiveReadBackTest {

    private static final String PREFIX = "run-archive/";

    private SystemStack system;
    private long cutoff;
    private TableSnapshot before;
    private ArchiveRequested request;
    private ArchiveRunCompleted completed;

    @BeforeAll
    void archive() throws Exception {
        // batches of 700 rows: several objects, so that the manifests' ranges tell them apart
        system = SystemStack.start("read_back", 4_000, 0.6,
                stack -> SystemStack.everyService(Map.of("ARCHIVER_POLICIES_RUN_BATCH_SIZE", "700")));
        cutoff = Instant.now().minus(PipelineDriver.SIXTY_DAYS).toEpochMilli();
        try (Connection connection = system.jdbc()) {
            before = TableSnapshot.of(connection, "run");
        }
        request = ArchiveRequested.of(PipelineDriver.newRunId(), "run", "run", cutoff, ArchiveMode.DELETE, "read-back-test", false, null);
        system.driver.trigger(request);
        completed = system.driver.awaitCompletion(request.runId(), Duration.ofMinutes(5));
    }

    @AfterAll
    void stop() {
        if (system != null) {
            system.close();
        }
    }

    @Test
    void everyArchivedRowComesBackValueForValueFromTheBucketAlone() throws Exception {
        assertThat(completed.outcome()).isEqualTo(RunOutcome.SUCCEEDED);
        Set<Long> eligible = before.dates().entrySet().stream().filter(e -> e.getValue() < cutoff).map(Map.Entry::getKey)
                .collect(Collectors.toSet());
        assertThat(eligible).hasSizeGreaterThan(1_000);

        ArchiveReader reader = new ArchiveReader(bucketAlone(system.bucket.client(), system.bucket.name()));
        List<ArchiveManifest> manifests = reader.objectManifests(PREFIX).stream().filter(m -> m.runId().equals(request.runId())).toList();
        assertThat(manifests).as("one manifest per object of the run").hasSize((int) completed.stats().objects()).hasSizeGreaterThan(2);

        Map<Long, String> archived = new HashMap<>();
        List<Long> twice = new ArrayList<>();
        for (ArchiveManifest manifest : manifests) {
            assertThat(manifest.columns().stream().map(ArchiveManifest.Column::name).toList()).isEqualTo(before.columns());
            assertThat(manifest.keyColumn()).isEqualTo("id");
            assertThat(manifest.dateColumn()).isEqualTo("msg_sent_date");
            assertThat(manifest.columns()).filteredOn(c -> c.name().equals("msg_sent_date")).singleElement()
                    .satisfies(c -> assertThat(c.dataType()).isEqualTo("bigint"));
            assertThat(manifest.columns()).allSatisfy(c -> assertThat(c.sqlType()).isNotBlank().isNotEqualTo("unknown"));
            ArchiveManifest.ObjectEntry entry = manifest.objects().get(0);
            int id = before.columns().indexOf("id");
            int date = before.columns().indexOf("msg_sent_date");
            List<String> dates = new ArrayList<>();
            ArchiveReader.ObjectCheck check = reader.read(manifest, entry, values -> {
                long key = Long.parseLong(values.get(id));
                assertThat(ManifestValues.compare(values.get(id), entry.firstKey())).as("key in the object's range").isGreaterThanOrEqualTo(0);
                assertThat(ManifestValues.compare(values.get(id), entry.lastKey())).as("key in the object's range").isLessThanOrEqualTo(0);
                dates.add(values.get(date));
                if (archived.put(key, TableSnapshot.digest(values)) != null) {
                    twice.add(key);
                }
            });
            assertThat(check.mismatches()).as(entry.key()).isEmpty();
            assertThat(check.rows()).isEqualTo(entry.rows()).isPositive();
            assertThat(entry.minDate()).isEqualTo(dates.stream().min(ManifestValues.ORDER).orElseThrow());
            assertThat(entry.maxDate()).isEqualTo(dates.stream().max(ManifestValues.ORDER).orElseThrow());
            assertThat(Long.parseLong(entry.maxDate())).isLessThan(cutoff);
        }
        assertThat(twice).as("rows read twice").isEmpty();
        assertThat(archived.keySet()).isEqualTo(eligible);
        assertThat(eligible.stream().filter(key -> !before.digests().get(key).equals(archived.get(key))).toList())
                .as("rows whose values differ from the table's before the run").isEmpty();
    }

    @Test
    void theCompletionNamesTheRunManifestWhichListsEveryObjectOfTheRun() throws Exception {
        ArchiveReader reader = new ArchiveReader(bucketAlone(system.bucket.client(), system.bucket.name()));
        assertThat(completed.manifestKey()).as("ArchiveRunCompleted.manifestKey")
                .startsWith(PREFIX + "run_archive_").endsWith("_run_" + request.runId() + ".manifest.json");
        assertThat(reader.runManifestKeys(PREFIX)).contains(completed.manifestKey());
        ArchiveManifest run = reader.manifest(completed.manifestKey());
        List<ArchiveManifest> perObject = reader.objectManifests(PREFIX).stream().filter(m -> m.runId().equals(request.runId())).toList();
        assertThat(run).isEqualTo(ArchiveManifest.merge(perObject));
        assertThat(run.objects()).hasSize((int) completed.stats().objects());
        assertThat(run.objects().stream().mapToLong(ArchiveManifest.ObjectEntry::rows).sum()).isEqualTo(completed.stats().rowsUploaded());
        assertThat(run.objects().stream().mapToLong(ArchiveManifest.ObjectEntry::bytes).sum()).isEqualTo(completed.stats().bytesUploaded());
        for (ArchiveManifest.ObjectEntry entry : run.objects()) {
            assertThat(reader.read(run, entry, null).mismatches()).as(entry.key()).isEmpty();
        }
    }

    @Test
    void promise9_everyDeletedBatchLeftOneAuditRowNamingItsObjectAndDigests() throws Exception {
        ArchiveReader reader = new ArchiveReader(bucketAlone(system.bucket.client(), system.bucket.name()));
        ArchiveManifest run = reader.manifest(completed.manifestKey());
        Map<String, String> audited = new HashMap<>();
        long rows = 0;
        try (Connection connection = system.jdbc(); java.sql.PreparedStatement query = connection.prepareStatement(
                "SELECT actor, action, row_count, object_keys, digests FROM archive_audit WHERE run_id = ?")) {
            query.setString(1, request.runId());
            try (java.sql.ResultSet rs = query.executeQuery()) {
                while (rs.next()) {
                    assertThat(rs.getString("actor")).isEqualTo("deleter-service");
                    assertThat(rs.getString("action")).isEqualTo("BATCH_DELETED");
                    rows += rs.getLong("row_count");
                    audited.put(rs.getString("object_keys"), rs.getString("digests"));
                }
            }
        }
        assertThat(rows).isEqualTo(completed.stats().rowsRemoved());
        assertThat(audited).hasSize(run.objects().size());
        for (ArchiveManifest.ObjectEntry entry : run.objects()) {
            assertThat(audited.get("[\"" + entry.key() + "\"]")).as(entry.key())
                    .contains("\"objectSha256\":\"" + entry.sha256() + "\"").contains("\"rowsDigest\":\"" + entry.rowsDigest() + "\"");
        }
    }

    /** The bucket as a reader with nothing but an S3 client sees it. */
    static ObjectStore bucketAlone(S3Client s3, String bucket) {
        return new ObjectStore(s3, ObjectStoreConfig.of(bucket, Duration.ofSeconds(3)));
    }
}
