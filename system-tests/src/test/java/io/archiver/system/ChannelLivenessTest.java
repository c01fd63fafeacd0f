package io.archiver.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.archiver.events.ArchiveMode;
import io.archiver.events.ArchiveRequested;
import io.archiver.events.RunOutcome;
import io.archiver.localstack.pipeline.PipelineDriver;
import io.archiver.localstack.services.ArchiverService;
import io.archiver.localstack.services.ServiceProcess;

/**
 * A Kafka channel that fails for good is not restarted by SmallRye Reactive Messaging: the service then reports liveness DOWN
 * (naming the channel and the failure), and whatever restarts a service whose liveness is DOWN (Kubernetes with the
 * livenessProbe of deploy/base; here the stack's {@link io.archiver.localstack.services.LivenessWatchdog}) brings it back, and
 * the run completes. The fault suite met one such failure with two scanners after a broker restart (the last committed offset
 * of a newly assigned partition not found within {@code default.api.timeout.ms}); here the exporter's channel is failed on
 * purpose, the same way a channel fails on a record left unacknowledged too long: its
 * {@code throttled.unprocessed-record-max-age.ms} lowered to 10 s while the S3 server, where it puts the shard, is down.
 */
class ChannelLivenessTest {

    private static final Duration BOUND = Duration.ofMinutes(3);

    private static SystemStack system;

    @BeforeAll
    static void start() {
        system = SystemStack.start("channel_liveness", 3_000, 0.6, stack -> Map.of(ArchiverService.EXPORTER,
                Map.of("MP_MESSAGING_INCOMING_BATCHES_THROTTLED_UNPROCESSED_RECORD_MAX_AGE_MS", "10000")));
    }

    @AfterAll
    static void stop() {
        if (system != null) {
            system.close();
        }
    }

    @Test
    void aChannelThatFailedForGoodTakesLivenessDownAndTheRestartedServiceCompletesTheRun() throws Exception {
        ServiceProcess exporter = system.fleet.get(ArchiverService.EXPORTER);
        system.stack.s3().kill();
        ArchiveRequested request;
        try {
            request = system.driver.trigger(PipelineDriver.newRunId(), ArchiveMode.DELETE);
            // the exporter retries the put; its batch stays unacknowledged; the channel fails and says so in liveness
            HttpResponse<String> live = await().atMost(BOUND).pollInterval(Duration.ofMillis(250)).until(() -> exporter.health("live"),
                    r -> r.statusCode() == 503);
            assertThat(live.body()).as("the exporter's liveness").contains("batches").contains("DOWN");
            assertThat(system.fleet.get(ArchiverService.UPLOADER).health("live").statusCode()).as("the uploader's liveness").isEqualTo(200);
        } finally {
            system.stack.s3().start();
        }
        await().atMost(BOUND).pollInterval(Duration.ofMillis(500)).until(() -> system.watchdog.restarts().stream()
                .anyMatch(r -> r.startsWith(ArchiverService.EXPORTER.module() + " ")));
        exporter.awaitReady(BOUND);
        assertThat(system.driver.awaitCompletion(request.runId(), BOUND).outcome()).isEqualTo(RunOutcome.SUCCEEDED);
        assertThat(eligibleLeft(request.cutoffEpochMs())).as("eligible rows left in run").isZero();
        assertThat(exporter.health("live").statusCode()).as("the restarted exporter's liveness").isEqualTo(200);
    }

    private static long eligibleLeft(long cutoff) throws Exception {
        try (Connection connection = system.jdbc(); Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("SELECT COUNT(*) FROM run WHERE msg_sent_date < " + cutoff)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
