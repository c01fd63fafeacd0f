package io.archiver.support.testing;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.smallrye.reactive.messaging.memory.InMemoryConnector;

/**
 * Puts a service's Kafka channels on SmallRye's in-memory connector for a {@code @QuarkusTest}: the test sends records to
 * the incoming channels and reads what the service publishes, without a broker. Init arguments {@code incoming} and
 * {@code outgoing}: the channel names, comma-separated.
 */
public class InMemoryChannels implements QuarkusTestResourceLifecycleManager {

    private String[] incoming = {};
    private String[] outgoing = {};

    @Override
    public void init(Map<String, String> initArgs) {
        incoming = names(initArgs.get("incoming"));
        outgoing = names(initArgs.get("outgoing"));
    }

    private static String[] names(String list) {
        return list == null || list.isBlank() ? new String[0] : Arrays.stream(list.split(",")).map(String::trim).toArray(String[]::new);
    }

    @Override
    public Map<String, String> start() {
        Map<String, String> config = new HashMap<>(InMemoryConnector.switchIncomingChannelsToInMemory(incoming));
        config.putAll(InMemoryConnector.switchOutgoingChannelsToInMemory(outgoing));
        return config;
    }

    @Override
    public void stop() {
        InMemoryConnector.clear();
    }
}
