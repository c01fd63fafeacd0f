package io.archiver.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

class TopicsTest {

    /** Kafka's own rule for topic names. */
    private static final Pattern KAFKA_TOPIC = Pattern.compile("[a-zA-Z0-9._-]{1,249}");

    static final List<String> consumed = Topics.CONSUMED;

    @ParameterizedTest
    @FieldSource("consumed")
    void everyConsumedTopicHasADeadLetterTopic(String topic) {
        String dlq = Topics.dlq(topic);

        assertThat(dlq).isEqualTo(topic + ".dlq").endsWith(Topics.DLQ_SUFFIX);
        assertThat(KAFKA_TOPIC.matcher(dlq).matches()).isTrue();
        assertThat(Topics.ALL).doesNotContain(dlq);
    }

    @Test
    void deadLetterTopicsAreDistinct() {
        Set<String> dlqs = new HashSet<>();
        for (String topic : Topics.CONSUMED) {
            assertThat(dlqs.add(Topics.dlq(topic))).as("dead-letter topic of %s", topic).isTrue();
        }
        assertThat(dlqs).hasSize(Topics.CONSUMED.size());
    }

    @Test
    void topicsAreDistinctValidKafkaNamesAndConsumedOnesArePartOfTheFlow() {
        assertThat(Topics.ALL).doesNotHaveDuplicates()
                .containsExactly(Topics.REQUESTS, Topics.BATCHES, Topics.SHARDS, Topics.UPLOADS, Topics.COMPLETIONS, Topics.RUNS,
                        Topics.RESTORES);
        assertThat(Topics.ALL).allSatisfy(topic -> assertThat(KAFKA_TOPIC.matcher(topic).matches()).isTrue());
        assertThat(Topics.ALL).containsAll(Topics.CONSUMED);
        assertThat(Topics.CONSUMED).doesNotHaveDuplicates()
                .contains(Topics.REQUESTS, Topics.BATCHES, Topics.SHARDS, Topics.UPLOADS, Topics.COMPLETIONS, Topics.RESTORES);
        assertThat(Topics.ALL).noneMatch(topic -> topic.endsWith(Topics.DLQ_SUFFIX));
    }
}
