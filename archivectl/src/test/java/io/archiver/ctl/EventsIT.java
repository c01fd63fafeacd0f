package io.archiver.ctl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
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

        // the topics may still receive events of this run (a restarted deleter re-emits ArchiveBatchDeleted for batches
        // it had already deleted when their offsets were not committed yet): take both listings once they agree
        List<List<String>> listings = new ArrayList<>();
        await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofSeconds(2)).until(() -> {
            Result text = ctl.ctl("events", ctl.archivedRunId);
            Result json = ctl.ctl("events", ctl.archivedRunId, "--json");
            assertThat(text.exitCode()).as("%s", text).isZero();
            assertThat(json.exitCode()).as("%s", json).isZero();
            listings.clear();
            listings.add(text.out().lines().toList());
            listings.add(json.out().lines().toList());
            return listings.get(0).size() == listings.get(1).size();
        });
        List<String> lines = listings.get(0);
        assertThat(lines.get(0)).contains("REQUESTED", "policy=run", "table=run", "mode=DELETE");
        int completed = lines.indexOf(lines.stream().filter(l -> l.contains("COMPLETED")).findFirst().orElseThrow());
        assertThat(lines.get(completed)).contains("outcome=SUCCEEDED");
        for (String batch : batches) {
            assertThat(lines.subList(0, completed)).as("batch %s deleted before the run completed", batch)
                    .anySatisfy(l -> assertThat(l).containsPattern("  " + batch + "  DELETED +rows=\\d+ key="));
            assertThat(lines).as("batch %s", batch).anySatisfy(l -> assertThat(l).containsPattern("  " + batch + "  PLANNED +ids=\\d+\\.\\.\\d+"));
            assertThat(lines).as("batch %s", batch).anySatisfy(l -> assertThat(l).containsPattern("  " + batch + "  EXPORTED +rows=\\d+ bytes=\\d+ key="));
            assertThat(lines).as("batch %s", batch)
                    .anySatisfy(l -> assertThat(l).containsPattern("  " + batch + "  UPLOADED +rows=\\d+ bytes=\\d+ key=run-archive/run_archive_"));
            assertThat(lines).as("batch %s", batch).anySatisfy(l -> assertThat(l).containsPattern("  " + batch + "  DELETED +rows=\\d+ key="));
        }
        List<Instant> times = new ArrayList<>();
        for (String line : lines) {
            times.add(Instant.parse(line.substring(0, line.indexOf(' '))));
        }
        assertThat(times).isSorted();

        List<String> jsonLines = listings.get(1);
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
