package io.archiver.ctl;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.archiver.ctl.Cli.Result;

/** events: the event log of a real run, every step of every batch. */
class EventsIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static CtlStack ctl;

    @BeforeAll
    static void stack() {
        ctl = CtlStack.get();
    }

    @Test
    void listsPlannedExportedUploadedAndDeletedForEveryBatchInTimeOrder() throws Exception {
        Result status = ctl.ctl("status", ctl.archivedRunId, "--json");
        Set<String> batches = new TreeSet<>();
        JSON.readTree(status.out()).get("batches").forEach(b -> batches.add(b.get("batchId").asText().substring(ctl.archivedRunId.length() + 1)));
        assertThat(batches).hasSizeGreaterThan(1);

        Result result = ctl.ctl("events", ctl.archivedRunId);
        assertThat(result.exitCode()).as("%s", result).isZero();
        List<String> lines = result.out().lines().toList();
        assertThat(lines.get(0)).contains("REQUESTED", "policy=run", "table=run", "mode=DELETE");
        assertThat(lines.get(lines.size() - 1)).contains("COMPLETED", "outcome=SUCCEEDED");
        for (String batch : batches) {
            assertThat(lines).as("batch %s", batch).anySatisfy(l -> assertThat(l).containsPattern("  " + batch + "  PLANNED +ids=\\d+\\.\\.\\d+"));
            assertThat(lines).as("batch %s", batch).anySatisfy(l -> assertThat(l).containsPattern("  " + batch + "  EXPORTED +rows=\\d+ bytes=\\d+ file="));
            assertThat(lines).as("batch %s", batch)
                    .anySatisfy(l -> assertThat(l).containsPattern("  " + batch + "  UPLOADED +rows=\\d+ bytes=\\d+ key=run-archive/run_archive_"));
            assertThat(lines).as("batch %s", batch).anySatisfy(l -> assertThat(l).containsPattern("  " + batch + "  DELETED +rows=\\d+ key="));
        }
        List<Instant> times = new ArrayList<>();
        for (String line : lines) {
            times.add(Instant.parse(line.substring(0, line.indexOf(' '))));
        }
        assertThat(times).isSorted();

        Result json = ctl.ctl("events", ctl.archivedRunId, "--json");
        assertThat(json.exitCode()).isZero();
        List<String> jsonLines = json.out().lines().toList();
        assertThat(jsonLines).hasSameSizeAs(lines);
        Set<String> kinds = new TreeSet<>();
        for (String line : jsonLines) {
            JsonNode node = JSON.readTree(line);
            assertThat(node.get("runId").asText()).isEqualTo(ctl.archivedRunId);
            assertThat(node.get("event").get("runId").asText()).isEqualTo(ctl.archivedRunId);
            assertThat(node.get("topic").asText()).startsWith("archive.");
            kinds.add(node.get("kind").asText());
        }
        assertThat(kinds).containsExactlyInAnyOrder("REQUESTED", "PLANNED", "EXPORTED", "UPLOADED", "DELETED", "COMPLETED");
    }

    @Test
    void aRunWithoutEventsIsAFailure() {
        Result result = ctl.ctl("events", "run-that-never-was");
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).contains("no events of run run-that-never-was");
    }
}
