package io.archiver.ctl;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.archiver.ctl.Cli.Result;
import io.archiver.events.Topics;

/**
 * dlq: a poison record on archive.batches is dead-lettered by the exporter with its reason;
 * list shows it, replay --dry-run sends nothing, replay sends it once, and a second replay sends
 * nothing, although the exporter dead-letters the replayed copy again.
 */
class DlqIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static CtlStack ctl;
    private static String key;

    @BeforeAll
    static void poisonOnArchiveBatches() throws Exception {
        ctl = CtlStack.get();
        key = "archivectl-poison-" + UUID.randomUUID().toString().substring(0, 8);
        try (KafkaProducer<byte[], byte[]> producer = ctl.producer()) {
            ProducerRecord<byte[], byte[]> poison = new ProducerRecord<>(Topics.BATCHES, bytes(key), bytes("{\"type\":\"ArchiveBatchReady\", not json"));
            poison.headers().add("trace", bytes("poison-1"));
            producer.send(poison).get(30, TimeUnit.SECONDS);
        }
        awaitDeadLetters(1);
    }

    @Test
    void listShowsThePoisonRecordWithItsSourceAndReason() throws Exception {
        Result text = ctl.ctl("dlq", "list", "--topic", "archive.batches", "--batch", key);
        assertThat(text.exitCode()).as("%s", text).isZero();
        assertThat(text.out()).containsPattern("archive\\.batches\\.dlq/\\d/\\d+  \\S+  from archive\\.batches/\\d/\\d+  key=" + key);
        assertThat(text.out()).contains("event   (not an event)", "reason  ", "not valid JSON", "payload {\"type\":\"ArchiveBatchReady\", not json");

        JsonNode letter = JSON.readTree(lines(ctl.ctl("dlq", "list", "--json", "--batch", key)).get(0));
        assertThat(letter.get("dlqTopic").asText()).isEqualTo("archive.batches.dlq");
        assertThat(letter.get("sourceTopic").asText()).isEqualTo("archive.batches");
        assertThat(letter.get("sourcePartition").isInt()).isTrue();
        assertThat(letter.get("sourceOffset").isNumber()).isTrue();
        assertThat(letter.get("reason").asText()).contains("not valid JSON");
        assertThat(letter.get("key").asText()).isEqualTo(key);

        Result byReason = ctl.ctl("dlq", "list", "--reason", "NOT VALID json", "--json");
        assertThat(lines(byReason)).isNotEmpty();
        Result noMatch = ctl.ctl("dlq", "list", "--reason", "no such reason anywhere");
        assertThat(noMatch.exitCode()).isZero();
        assertThat(noMatch.out()).contains("no dead letters");
    }

    @Test
    void replaySendsThePoisonOnceDryRunNeverAndAgainNever() throws Exception {
        long before = ctl.endOffsets(Topics.BATCHES);
        Result dryRun = ctl.ctl("dlq", "replay", "--topic", "archive.batches", "--batch", key, "--dry-run");
        assertThat(dryRun.exitCode()).as("%s", dryRun).isZero();
        assertThat(dryRun.out()).contains("would send archive.batches.dlq/", "dry run: would replay 1 dead letter(s)", "nothing sent");
        assertThat(ctl.endOffsets(Topics.BATCHES)).isEqualTo(before);

        Result replay = ctl.ctl("dlq", "replay", "--topic", "archive.batches", "--batch", key);
        assertThat(replay.exitCode()).as("%s", replay).isZero();
        assertThat(replay.out()).contains("replayed 1 dead letter(s), 0 skipped");
        assertThat(ctl.endOffsets(Topics.BATCHES)).isEqualTo(before + 1);
        List<ConsumerRecord<byte[], byte[]>> copies = new ArrayList<>();
        ctl.readAll(Topics.BATCHES, r -> {
            if (r.key() != null && new String(r.key(), StandardCharsets.UTF_8).equals(key)) {
                copies.add(r);
            }
        });
        assertThat(copies).hasSize(2);
        ConsumerRecord<byte[], byte[]> copy = copies.get(1);
        assertThat(new String(copy.value(), StandardCharsets.UTF_8)).isEqualTo("{\"type\":\"ArchiveBatchReady\", not json");
        assertThat(new String(copy.headers().lastHeader("archiver-replayed-from").value(), StandardCharsets.UTF_8))
                .startsWith("archive.batches.dlq/");
        assertThat(new String(copy.headers().lastHeader("trace").value(), StandardCharsets.UTF_8)).isEqualTo("poison-1");
        assertThat(copy.headers().lastHeader("dead-letter-reason")).isNull();
        assertThat(copy.partition()).isEqualTo(copies.get(0).partition());

        // the exporter dead-letters the copy again: it comes back carrying the mark of its origin
        awaitDeadLetters(2);
        Result list = ctl.ctl("dlq", "list", "--batch", key);
        assertThat(list.out()).contains("replayed already", "failed again after its replay from archive.batches.dlq/",
                "2 dead letter(s), 2 replayed already");

        long afterFirst = ctl.endOffsets(Topics.BATCHES);
        Result again = ctl.ctl("dlq", "replay", "--topic", "archive.batches", "--batch", key);
        assertThat(again.exitCode()).as("%s", again).isZero();
        assertThat(again.out()).contains("replayed 0 dead letter(s), 2 skipped as replayed already");
        assertThat(ctl.endOffsets(Topics.BATCHES)).isEqualTo(afterFirst);

        Result forced = ctl.ctl("dlq", "replay", "--topic", "archive.batches", "--batch", key, "--force", "--dry-run");
        assertThat(forced.exitCode()).as("%s", forced).isZero();
        assertThat(forced.out()).as("one record per origin, even forced").contains("dry run: would replay 1 dead letter(s), 1 skipped");
        assertThat(ctl.endOffsets(Topics.BATCHES)).isEqualTo(afterFirst);
    }

    private static void awaitDeadLetters(int count) {
        Result[] last = { null };
        org.awaitility.Awaitility.await("the exporter dead-letters " + count + " record(s) keyed " + key).atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(500)).until(() -> {
                    last[0] = ctl.ctl("dlq", "list", "--json", "--topic", "archive.batches", "--batch", key);
                    return last[0].exitCode() == 0 && lines(last[0]).size() >= count;
                });
    }

    private static List<String> lines(Result result) {
        return result.out().lines().filter(l -> !l.isBlank()).toList();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
