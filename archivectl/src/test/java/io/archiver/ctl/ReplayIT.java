package io.archiver.ctl;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.archiver.ctl.Cli.Result;

/**
 * replay: resets a consumer group's offset while the group is inactive, refuses while it is
 * active, re-publishes with --republish. On a topic of its own, so that no service reacts.
 */
class ReplayIT {

    private static final String TOPIC = "archivectl.replay-test";
    private static final String GROUP = "archivectl-replay-test";
    private static final TopicPartition TP = new TopicPartition(TOPIC, 1);
    /** The records' timestamps: recent, never past the broker's retention (7 days), which would delete them under the test. */
    private static final Instant BASE = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).minus(Duration.ofHours(1));

    private static CtlStack ctl;

    @BeforeAll
    static void topicWithTenRecordsAndAGroupThatConsumedThem() throws Exception {
        ctl = CtlStack.get();
        try (Admin admin = ctl.admin()) {
            admin.createTopics(List.of(new NewTopic(TOPIC, 2, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
        try (KafkaProducer<byte[], byte[]> producer = ctl.producer()) {
            for (int i = 0; i < 10; i++) {
                ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(TOPIC, 1, BASE.plusSeconds(i).toEpochMilli(), bytes("key-" + i),
                        bytes("value-" + i));
                record.headers().add("trace", bytes("t-" + i));
                producer.send(record).get(30, TimeUnit.SECONDS);
            }
        }
        commit(10);
    }

    @Test
    void resetsTheGroupsOffsetFromAnOffsetOrATimeAndIsSafeToRepeat() throws Exception {
        commit(10);
        long end = end();
        Result dryRun = ctl.ctl("replay", "--topic", TOPIC, "--partition", "1", "--group", GROUP, "--from-offset", "4", "--dry-run");
        assertThat(dryRun.exitCode()).as("%s", dryRun).isZero();
        assertThat(dryRun.out()).contains("dry run", "committed offset 10", (end - 4) + " record(s)");
        assertThat(committed()).isEqualTo(10);

        for (int time = 0; time < 2; time++) {
            Result reset = ctl.ctl("replay", "--topic", TOPIC, "--partition", "1", "--group", GROUP, "--from-offset", "4");
            assertThat(reset.exitCode()).as("%s", reset).isZero();
            assertThat(reset.out()).contains("consumer group " + GROUP + " on " + TP, "-> 4", (end - 4) + " record(s) (offsets 4.." + (end - 1) + ")");
            assertThat(committed()).isEqualTo(4);
        }

        Result byTime = ctl.ctl("replay", "--topic", TOPIC, "--partition", "1", "--group", GROUP, "--from-timestamp", BASE.plusMillis(6_500).toString());
        assertThat(byTime.exitCode()).as("%s", byTime).isZero();
        assertThat(byTime.out()).contains("offset 7 (" + BASE.plusSeconds(7) + ")", "-> 7", (end - 7) + " record(s)");
        assertThat(committed()).isEqualTo(7);

        Result afterAll = ctl.ctl("replay", "--topic", TOPIC, "--partition", "1", "--group", GROUP, "--from-timestamp", "2030-01-01");
        assertThat(afterAll.exitCode()).as("%s", afterAll).isZero();
        assertThat(committed()).isEqualTo(end);
    }

    @Test
    void refusesWhileTheGroupIsActiveUnlessAskedToRepublish() throws Exception {
        commit(10);
        long endBefore = ctl.endOffsets(TOPIC);
        try (KafkaConsumer<byte[], byte[]> member = ctl.consumer(GROUP)) {
            member.subscribe(List.of(TOPIC));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (member.assignment().isEmpty() && System.nanoTime() < deadline) {
                member.poll(Duration.ofMillis(200));
            }
            assertThat(member.assignment()).isNotEmpty();

            Result refused = ctl.ctl("replay", "--topic", TOPIC, "--partition", "1", "--group", GROUP, "--from-offset", "8");
            assertThat(refused.exitCode()).as("%s", refused).isEqualTo(1);
            assertThat(refused.err()).contains("consumer group " + GROUP + " has 1 active member(s)", "--republish");
            assertThat(ctl.endOffsets(TOPIC)).isEqualTo(endBefore);

            Result dryRun = ctl.ctl("replay", "--topic", TOPIC, "--partition", "1", "--group", GROUP, "--from-offset", "8", "--republish",
                    "--dry-run");
            assertThat(dryRun.exitCode()).as("%s", dryRun).isZero();
            assertThat(dryRun.out()).contains("would publish 2 record(s)");
            assertThat(ctl.endOffsets(TOPIC)).isEqualTo(endBefore);

            Result republished = ctl.ctl("replay", "--topic", TOPIC, "--partition", "1", "--group", GROUP, "--from-offset", "8", "--republish");
            assertThat(republished.exitCode()).as("%s", republished).isZero();
            assertThat(republished.out()).contains("published 2 record(s) of " + TP + " (offsets 8..9) again");
            member.poll(Duration.ofMillis(100));
        }
        assertThat(ctl.endOffsets(TOPIC)).isEqualTo(endBefore + 2);
        List<ConsumerRecord<byte[], byte[]>> copies = ctl.records(TOPIC).stream()
                .filter(r -> r.headers().lastHeader("archiver-republished-from") != null).toList();
        assertThat(copies).hasSize(2).allSatisfy(r -> assertThat(r.partition()).isEqualTo(1));
        assertThat(copies.stream().map(r -> new String(r.key(), StandardCharsets.UTF_8))).containsExactly("key-8", "key-9");
        assertThat(copies.stream().map(r -> new String(r.headers().lastHeader("trace").value(), StandardCharsets.UTF_8))).containsExactly("t-8", "t-9");
        assertThat(copies.stream().map(r -> new String(r.headers().lastHeader("archiver-republished-from").value(), StandardCharsets.UTF_8)))
                .containsExactly(TOPIC + "/1/8", TOPIC + "/1/9");
    }

    @Test
    void aPartitionThatDoesNotExistIsAFailure() {
        Result result = ctl.ctl("replay", "--topic", TOPIC, "--partition", "7", "--group", GROUP, "--from-offset", "0");
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).contains("has no partition 7");
        Result noTopic = ctl.ctl("replay", "--topic", "archivectl.no-such-topic", "--partition", "0", "--group", GROUP, "--from-offset", "0");
        assertThat(noTopic.exitCode()).isEqualTo(1);
        assertThat(noTopic.err()).contains("topic archivectl.no-such-topic does not exist");
    }

    private static void commit(long offset) throws Exception {
        try (Admin admin = ctl.admin()) {
            admin.alterConsumerGroupOffsets(GROUP, Map.of(TP, new OffsetAndMetadata(offset))).all().get(30, TimeUnit.SECONDS);
        }
    }

    private static long end() {
        try (KafkaConsumer<byte[], byte[]> consumer = ctl.consumer(null)) {
            return consumer.endOffsets(List.of(TP)).get(TP);
        }
    }

    private static long committed() throws Exception {
        try (Admin admin = ctl.admin()) {
            return admin.listConsumerGroupOffsets(GROUP).partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS).get(TP).offset();
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
