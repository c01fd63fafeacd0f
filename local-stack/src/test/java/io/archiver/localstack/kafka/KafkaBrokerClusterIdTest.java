package io.archiver.localstack.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Base64;

import org.junit.jupiter.api.Test;

class KafkaBrokerClusterIdTest {

    /** One id in 64 would start with '-' if drawn unchecked; 5,000 draws make missing the guard all but certain to show. */
    @Test
    void clusterIdsAreKafkaShapedAndNeverLookLikeAnOption() {
        for (int i = 0; i < 5_000; i++) {
            String id = KafkaBroker.clusterId();
            assertFalse(id.startsWith("-"), id);
            assertEquals(22, id.length(), id);
            assertEquals(16, Base64.getUrlDecoder().decode(id).length, id);
            assertTrue(id.matches("[A-Za-z0-9_-]+"), id);
        }
    }
}
