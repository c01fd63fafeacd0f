package io.archiver.objectstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.UUID;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.archiver.localstack.LocalStack;
import io.archiver.localstack.process.StackLayout;
import io.archiver.localstack.s3.S3MockServer;
import io.archiver.localstack.s3.S3Server;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * What each S3 server of the local stack validates on a put and returns on a HEAD, which the uploader's verification rests
 * on (object-store's README): S3Proxy 4.1.0 (filesystem) and S3Mock 5.2.0 both refuse a put whose
 * {@code x-amz-checksum-sha256} or {@code Content-MD5} is not the body's (400, nothing stored), keep the SHA-256 of a put
 * that carried one and return it on a HEAD with checksum mode enabled, return none for an object put without one (the
 * uploader then reads it back), and refuse a second put of a key with {@code If-None-Match: *} (412).
 */
class ServerChecksumTest {

    private static final String BUCKET = LocalStack.BUCKET;
    private static S3MockServer s3mock;

    static Stream<Arguments> servers() {
        LocalStack stack = LocalStack.forTests().ensure(EnumSet.of(LocalStack.Server.S3));
        S3Server s3proxy = stack.s3();
        S3Client proxyClient = S3Client.builder().endpointOverride(URI.create(s3proxy.endpoint())).forcePathStyle(true)
                .region(Region.of(S3Server.REGION))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(s3proxy.accessKey(), s3proxy.secretKey())))
                .httpClient(UrlConnectionHttpClient.create()).build();
        return Stream.of(Arguments.of("S3Proxy", proxyClient), Arguments.of("S3Mock", s3mock.client()));
    }

    /** S3Mock once for the class (a Spring Boot JVM: slow to start on a loaded machine). */
    @BeforeAll
    static void startS3Mock() {
        LocalStack stack = LocalStack.forTests().ensure(EnumSet.of(LocalStack.Server.S3));
        s3mock = new S3MockServer(StackLayout.locate(stack.workDir()), stack.workDir().resolve("s3mock-checksums")).start();
        try (S3Client client = s3mock.client()) {
            client.createBucket(b -> b.bucket(BUCKET));
        }
    }

    @AfterAll
    static void stop() {
        if (s3mock != null) {
            s3mock.close();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("servers")
    void aPutWithItsSha256IsValidatedAndTheHeadReturnsItWithoutTheBytes(String server, S3Client s3) throws Exception {
        ObjectStore store = new ObjectStore(s3, config());
        byte[] body = "id,subject\r\n1,a\r\n".getBytes(StandardCharsets.UTF_8);
        String key = key();
        Path file = Files.write(Files.createTempFile("shard", ".csv"), body);
        try {
            assertThat(new ObjectWriter(store, config()).put(file, key, body.length, sha256Hex(body))).isEqualTo(ObjectWriter.Put.WRITTEN);
            assertThat(store.head(key)).as(server).contains(new ObjectHead(key, body.length, sha256Hex(body)));
            assertThat(new ObjectWriter(store, config()).put(file, key, body.length, sha256Hex(body))).as(server + ": If-None-Match: *")
                    .isEqualTo(ObjectWriter.Put.KEY_TAKEN);
        } finally {
            Files.delete(file);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("servers")
    void aPutWhoseSha256IsNotTheBodysIsRefusedAndNothingIsStored(String server, S3Client s3) throws Exception {
        String key = key();
        byte[] body = "the body".getBytes(StandardCharsets.UTF_8);
        String wrong = Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest("another body".getBytes(StandardCharsets.UTF_8)));

        assertThatThrownBy(() -> s3.putObject(b -> b.bucket(BUCKET).key(key).checksumSHA256(wrong), RequestBody.fromBytes(body)))
                .as(server).isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(400));
        assertThat(new ObjectStore(s3, config()).head(key)).as(server).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("servers")
    void aPutWhoseContentMd5IsNotTheBodysIsRefused(String server, S3Client s3) throws Exception {
        String key = key();
        String wrong = Base64.getEncoder().encodeToString(MessageDigest.getInstance("MD5").digest("another body".getBytes(StandardCharsets.UTF_8)));

        assertThatThrownBy(() -> s3.putObject(b -> b.bucket(BUCKET).key(key).contentMD5(wrong), RequestBody.fromBytes("the body".getBytes(
                StandardCharsets.UTF_8)))).as(server).isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(400));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("servers")
    void anObjectPutWithoutASha256HasNoneOnTheHeadSoTheUploaderReadsItBack(String server, S3Client s3) throws Exception {
        String key = key();
        byte[] body = "no checksum of ours".getBytes(StandardCharsets.UTF_8);
        String md5 = Base64.getEncoder().encodeToString(MessageDigest.getInstance("MD5").digest(body));
        s3.putObject(b -> b.bucket(BUCKET).key(key).contentMD5(md5), RequestBody.fromBytes(body));

        ObjectStore store = new ObjectStore(s3, config());
        assertThat(store.head(key)).as(server).hasValueSatisfying(head -> {
            assertThat(head.bytes()).isEqualTo(body.length);
            assertThat(head.hasValidatedSha256()).isFalse();
        });
        assertThat(store.read(key, null).sha256Hex()).isEqualTo(sha256Hex(body));
    }

    private static String key() {
        return "checksums/" + UUID.randomUUID() + ".csv";
    }

    private static String sha256Hex(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    private static ObjectStoreConfig config() {
        return ObjectStoreConfig.of(BUCKET, Duration.ofSeconds(3), ObjectStoreConfig.ObjectLock.OFF);
    }
}
