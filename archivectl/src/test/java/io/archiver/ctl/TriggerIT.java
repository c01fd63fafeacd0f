package io.archiver.ctl;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.archiver.ctl.Cli.Result;
import io.archiver.events.ArchiveEvent;
import io.archiver.events.ArchiveMode;
import io.archiver.events.ArchiveRequested;
import io.archiver.events.EventCodec;
import io.archiver.events.Topics;

/** trigger: the request on the topic, --wait on a real run, one run per schedule slot. */
class TriggerIT {

    private static CtlStack ctl;

    @BeforeAll
    static void stack() {
        ctl = CtlStack.get();
    }

    @Test
    void theRunnerJarTriggersARealRunAndWaitsForItsCompletion() {
        Result result = ctl.archivedRun;
        assertThat(ctl.archivedRunId).matches("run-\\d{8}T\\d{6}Z-[0-9a-f]{8}");
        assertThat(result.out()).contains("run " + ctl.archivedRunId + " completed: SUCCEEDED");
        long eligible = Math.round(CtlStack.ROWS * CtlStack.ELIGIBLE);
        String found = result.out().lines().filter(l -> l.contains("rows found")).findFirst().orElseThrow();
        long rowsFound = Long.parseLong(found.replaceAll(".*rows found ([0-9,]+),.*", "$1").replace(",", ""));
        assertThat(rowsFound).as("rows found: %s", found).isBetween(eligible / 2, eligible * 2);
        assertThat(found).contains("removed " + String.format(java.util.Locale.US, "%,d", rowsFound)).contains("failed 0");
        assertThat(result.out()).containsPattern("batches [2-9] \\(failed 0\\), objects [2-9]");
        assertThat(result.err()).contains("requested run " + ctl.archivedRunId + ": policy run, table run, mode DELETE");
    }

    @Test
    void triggerPublishesADecodableArchiveRequestedKeyedByItsRunId() throws Exception {
        Instant before = Instant.now();
        Result result = ctl.ctl("trigger", "--min-age", "P90D", "--mode", "DELETE", "--dry-run", "--requested-by", "trigger-it", "--wait", "2m");
        Instant after = Instant.now();
        assertThat(result.exitCode()).as("%s", result).isZero();
        String runId = result.out().lines().findFirst().orElseThrow();
        assertThat(runId).matches("run-\\d{8}T\\d{6}Z-[0-9a-f]{8}");

        List<ConsumerRecord<byte[], byte[]>> records = ctl.records(Topics.REQUESTS).stream()
                .filter(r -> r.key() != null && new String(r.key(), StandardCharsets.UTF_8).equals(runId)).toList();
        assertThat(records).hasSize(1);
        ArchiveEvent event = EventCodec.decode(records.get(0).value());
        assertThat(event).isInstanceOf(ArchiveRequested.class);
        ArchiveRequested request = (ArchiveRequested) event;
        assertThat(request.runId()).isEqualTo(runId);
        assertThat(request.policy()).isEqualTo("run");
        assertThat(request.table()).isEqualTo("run");
        assertThat(request.mode()).isEqualTo(ArchiveMode.DELETE);
        assertThat(request.dryRun()).isTrue();
        assertThat(request.requestedBy()).isEqualTo("trigger-it");
        assertThat(request.scheduleSlot()).isNull();
        assertThat(request.occurredAt()).isBetween(before, after);
        assertThat(request.cutoffEpochMs()).isEqualTo(request.occurredAt().minus(Duration.ofDays(90)).toEpochMilli());
        assertThat(result.out()).contains("run " + runId + " completed: SUCCEEDED");
        assertThat(result.out()).containsPattern("dry run: nothing exported or removed; [0-9,]+ rows in [0-9,]+ ranges, about [0-9.,]+ (bytes|[KMGT]iB)");
    }

    @Test
    void theSameScheduleSlotTwiceGivesOneRun() throws Exception {
        Result first = ctl.ctl("trigger", "--schedule-slot", "2000-01-01", "--wait", "2m");
        assertThat(first.exitCode()).as("%s", first).isZero();
        String firstRun = first.out().lines().findFirst().orElseThrow();

        Result second = ctl.ctl("trigger", "--schedule-slot", "2000-01-01", "--wait", "2m");
        assertThat(second.exitCode()).as("%s", second).isZero();
        String secondRun = second.out().lines().findFirst().orElseThrow();
        assertThat(secondRun).isNotEqualTo(firstRun);
        assertThat(second.err()).contains("schedule slot 2000-01-01 of policy run is already run " + firstRun);
        assertThat(second.out()).contains("run " + firstRun + " completed: SUCCEEDED");

        Result status = ctl.ctl("status", "--json");
        assertThat(status.exitCode()).as("%s", status).isZero();
        JsonNode runs = new ObjectMapper().readTree(status.out()).get("runs");
        List<JsonNode> slotRuns = new java.util.ArrayList<>();
        runs.forEach(run -> {
            if ("2000-01-01".equals(run.get("scheduleSlot").asText(null))) {
                slotRuns.add(run);
            }
        });
        assertThat(slotRuns).hasSize(1);
        assertThat(slotRuns.get(0).get("runId").asText()).isEqualTo(firstRun);
        assertThat(slotRuns.get(0).get("state").asText()).isEqualTo("COMPLETED");
        assertThat(runs.findValuesAsText("runId")).doesNotContain(secondRun);
    }

