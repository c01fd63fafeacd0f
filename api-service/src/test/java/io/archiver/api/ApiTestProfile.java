package io.archiver.api;

import java.util.List;
import java.util.Map;

import io.archiver.localstack.quarkus.LocalStackResource;
import io.quarkus.test.junit.QuarkusTestProfile;

/** The API against the local stack's real Kafka, MariaDB and S3 server, with the test key pair's public key. */
public class ApiTestProfile implements QuarkusTestProfile {

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(LocalStackResource.class, Map.of("servers", "kafka,mysql,s3")),
                new TestResourceEntry(TestTokens.class));
    }
}
