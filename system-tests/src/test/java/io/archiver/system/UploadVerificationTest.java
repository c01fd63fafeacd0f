package io.archiver.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import io.archiver.events.ArchiveBatchFailed;
import io.archiver.events.ArchiveMode;
import io.archiver.events.ArchiveObjectKey;
import io.archiver.events.ArchiveRequested;
import io.archiver.events.ArchiveRunCompleted;
import io.archiver.events.BatchScope;
import io.archiver.events.PipelineStage;
import io.archiver.events.RunOutcome;
import io.archiver.events.SchemaVersion;
import io.archiver.events.ShardCompression;
import io.archiver.localstack.faults.CorruptingS3Proxy;
import io.archiver.localstack.pipeline.PipelineDriver;
import io.archiver.localstack.services.ArchiverService;
import io.archiver.table.EligibleRows;
import io.archiver.table.TestPolicy;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * Promises 1 and 6 at the upload: the uploader reaches S3 through a proxy that can corrupt what S3
 * returns and hide the checksums it keeps (then the uploader reads each object back whole); an object
 * whose bytes in S3 differ from the shard yields no ArchiveUploaded and no delete, and a key that
 * already holds other bytes is never overwritten.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class UploadVerificationTest {

    private static SystemStack system;
    private static CorruptingS3Proxy proxy;

    @BeforeAll
    static void start() {
        system = SystemStack.start("upload_verify", 25_000, 0.6, stack -> {
            proxy = new CorruptingS3Proxy("127.0.0.1", stack.s3().port()).start();
            return Map.of(ArchiverService.UPLOADER, Map.of("QUARKUS_S3_ENDPOINT_OVERRIDE", proxy.endpoint()));
        });
    }

    @AfterAll
    static void stop() {
        if (system != null) {
            system.close();
        }
        if (proxy != null) {
            proxy.close();
        }
    }

    @Test
    @Order(1)
    void promise1_anObjectWhoseBytesInS3DifferIsNeverAnnouncedAndNoRowIsDeleted() throws Exception {
        TableSnapshot before = snapshot();
        proxy.hideChecksums(true).corruptReads(true);
        ArchiveRequested request = request();
        system.driver.trigger(request);
        ArchiveRunCompleted done = system.driver.awaitCompletion(request.runId(), Duration.ofMinutes(5));
        proxy.corruptReads(false).hideChecksums(false);

        assertThat(done.outcome()).isEqualTo(RunOutcome.FAILED);
        assertThat(done.stats().rowsRemoved()).isZero();
        assertThat(done.stats().batchesFailed()).isEqualTo(done.stats().batches()).isPositive();
        assertThat(proxy.corruptedReads()).isGreaterThanOrEqualTo((int) done.stats().batches());
        assertThat(RunEvents.uploads(system.driver, request.runId())).as("ArchiveUploaded events").isEmpty();
        List<ArchiveBatchFailed> failures = RunEvents.failures(system.driver, request.runId());
        assertThat(failures).hasSize((int) done.stats().batches()).allSatisfy(f -> {
            assertThat(f.stage()).isEqualTo(PipelineStage.UPLOAD);
            assertThat(f.reason()).isEqualTo("OBJECT_VERIFICATION_FAILED");
        });
        assertThat(snapshot().digests()).as("run after the failed run").isEqualTo(before.digests());
    }

    @Test
    @Order(2)
    void promise6_aKeyHoldingOtherBytesIsNeverOverwritten() throws Exception {
        long cutoff = Instant.now().minus(PipelineDriver.SIXTY_DAYS).toEpochMilli();
        ArchiveRequested request = new ArchiveRequested(java.util.UUID.randomUUID().toString(), PipelineDriver.newRunId(), Instant.now(),
                SchemaVersion.CURRENT, "run", "run", cutoff, ArchiveMode.DELETE, "upload-verification-test", false, null);
        // the key the first batch will get: the planner's first range, the run's date, the run id
        long firstId;
        long lastId;
        try (Connection connection = system.jdbc(); Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery(new EligibleRows(new TestPolicy("run")).nextBatch().replaceFirst("\\?", "-1")
                        .replaceFirst("\\?", String.valueOf(cutoff)).replaceFirst("\\?", "10000"))) {
            rs.next();
            firstId = rs.getLong("lo");
            lastId = rs.getLong("hi");
        }
        BatchScope scope = new BatchScope("run", "run", cutoff, firstId, lastId, ArchiveMode.DELETE,
                LocalDate.ofInstant(request.occurredAt(), ZoneOffset.UTC));
        String key = ArchiveObjectKey.of("run-archive/", request.runId(), scope, ShardCompression.GZIP);
        byte[] squatter = "not the archive of these rows".getBytes(StandardCharsets.UTF_8);
        system.bucket.client().putObject(b -> b.bucket(system.bucket.name()).key(key), RequestBody.fromBytes(squatter));

        system.driver.trigger(request);
        ArchiveRunCompleted done = system.driver.awaitCompletion(request.runId(), Duration.ofMinutes(5));

        assertThat(system.bucket.read(key)).as("the squatted key still holds its own bytes").isEqualTo(squatter);
        List<ArchiveBatchFailed> failures = RunEvents.failures(system.driver, request.runId());
        assertThat(failures).singleElement().satisfies(f -> {
            assertThat(f.reason()).isEqualTo("OBJECT_KEY_CONFLICT");
            assertThat(f.scope().firstId()).isEqualTo(firstId);
        });
        assertThat(RunEvents.uploads(system.driver, request.runId())).noneMatch(u -> u.objectKey().equals(key));
        try (Connection connection = system.jdbc(); Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("SELECT COUNT(*) FROM run WHERE id BETWEEN " + firstId + " AND " + lastId
                        + " AND msg_sent_date < " + cutoff)) {
            rs.next();
            assertThat(rs.getLong(1)).as("rows of the conflicting batch kept").isEqualTo(10_000);
        }
        if (done.stats().batches() > 1) {
            assertThat(done.outcome()).isEqualTo(RunOutcome.PARTIAL);
        }
    }

    @Test
    @Order(3)
    void theRowsKeptByFailedRunsAreArchivedOnceTheFaultIsGone() throws Exception {
        ArchiveRequested request = request();
        system.driver.trigger(request);
        ArchiveRunCompleted done = system.driver.awaitCompletion(request.runId(), Duration.ofMinutes(5));
        assertThat(done.outcome()).isEqualTo(RunOutcome.SUCCEEDED);
        assertThat(snapshot().countOlderThan(request.cutoffEpochMs())).isZero();
    }

    private static ArchiveRequested request() {
        return ArchiveRequested.of(PipelineDriver.newRunId(), "run", "run", Instant.now().minus(PipelineDriver.SIXTY_DAYS).toEpochMilli(),
                ArchiveMode.DELETE, "upload-verification-test", false, null);
    }

    private static TableSnapshot snapshot() throws Exception {
        try (Connection connection = system.jdbc()) {
            return TableSnapshot.of(connection, "run");
        }
    }
}
