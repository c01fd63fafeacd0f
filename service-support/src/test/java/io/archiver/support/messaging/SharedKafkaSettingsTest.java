package io.archiver.support.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.util.Properties;

import org.junit.jupiter.api.Test;

/**
 * The consumer settings every service shares (service-support's {@code META-INF/microprofile-config.properties}): the
 * broker holds an empty fetch up to 5 s instead of the client's 500 ms, so an idle consumer costs the broker a fetch
 * every 5 s, and the hold stays below the client's request timeout (30 s), which the client requires.
 */
class SharedKafkaSettingsTest {

    @Test
    void everyConsumerHoldsAnEmptyFetchFiveSeconds() throws Exception {
        Properties shared = shared();
        String hold = shared.getProperty("mp.messaging.connector.smallrye-kafka.fetch.max.wait.ms");
        assertThat(hold).as("the connector-wide fetch hold, so every channel of every service has it").isEqualTo("5000");
        assertThat(Integer.parseInt(hold)).isLessThan(30_000);
        assertThat(shared.getProperty("mp.messaging.connector.smallrye-kafka.fetch.min.bytes"))
                .as("a fetch answers as soon as one record arrives (the client's default, 1 byte), so the hold delays no event")
                .isNull();
    }

    @Test
    void thePollingThreadIsFreeEveryQuarterSecond() throws Exception {
        // a partition's first record waits for the committed-offset read queued behind the poll in progress
        assertThat(shared().getProperty("mp.messaging.connector.smallrye-kafka.poll-timeout"))
                .as("the connector-wide poll timeout, so every channel of every service has it").isEqualTo("250");
    }

    private Properties shared() throws Exception {
        Properties shared = new Properties();
        try (InputStream in = getClass().getClassLoader().getResourceAsStream("META-INF/microprofile-config.properties")) {
            assertThat(in).as("service-support's shared settings").isNotNull();
            shared.load(in);
        }
        return shared;
    }
}
