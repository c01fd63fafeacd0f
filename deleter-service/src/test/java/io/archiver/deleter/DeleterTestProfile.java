package io.archiver.deleter;

import java.util.List;
import java.util.Map;

import io.archiver.localstack.quarkus.LocalStackResource;
import io.archiver.support.testing.InMemoryChannels;
import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * The deleter's fast tests: its channels in memory, the real MariaDB and S3 server of the local stack. Small chunks and
 * pages, so that a batch of a few dozen rows is removed in several transactions, each read in several pages.
 */
public class DeleterTestProfile implements QuarkusTestProfile {

    public static final int CHUNK_ROWS = 10;
    /** Rows per restoring transaction: an object of a few dozen rows is restored in several. */
    public static final int RESTORE_CHUNK_ROWS = 7;

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("archiver.delete.chunk-rows", String.valueOf(CHUNK_ROWS), "archiver.delete.fetch-size", "4",
                "archiver.restore.chunk-rows", String.valueOf(RESTORE_CHUNK_ROWS),
                "archiver.retry.max-attempts", "3", "archiver.retry.initial-backoff", "PT0.1S", "archiver.retry.max-backoff", "PT0.2S");
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(LocalStackResource.class, Map.of("servers", "mysql,s3")),
                new TestResourceEntry(InMemoryChannels.class, Map.of("incoming", "uploads,restores", "outgoing", "completions-out")));
    }

    /** The same, with a pause after each removed batch. */
    public static class WithPause extends DeleterTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> config = new java.util.HashMap<>(super.getConfigOverrides());
            config.put("archiver.delete.pause-between-batches", "PT1M");
            return config;
        }
    }

    /**
     * The same, with one "replica" that is a stand-in the test controls: the test database itself, whose lag is read from a
     * heartbeat table the test writes, pt-heartbeat style. Short check interval and max pause, so the tests wait seconds.
     */
    public static class WithReplicaStandIn extends DeleterTestProfile {
        public static final String HEARTBEAT = "heartbeat_standin";

        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> config = new java.util.HashMap<>(super.getConfigOverrides());
            config.put("archiver.delete.throttle.replicas.standin.url", "${quarkus.datasource.reactive.url}");
            config.put("archiver.delete.throttle.replicas.standin.lag-query",
                    "SELECT TIMESTAMPDIFF(SECOND, ts, NOW()) FROM " + HEARTBEAT + " WHERE id = 1");
            config.put("archiver.delete.throttle.max-replica-lag", "PT5S");
            config.put("archiver.delete.throttle.check-interval", "PT0.2S");
            config.put("archiver.delete.throttle.max-pause", "PT6S");
            return config;
        }
    }
}
