package io.archiver.uploader.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import io.archiver.localstack.LocalStack;
import io.archiver.localstack.process.StackLayout;
import io.archiver.localstack.s3.S3MockServer;
import io.archiver.localstack.s3.S3Server;
import io.archiver.objectstore.lifecycle.LifecycleRules;
import io.archiver.objectstore.lifecycle.RetainedPrefix;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ExpirationStatus;
import software.amazon.awssdk.services.s3.model.LifecycleRule;

/**
 * The uploader's startup check of the bucket's lifecycle rules on the real servers: S3Mock stores and returns lifecycle
 * configurations (a rule expiring run's objects early is refused, naming it; a long enough one and the installed safety net
 * pass); S3Proxy answers 501 NotImplemented, and the check is skipped.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LifecycleGuardTest {

    private static final String BUCKET = "lifecycle-early";
    private static final String NET = "lifecycle-net";
    private static final List<RetainedPrefix> POLICIES = List.of(new RetainedPrefix("run", "run-archive/", Duration.ofDays(730)),
            new RetainedPrefix("orders", "orders-archive/", Duration.ofDays(400)));

    private S3MockServer s3mock;
    private S3Client mock;

    @BeforeAll
    void start() {
        Path work = Path.of("target", "lifecycle-guard").toAbsolutePath();
        LocalStack.deleteRecursively(work);
        s3mock = new S3MockServer(StackLayout.locate(work), work.resolve("s3mock")).start();
        mock = s3mock.client();
        mock.createBucket(b -> b.bucket(BUCKET));
        mock.createBucket(b -> b.bucket(NET));
    }

    @AfterAll
    void stop() {
        if (mock != null) {
            mock.close();
        }
        if (s3mock != null) {
            s3mock.close();
        }
    }

    private List<String> refusals() {
        return LifecycleGuard.refusals(new LifecycleRules(mock, BUCKET), BUCKET, () -> POLICIES, Instant.now());
    }

    private void rules(LifecycleRule... rules) {
        new LifecycleRules(mock, BUCKET).write(List.of(rules));
    }

    private static LifecycleRule expiring(String id, String prefix, int days) {
        return LifecycleRule.builder().id(id).status(ExpirationStatus.ENABLED).filter(f -> f.prefix(prefix)).expiration(e -> e.days(days)).build();
    }

    @Test
    void aRuleThatWouldExpireObjectsBeforeTheirRetentionIsRefusedNamingRulePrefixDaysAndPolicyAndASafeOnePasses() {
        assertThat(new LifecycleRules(mock, BUCKET).read()).as("a bucket without rules").contains(List.of());
        assertThat(refusals()).isEmpty();

        // a rule that expires nothing (incomplete uploads only) needs no policy: none is read
        rules(LifecycleRule.builder().id("uploads").status(ExpirationStatus.ENABLED).filter(f -> f.prefix(""))
                .abortIncompleteMultipartUpload(a -> a.daysAfterInitiation(1)).build());
        assertThat(LifecycleGuard.refusals(new LifecycleRules(mock, BUCKET), BUCKET, () -> {
            throw new AssertionError("no policy is read where no rule expires anything");
        }, Instant.now())).isEmpty();

        rules(expiring("tidy-up", "run-archive/", 90), expiring("logs", "logs/", 7));
        assertThat(refusals()).singleElement().asString().contains("lifecycle rule 'tidy-up'", "prefix 'run-archive/'", "after 90 days",
                "policy run", "P730D");

        rules(expiring("tidy-up", "run-archive/", 800), expiring("logs", "logs/", 7));
        assertThat(refusals()).isEmpty();
    }

    @Test
    void theInstalledSafetyNetPassesTheCheckAndKeepsTheBucketsOtherRules() {
        LifecycleRules lifecycle = new LifecycleRules(mock, NET);
        lifecycle.write(List.of(expiring("logs", "logs/", 7)));
        lifecycle.write(LifecycleRules.withSafetyNet(lifecycle.read().orElseThrow(), POLICIES, Duration.ofDays(30)));

        assertThat(lifecycle.read().orElseThrow()).extracting(r -> r.id() + " " + r.expiration().days()).containsExactlyInAnyOrder("logs 7",
                "archiver-safety-net-run 760", "archiver-safety-net-orders 430");
        assertThat(LifecycleGuard.refusals(lifecycle, NET, () -> POLICIES, Instant.now())).isEmpty();
    }

    @Test
    void aBucketThatDoesNotAnswerAtStartIsNotCheckedRatherThanRefused() throws Exception {
        int closed;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            closed = socket.getLocalPort(); // nothing listens there once the socket is closed
        }
        try (S3Client s3 = S3Client.builder().endpointOverride(URI.create("http://127.0.0.1:" + closed)).forcePathStyle(true)
                .region(Region.of(S3Server.REGION)).httpClient(UrlConnectionHttpClient.create())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("a", "b"))).build()) {
            LifecycleRules rules = new LifecycleRules(s3, BUCKET);
            assertThatThrownBy(rules::read).isInstanceOf(software.amazon.awssdk.core.exception.SdkClientException.class);
            assertThat(LifecycleGuard.refusals(rules, BUCKET, () -> {
                throw new AssertionError("no policy is read where no rule can be");
            }, Instant.now())).isEmpty();
        }
    }

    @Test
    void onS3ProxyWhichDoesNotImplementLifecycleTheCheckIsSkipped() {
        S3Server proxy = LocalStack.forTests().ensure(EnumSet.of(LocalStack.Server.S3)).s3();
        try (S3Client s3 = S3Client.builder().endpointOverride(URI.create(proxy.endpoint())).forcePathStyle(true)
                .region(Region.of(S3Server.REGION)).httpClient(UrlConnectionHttpClient.create())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(proxy.accessKey(), proxy.secretKey()))).build()) {
            LifecycleRules rules = new LifecycleRules(s3, LocalStack.BUCKET);
            assertThat(rules.read()).isEmpty();
            assertThat(LifecycleGuard.refusals(rules, LocalStack.BUCKET, () -> {
                throw new AssertionError("no policy is read where no rule can be");
            }, Instant.now())).isEmpty();
        }
    }
}