    @Test
    void aCronJobWithAConfigFileAndAnAutoSlotRunsOncePerSlot() throws Exception {
        Path config = ctl.workDir.resolve("archivectl-cron.properties");
        Files.writeString(config, String.join("\n", "kafka.bootstrap.servers=" + ctl.bootstrapServers(), "archiver.db.url=" + ctl.mysql.jdbcUrl(),
                "archiver.db.user=" + ctl.mysql.user(), "archiver.db.password=" + ctl.mysql.password(), ""));
        // slots of one hour: both firings fall into the same slot unless the hour turns between them
        Result first = ctl.runJar(Map.of(), "trigger", "--config", config.toString(), "--schedule-slot", "auto", "--slot-length", "PT1H",
                "--wait", "PT2M");
        assertThat(first.exitCode()).as("%s", first).isZero();
        Result second = ctl.runJar(Map.of(), "trigger", "--config", config.toString(), "--schedule-slot", "auto", "--slot-length", "PT1H",
                "--wait", "PT2M");
        assertThat(second.exitCode()).as("%s", second).isZero();
        String slot = slotOf(first);
        assertThat(slot).matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:00Z");
        if (slotOf(second).equals(slot)) {
            assertThat(second.err()).contains("schedule slot " + slot + " of policy run is already run " + first.out().lines().findFirst().orElseThrow());
        }
        Result status = ctl.runJar(Map.of(), "status", "--config", config.toString(), "--json", "--schedule-slot", slot);
        assertThat(status.exitCode()).as("%s", status).isZero();
        JsonNode runs = new ObjectMapper().readTree(status.out()).get("runs");
        assertThat(runs).as("runs of slot %s: %s", slot, status.out()).hasSize(1);
        assertThat(runs.get(0).get("runId").asText()).isEqualTo(first.out().lines().findFirst().orElseThrow());
        assertThat(status.out()).doesNotContain(ctl.mysql.password());
        assertThat(first.out() + first.err() + second.out() + second.err()).doesNotContain(ctl.mysql.password());
    }

    @Test
    void theCronJobsCommandFromTheManifestRunsAndFiringItTwiceGivesOneRun() throws Exception {
        String manifest = Files.readString(Path.of("..", "deploy", "base", "trigger-cronjob.yaml").toAbsolutePath().normalize());
        java.util.regex.Matcher command = java.util.regex.Pattern.compile("command: \\[(.*)]").matcher(manifest);
        assertThat(command.find()).as("the CronJob's command in deploy/base/trigger-cronjob.yaml").isTrue();
        List<String> words = java.util.Arrays.stream(command.group(1).split(",")).map(w -> w.trim().replace("\"", "")).toList();
        assertThat(words.subList(0, 3)).containsExactly("java", "-jar", "/app/archivectl.jar");
        String[] args = words.subList(3, words.size()).toArray(String[]::new);
        Map<String, String> env = Map.of("KAFKA_BOOTSTRAP_SERVERS", ctl.bootstrapServers());
        Result first = ctl.runJar(env, args);
        Result second = ctl.runJar(env, args);
        assertThat(first.exitCode()).as("%s", first).isZero();
        assertThat(second.exitCode()).as("%s", second).isZero();
        String slot = java.time.LocalDate.now(java.time.ZoneOffset.UTC).toString();
        // both requests consumed by the scanner (its group has no lag on archive.requests), then one run for the slot
        java.util.Properties props = new java.util.Properties();
        props.put("bootstrap.servers", ctl.bootstrapServers());
        try (org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin.create(props)) {
            org.awaitility.Awaitility.await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(500)).until(() -> {
                var committed = admin.listConsumerGroupOffsets("archiver-scanner").partitionsToOffsetAndMetadata().get();
                var latest = new java.util.HashMap<org.apache.kafka.common.TopicPartition, org.apache.kafka.clients.admin.OffsetSpec>();
                committed.keySet().stream().filter(tp -> tp.topic().equals(Topics.REQUESTS))
                        .forEach(tp -> latest.put(tp, org.apache.kafka.clients.admin.OffsetSpec.latest()));
                var ends = admin.listOffsets(latest).all().get();
                return !latest.isEmpty() && latest.keySet().stream().allMatch(tp -> committed.get(tp).offset() >= ends.get(tp).offset());
            });
        }
        Result status = ctl.ctl("status", "--json", "--schedule-slot", slot);
        assertThat(status.exitCode()).as("%s", status).isZero();
        JsonNode runs = new ObjectMapper().readTree(status.out()).get("runs");
        assertThat(runs).as("runs of slot %s after two firings: %s", slot, status.out()).hasSize(1);
    }

    @Test
    void aRequestTheScannerRefusesFailsTheWaitAtOnceWithTheReason() {
        Result tooYoung = ctl.ctl("trigger", "--min-age", "P1D", "--wait", "1m");
        assertThat(tooYoung.exitCode()).as("%s", tooYoung).isEqualTo(1);
        assertThat(tooYoung.err()).contains("the scanner refused the request", "archive.requests.dlq/", "CUTOFF_TOO_RECENT");

        // a table other than the policy's is refused before anything is published (the scanner would refuse it TABLE_NOT_IN_POLICY)
        Result otherTable = ctl.ctl("trigger", "--table", "secrets", "--wait", "1m");
        assertThat(otherTable.exitCode()).as("%s", otherTable).isEqualTo(2);
        assertThat(otherTable.err()).contains("--table secrets is not policy run's table run");
    }

    private static String slotOf(Result trigger) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("schedule slot (\\S+) \\(").matcher(trigger.err());
        assertThat(m.find()).as("slot in %s", trigger.err()).isTrue();
        return m.group(1);
    }
}
