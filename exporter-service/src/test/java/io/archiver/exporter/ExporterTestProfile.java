package io.archiver.exporter;

import java.util.List;
import java.util.Map;

import io.archiver.localstack.quarkus.LocalStackResource;
import io.archiver.support.testing.InMemoryChannels;
import io.quarkus.test.junit.QuarkusTestProfile;

/** The exporter's fast tests: its channels in memory, the real MariaDB and S3 server of the local stack, pages of 3 rows. */
public class ExporterTestProfile implements QuarkusTestProfile {

    public static final String SCRATCH = "target/test-scratch";

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("archiver.export.scratch-dir", SCRATCH, "archiver.export.fetch-size", "3", "archiver.retry.max-attempts", "3",
                "archiver.retry.initial-backoff", "PT0.1S", "archiver.retry.max-backoff", "PT0.2S");
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(LocalStackResource.class, Map.of("servers", "mysql,s3")),
                new TestResourceEntry(InMemoryChannels.class, Map.of("incoming", "batches", "outgoing", "shards-out")));
    }
}
