package io.archiver.ctl;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.archiver.ctl.Cli.Result;

/** status: the latest runs, one run with its batches by state, JSON, --watch. */
class StatusIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static CtlStack ctl;

    @BeforeAll
    static void stack() {
        ctl = CtlStack.get();
    }

    @Test
    void theLatestRunsShowTheirBatchesByStateAndTheJsonParses() throws Exception {
        Result text = ctl.ctl("status");
        assertThat(text.exitCode()).as("%s", text).isZero();
        assertThat(text.out().lines().findFirst().orElseThrow()).startsWith("RUN").contains("POLICY", "STATE", "OUTCOME", "ROWS FOUND", "BATCHES");
        String line = text.out().lines().filter(l -> l.startsWith(ctl.archivedRunId)).findFirst().orElseThrow();
        assertThat(line).contains("COMPLETED", "SUCCEEDED").containsPattern("\\d+ DELETED");

        Result json = ctl.ctl("status", "--json", "--limit", "50");
        assertThat(json.exitCode()).as("%s", json).isZero();
        JsonNode run = find(JSON.readTree(json.out()).get("runs"), ctl.archivedRunId);
        assertThat(run.get("state").asText()).isEqualTo("COMPLETED");
        assertThat(run.get("outcome").asText()).isEqualTo("SUCCEEDED");
        assertThat(run.get("policy").asText()).isEqualTo("run");
        long batches = run.get("batchesPlanned").asLong();
        assertThat(batches).isGreaterThan(1);
        assertThat(run.get("batchesByState").get("DELETED").asLong()).isEqualTo(batches);
        assertThat(run.get("batchesByState").get("FAILED").asLong()).isZero();
        assertThat(run.get("rowsFound").asLong()).isPositive();
        JsonNode stats = run.get("statistics");
        assertThat(stats.get("rowsFound").asLong()).as("the statistics the scanner fixed at completion").isEqualTo(run.get("rowsFound").asLong());
        assertThat(stats.get("rowsRemoved").asLong()).isEqualTo(stats.get("rowsFound").asLong());
        assertThat(stats.get("batches").asLong()).isEqualTo(batches);
        assertThat(stats.get("batchesFailed").asLong()).isZero();
        assertThat(run.get("requestedAt").asText()).endsWith("Z");
        assertThat(run.get("completedAt").asText()).endsWith("Z");
    }

    @Test
    void oneRunShowsItsBatchesGroupedByStateRowsRemovedAndBytes() throws Exception {
        Result text = ctl.ctl("status", ctl.archivedRunId, "--batches");
        assertThat(text.exitCode()).as("%s", text).isZero();
        assertThat(text.out()).contains("run        " + ctl.archivedRunId, "state      COMPLETED SUCCEEDED", "DELETED (", "b000001",
                "OBJECT KEY", "run-archive/run_archive_");
        assertThat(text.out()).containsPattern("rows       found ([0-9,]+), exported \\1, uploaded \\1, removed \\1, failed 0");
        assertThat(text.out()).containsPattern("objects    \\d+, .* bytes");
        assertThat(text.out()).doesNotContain("progress");

        Result json = ctl.ctl("status", ctl.archivedRunId, "--json");
        assertThat(json.exitCode()).as("%s", json).isZero();
        JsonNode run = JSON.readTree(json.out());
        long found = run.get("rowsFound").asLong();
        assertThat(run.get("rowsRemoved").asLong()).isEqualTo(found);
        assertThat(run.get("bytesUploaded").asLong()).isPositive();
        assertThat(run.get("objects").asLong()).isEqualTo(run.get("batches").size());
        assertThat(run.get("progress").get("percent").asInt()).isEqualTo(100);
        long sum = 0;
        for (JsonNode batch : run.get("batches")) {
            assertThat(batch.get("state").asText()).isEqualTo("DELETED");
            assertThat(batch.get("objectKey").asText()).startsWith("run-archive/run_archive_");
            sum += batch.get("rowsRemoved").asLong();
        }
        assertThat(sum).isEqualTo(found);
        assertThat(run.get("batchesByState").get("DELETED").asLong()).isEqualTo(run.get("batches").size());
    }

    @Test
    void theDeletersThrottlePausesShowWithTheirReasonAndDuration() throws Exception {
        String runId = "run-throttled-" + Long.toHexString(System.nanoTime());
        assertThat(ctl.ctl("trigger", "--run-id", runId, "--wait").exitCode()).isZero();
        // two pauses as the deleter's HealthThrottle records them (HealthThrottleTest proves it does)
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(ctl.mysql.jdbcUrl(), ctl.mysql.user(), ctl.mysql.password());
                java.sql.PreparedStatement insert = c.prepareStatement(io.archiver.ledger.LedgerSql.RECORD_THROTTLE_PAUSE)) {
            for (long ms : new long[] { 1_500, 2_500 }) {
                List<Object> values = List.of(runId, runId + "-b000001", "REPLICA_LAG:r1", "REPLICA_LAG:r1 60 above limit 5", "RESUMED",
                        System.currentTimeMillis(), ms);
                for (int i = 0; i < values.size(); i++) {
                    insert.setObject(i + 1, values.get(i));
                }
                insert.executeUpdate();
            }
        }
        Result text = ctl.ctl("status", runId);
        assertThat(text.exitCode()).as("%s", text).isZero();
        assertThat(text.out()).containsPattern("throttled  4(\\.0)? ?s for the database's health: REPLICA_LAG:r1 2 pauses .*"
                + "\\(last: REPLICA_LAG:r1 60 above limit 5\\)");
        JsonNode throttle = JSON.readTree(ctl.ctl("status", runId, "--json").out()).get("throttle");
        assertThat(throttle).hasSize(1);
        assertThat(throttle.get(0).get("pausedMs").asLong()).isEqualTo(4_000);
        assertThat(throttle.get(0).get("pauses").asLong()).isEqualTo(2);
    }

    @Test
    void watchRedrawsUntilTheRunCompletes() throws Exception {
        String runId = "run-watch-" + Long.toHexString(System.nanoTime());
        Result trigger = ctl.ctl("trigger", "--run-id", runId);
        assertThat(trigger.exitCode()).as("%s", trigger).isZero();
        Result watch = ctl.ctl("status", runId, "--watch", "--interval", "200ms", "--timeout", "2m");
        assertThat(watch.exitCode()).as("%s", watch).isZero();
        assertThat(watch.out()).contains("run        " + runId, "state      COMPLETED SUCCEEDED");

        Result jsonWatch = ctl.ctl("status", runId, "--watch", "--json", "--interval", "200ms");
        assertThat(jsonWatch.exitCode()).isZero();
        List<String> lines = jsonWatch.out().lines().toList();
        assertThat(lines).isNotEmpty();
        assertThat(JSON.readTree(lines.get(lines.size() - 1)).get("state").asText()).isEqualTo("COMPLETED");
    }

    @Test
    void anUnknownRunIsAFailure() {
        Result result = ctl.ctl("status", "run-that-never-was");
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).contains("no run run-that-never-was in the ledger");

        Result watch = ctl.ctl("status", "run-that-never-was", "--watch", "--interval", "100ms", "--timeout", "1s");
        assertThat(watch.exitCode()).isEqualTo(1);
        assertThat(watch.err()).contains("waiting for run run-that-never-was", "did not appear in the ledger within PT1S");
    }

    private static JsonNode find(JsonNode runs, String runId) {
        List<String> ids = new ArrayList<>();
        for (JsonNode run : runs) {
            if (run.get("runId").asText().equals(runId)) {
                return run;
            }
            ids.add(run.get("runId").asText());
        }
        throw new AssertionError("no run " + runId + " in " + ids);
    }
}
