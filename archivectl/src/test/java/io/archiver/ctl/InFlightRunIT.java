package io.archiver.ctl;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.archiver.ctl.Cli.Result;
import io.archiver.localstack.data.RunTableSeeder;
import io.archiver.localstack.services.ArchiverService;
import io.archiver.localstack.services.ServiceProcess;

/**
 * A run held in flight (the deleter is down): status shows its progress, a second trigger is
 * REJECTED and --wait exits 1, --watch times out with exit 1, then follows the run to its end once
 * the deleter is back.
 */
class InFlightRunIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static CtlStack ctl;

    @BeforeAll
    static void stack() {
        ctl = CtlStack.get();
    }

    @Test
    void aRunInFlightShowsProgressRejectsASecondRunAndIsFollowedToItsEnd() throws Exception {
        ServiceProcess deleter = ctl.fleet.get(ArchiverService.DELETER);
        deleter.kill();
        try (Connection connection = DriverManager.getConnection(ctl.mysql.jdbcUrl(), ctl.mysql.user(), ctl.mysql.password())) {
            new RunTableSeeder(connection).seed(1_000_001, 6_000, 1.0, Duration.ofDays(60), System.currentTimeMillis(), n -> {
            });
        }
        String runId = "run-inflight-" + Long.toHexString(System.nanoTime());
        Result trigger = ctl.ctl("trigger", "--run-id", runId);
        assertThat(trigger.exitCode()).as("%s", trigger).isZero();

        JsonNode run = awaitAllUploaded(runId);
        long batches = run.get("batchesPlanned").asLong();
        assertThat(batches).isGreaterThan(1);

        Result status = ctl.ctl("status", runId);
        assertThat(status.exitCode()).as("%s", status).isZero();
        // kept for docs/operations.md: what `archivectl status RUN` shows for a running run
        java.nio.file.Files.writeString(java.nio.file.Path.of("target", "status-of-a-running-run.txt"), "$ archivectl status " + runId + "\n"
                + status.out());
        assertThat(status.out()).contains("state      RUNNING", "UPLOADED (" + batches + ", ",
                "progress   [..........] 0% 0/" + String.format(java.util.Locale.US, "%,d", run.get("rowsFound").asLong()) + " rows  0 rows/s  ETA ?");

        Result rejected = ctl.ctl("trigger", "--wait", "1m");
        assertThat(rejected.exitCode()).as("%s", rejected).isEqualTo(1);
        assertThat(rejected.out()).contains("completed: REJECTED");
        assertThat(rejected.err()).contains("ended REJECTED");

        Result timedOut = ctl.ctl("status", runId, "--watch", "--interval", "200ms", "--timeout", "1s");
        assertThat(timedOut.exitCode()).as("%s", timedOut).isEqualTo(1);
        assertThat(timedOut.out()).contains(runId + "  RUNNING  [..........] 0%");
        assertThat(timedOut.err()).contains("did not complete within PT1S");

        deleter.start(List.of()).awaitReady(Duration.ofMinutes(2));
        Result watched = ctl.ctl("status", runId, "--watch", "--interval", "300ms", "--timeout", "3m");
        assertThat(watched.exitCode()).as("%s", watched).isZero();
        java.nio.file.Files.writeString(java.nio.file.Path.of("target", "status-watch-of-a-run.txt"), "$ archivectl status " + runId
                + " --watch\n" + watched.out());
        assertThat(watched.out()).contains("state      COMPLETED SUCCEEDED", "DELETED (" + batches + ", ");
        assertThat(watched.out()).containsPattern("RUNNING  \\[[#.]{10}\\] \\d+% [0-9,]+/[0-9,]+ rows");
    }

    private static JsonNode awaitAllUploaded(String runId) {
        JsonNode[] run = { null };
        org.awaitility.Awaitility.await("run " + runId + " has all its batches uploaded").atMost(Duration.ofMinutes(2))
                .pollInterval(Duration.ofMillis(500)).until(() -> {
                    Result last = ctl.ctl("status", runId, "--json");
                    if (last.exitCode() != 0) {
                        return false;
                    }
                    run[0] = JSON.readTree(last.out());
                    long planned = run[0].get("batchesPlanned").asLong();
                    return "RUNNING".equals(run[0].get("state").asText()) && planned > 0
                            && run[0].get("batchesByState").get("UPLOADED").asLong() == planned;
                });
        return run[0];
    }
}
