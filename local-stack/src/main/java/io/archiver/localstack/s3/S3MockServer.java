package io.archiver.localstack.s3;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.archiver.localstack.process.ChildProcess;
import io.archiver.localstack.process.FreePorts;
import io.archiver.localstack.process.StackLayout;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Adobe's S3Mock in a JVM of its own: the S3-compatible server of the local stack that knows
 * Object Lock (it stores retention and legal hold, without enforcing them) and returns SHA-256
 * checksums. It checks no credentials. Used where a test needs a bucket with Object Lock.
 */
public final class S3MockServer implements AutoCloseable {

    private final StackLayout layout;
    private final Path dir;
    private final int port;
    private ChildProcess process;

    public S3MockServer(StackLayout layout, Path dir) {
        this.layout = layout;
        this.dir = dir;
        this.port = FreePorts.next();
    }

    public String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    public synchronized S3MockServer start() {
        if (process != null && process.isAlive()) {
            return this;
        }
        process = ChildProcess.start("s3mock",
                List.of(StackLayout.java(), "-Xms64m", "-Xmx320m", "-XX:+UseSerialGC", StackLayout.SERVER_JIT_OPTION, "-jar", layout.s3mockJar().toString(),
                        "--com.adobe.testing.s3mock.http-port=" + port, "--server.port=" + FreePorts.next(),
                        "--com.adobe.testing.s3mock.store.root=" + dir.resolve("objects"),
                        "--com.adobe.testing.s3mock.store.retain-files-on-exit=true", "--spring.main.banner-mode=off"),
                dir, dir.resolve("s3mock.log"), Map.of());
        process.awaitListening("127.0.0.1", port, Duration.ofSeconds(120));
        return this;
    }

    /** Creates {@code bucket} with Object Lock enabled. */
    public S3MockServer createLockedBucket(String bucket) {
        try (S3Client s3 = client()) {
            s3.createBucket(b -> b.bucket(bucket).objectLockEnabledForBucket(true));
        }
        return this;
    }

    /** A client for the tests (S3Mock accepts any credentials). */
    public S3Client client() {
        return S3Client.builder().endpointOverride(URI.create(endpoint())).forcePathStyle(true).region(Region.of(S3Server.REGION))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("s3mock", "s3mock")))
                .httpClient(UrlConnectionHttpClient.create()).build();
    }

    /** The services' configuration to use this server: endpoint, path style, any static credentials. */
    public Map<String, String> serviceEnvironment() {
        return Map.of("QUARKUS_S3_ENDPOINT_OVERRIDE", endpoint(), "QUARKUS_S3_PATH_STYLE_ACCESS", "true",
                "QUARKUS_S3_AWS_CREDENTIALS_TYPE", "static", "QUARKUS_S3_AWS_CREDENTIALS_STATIC_PROVIDER_ACCESS_KEY_ID", "s3mock",
                "QUARKUS_S3_AWS_CREDENTIALS_STATIC_PROVIDER_SECRET_ACCESS_KEY", "s3mock");
    }

    public synchronized void kill() {
        if (process != null) {
            process.kill();
        }
    }

    @Override
    public void close() {
        kill();
    }
}
