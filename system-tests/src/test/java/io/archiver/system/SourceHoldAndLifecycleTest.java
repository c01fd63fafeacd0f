package io.archiver.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

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
import io.archiver.localstack.LocalStack;
import io.archiver.localstack.pipeline.PipelineDriver;
import io.archiver.localstack.process.StackLayout;
import io.archiver.localstack.s3.S3MockServer;
import io.archiver.localstack.services.ArchiverService;
import io.archiver.localstack.services.ServiceProcess;
import io.archiver.objectstore.lifecycle.LifecycleRules;
import io.archiver.objectstore.lifecycle.RetainedPrefix;
import io.archiver.operations.holds.Hold;
import io.archiver.operations.holds.HoldOperations;
import io.archiver.operations.holds.HoldOrder;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ExpirationStatus;
import software.amazon.awssdk.services.s3.model.LifecycleRule;

/**
 * Issue 23 items 4 and 5 with the four services on the real stack, the bucket on S3Mock (it stores lifecycle rules):
 * a hold placed with keep-in-source keeps its key range in {@code run} through a run that archives every other eligible
 * row, and the run after its release archives those rows; then a lifecycle rule that would expire run's objects before its
 * object-retention keeps the uploader from starting (the process exits, its log naming the rule, prefix, days and policy),
 * and with the safety net installed in its place the uploader starts and is ready.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SourceHoldAndLifecycleTest {

    private static final Duration WAIT = Duration.ofMinutes(5);

    private SystemStack system;
    private S3MockServer s3mock;
    private long cutoff;

    @BeforeAll
    void start() {
        system = SystemStack.start("srchold", 3_000, 0.6, stack -> {
            s3mock = new S3MockServer(StackLayout.locate(stack.workDir()), stack.workDir().resolve("s3mock")).start();
            try (S3Client s3 = s3mock.client()) {
                s3.createBucket(b -> b.bucket(LocalStack.BUCKET));
            }
            Map<String, String> s3 = new HashMap<>(s3mock.serviceEnvironment());
            s3.put("ARCHIVER_POLICIES_RUN_BATCH_SIZE", "300");
            Map<ArchiverService, Map<String, String>> overrides = new EnumMap<>(ArchiverService.class);
            overrides.put(ArchiverService.SCANNER, s3);
            overrides.put(ArchiverService.EXPORTER, s3); // it puts the objects
            overrides.put(ArchiverService.UPLOADER, s3);
            overrides.put(ArchiverService.DELETER, s3);
            return overrides;
        });
        cutoff = Instant.now().minus(PipelineDriver.SIXTY_DAYS).toEpochMilli();
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
    @Order(1)
    void aKeyRangeKeptInTheSourceStaysThroughARunAndTheRunAfterItsReleaseArchivesIt() throws Exception {
        List<Long> eligible = ids("SELECT id FROM run WHERE msg_sent_date < ? ORDER BY id");
        assertThat(eligible).hasSizeGreaterThan(1_000);
        long first = eligible.get(eligible.size() / 3);
        long last = eligible.get(eligible.size() / 2);
        List<Long> held = eligible.stream().filter(id -> id >= first && id <= last).toList();
        Hold hold;
        try (Connection control = system.jdbc()) {
            hold = new HoldOperations(control, null, Clock.systemUTC())
                    .place(new HoldOrder("run", null, null, first, last, "case 2026-118", null, "counsel", true)).hold();
        }
        assertThat(hold.keepInSource()).isTrue();

        ArchiveRunCompleted firstRun = run();
        assertThat(firstRun.outcome()).isEqualTo(RunOutcome.SUCCEEDED);
        assertThat(firstRun.stats().rowsRemoved()).isEqualTo(eligible.size() - held.size());
        assertThat(ids("SELECT id FROM run WHERE msg_sent_date < ? ORDER BY id")).as("only the held range's eligible rows stay")
                .containsExactlyElementsOf(held);
        assertThat(ids("SELECT first_id FROM archive_batch WHERE first_id <= " + last + " AND last_id >= " + first + " AND ? > 0"))
                .as("no batch was planned over the held range").isEmpty();

        try (Connection control = system.jdbc()) {
            new HoldOperations(control, null, Clock.systemUTC()).release(hold.id(), "counsel");
        }
        ArchiveRunCompleted secondRun = run();
        assertThat(secondRun.outcome()).isEqualTo(RunOutcome.SUCCEEDED);
        assertThat(secondRun.stats().rowsRemoved()).isEqualTo(held.size());
        assertThat(ids("SELECT id FROM run WHERE msg_sent_date < ? ORDER BY id")).isEmpty();
    }

    @Test
    @Order(2)
    void aLifecycleRuleExpiringObjectsBeforeTheRetentionKeepsTheUploaderFromStartingAndTheSafetyNetDoesNot() throws Exception {
        LifecycleRules rules;
        ServiceProcess uploader = system.fleet.get(ArchiverService.UPLOADER);
        try (S3Client s3 = s3mock.client()) {
            rules = new LifecycleRules(s3, LocalStack.BUCKET);
            rules.write(List.of(LifecycleRule.builder().id("tidy-up").status(ExpirationStatus.ENABLED).filter(f -> f.prefix("run-archive/"))
                    .expiration(e -> e.days(90)).build()));

            uploader.kill();
            long logged = Files.size(uploader.log());
            uploader.start(List.of());
            await().atMost(WAIT).pollInterval(Duration.ofMillis(500)).until(() -> !uploader.isAlive());
            String log = Files.readString(uploader.log()).substring((int) logged);
            assertThat(log).contains("the uploader does not start: lifecycle rule 'tidy-up' (prefix 'run-archive/') expires objects after 90"
                    + " days, before policy run's object-retention P730D (730 days)");

            rules.write(LifecycleRules.withSafetyNet(List.of(), List.of(new RetainedPrefix("run", "run-archive/", Duration.ofDays(730))),
                    Duration.ofDays(30)));
            uploader.start(List.of()).awaitReady(WAIT);
            assertThat(uploader.isAlive()).isTrue();
            assertThat(Files.readString(uploader.log()).substring((int) logged)).contains("none expires an object of the");
        }
    }

    private ArchiveRunCompleted run() {
        ArchiveRequested request = ArchiveRequested.of(PipelineDriver.newRunId(), "run", "run", cutoff, ArchiveMode.DELETE, "source-hold-test",
                false, null);
        system.driver.trigger(request);
        return system.driver.awaitCompletion(request.runId(), WAIT);
    }

    private List<Long> ids(String sql) throws Exception {
        try (Connection connection = system.jdbc(); PreparedStatement query = connection.prepareStatement(sql)) {
            query.setLong(1, cutoff);
            List<Long> ids = new ArrayList<>();
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    ids.add(rows.getLong(1));
                }
            }
            return ids;
        }
    }
}
