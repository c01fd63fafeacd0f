package io.archiver.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.archiver.events.ArchiveMode;
import io.archiver.events.ArchiveRequested;
import io.archiver.events.ArchiveRunCompleted;
import io.archiver.events.RunOutcome;
import io.archiver.localstack.LocalStack;
import io.archiver.localstack.pipeline.PipelineDriver;
import io.archiver.localstack.process.StackLayout;
import io.archiver.localstack.s3.S3MockServer;
import io.archiver.localstack.services.ArchiverService;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectRetentionResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ObjectLockRetentionMode;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Against a bucket with Object Lock (Adobe's S3Mock): every archive object gets a GOVERNANCE
 * retention of at least two years, and shards above the multipart threshold are put in several
 * parts, verified and archived like any other.
 */
class ObjectLockMultipartTest {

    private static final long FIVE_MIB = 5L * 1024 * 1024;

    private static SystemStack system;
    private static S3MockServer s3mock;

    @BeforeAll
    static void start() {
        system = SystemStack.start("object_lock", 70_000, 0.6, stack -> {
            s3mock = new S3MockServer(StackLayout.locate(stack.workDir()), stack.workDir().resolve("s3mock")).start()
                    .createLockedBucket(LocalStack.BUCKET);
            Map<String, String> common = Map.of("ARCHIVER_POLICIES_RUN_BATCH_SIZE", "30000", "ARCHIVER_EXPORT_COMPRESSION", "NONE");
            Map<String, String> s3 = new HashMap<>(s3mock.serviceEnvironment());
            s3.putAll(common);
            // the exporter puts the objects: Object Lock required, multipart from 5 MiB (the uploader then reads them back)
            Map<String, String> exporter = new HashMap<>(s3);
            exporter.putAll(Map.of("ARCHIVER_S3_OBJECT_LOCK", "ON", "ARCHIVER_S3_MULTIPART_THRESHOLD", String.valueOf(FIVE_MIB),
                    "ARCHIVER_S3_PART_SIZE", String.valueOf(FIVE_MIB)));
            Map<ArchiverService, Map<String, String>> overrides = new EnumMap<>(ArchiverService.class);
            overrides.put(ArchiverService.SCANNER, s3); // it writes the run's manifest beside the objects
            overrides.put(ArchiverService.EXPORTER, exporter);
            overrides.put(ArchiverService.UPLOADER, s3);
            overrides.put(ArchiverService.DELETER, s3);
            return overrides;
        });
    }

    @AfterAll
    static void stop() {
        if (system != null) {
            system.close();
        }
        if (s3mock != null) {
            s3mock.close();
        }
    }

    @Test
    void everyObjectIsRetainedTwoYearsAndLargeShardsGoInParts() {
        ArchiveRequested request = ArchiveRequested.of(PipelineDriver.newRunId(), "run", "run",
                Instant.now().minus(PipelineDriver.SIXTY_DAYS).toEpochMilli(), ArchiveMode.DELETE, "object-lock-test", false, null);
        system.driver.trigger(request);
        ArchiveRunCompleted done = system.driver.awaitCompletion(request.runId(), Duration.ofMinutes(5));
        assertThat(done.outcome()).isEqualTo(RunOutcome.SUCCEEDED);

        try (S3Client s3 = s3mock.client()) {
            List<S3Object> all = s3.listObjectsV2Paginator(b -> b.bucket(LocalStack.BUCKET).prefix("run-archive/")).contents().stream()
                    .toList();
            List<S3Object> objects = all.stream().filter(o -> !o.key().endsWith(".manifest.json")).toList();
            assertThat(objects).hasSize((int) done.stats().objects()).isNotEmpty();
            // beside each object its manifest, retained like it (docs/archive.md); the run's manifest is named by the completion
            assertThat(all.stream().map(S3Object::key).filter(k -> k.endsWith(".manifest.json")).toList())
                    .containsAll(objects.stream().map(o -> o.key() + ".manifest.json").toList())
                    .contains(done.manifestKey());
            for (S3Object object : objects) {
                GetObjectRetentionResponse retention = s3.getObjectRetention(b -> b.bucket(LocalStack.BUCKET).key(object.key() + ".manifest.json"));
                assertThat(retention.retention().retainUntilDate()).as(object.key() + ".manifest.json")
                        .isAfter(Instant.now().plus(Duration.ofDays(730)));
            }
            assertThat(objects.stream().mapToLong(S3Object::size).sum()).isEqualTo(done.stats().bytesUploaded());
            Instant twoYears = Instant.now().plus(Duration.ofDays(730));
            long multipart = 0;
            for (S3Object object : objects) {
                GetObjectRetentionResponse retention = s3.getObjectRetention(b -> b.bucket(LocalStack.BUCKET).key(object.key()));
                assertThat(retention.retention().mode()).as(object.key()).isEqualTo(ObjectLockRetentionMode.GOVERNANCE);
                assertThat(retention.retention().retainUntilDate()).as(object.key()).isAfter(twoYears);
                HeadObjectResponse head = s3.headObject(b -> b.bucket(LocalStack.BUCKET).key(object.key()));
                if (object.size() > FIVE_MIB) {
                    assertThat(head.eTag()).as("multipart ETag of " + object.key()).matches("\"?[0-9a-f]{32}-[0-9]+\"?");
                    multipart++;
                }
                byte[] bytes = s3.getObjectAsBytes(b -> b.bucket(LocalStack.BUCKET).key(object.key())).asByteArray();
                assertThat(ArchivedObjects.parse(object.key(), bytes).rows()).isNotEmpty();
            }
            assertThat(multipart).as("objects put in parts").isPositive();
        }
        assertThat(done.stats().rowsRemoved()).isEqualTo(done.stats().rowsFound());
    }
}
