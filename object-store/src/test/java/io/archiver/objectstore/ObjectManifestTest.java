package io.archiver.objectstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.archiver.localstack.LocalStack;
import io.archiver.localstack.s3.S3Server;
import io.archiver.manifest.ArchiveManifest;
import io.archiver.manifest.ManifestCodec;
import io.archiver.manifest.ManifestKeys;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The one read of an object's manifest, on the local stack's S3Proxy: none there, something that is not a manifest, and a
 * manifest with its entry for the object; {@link ArchiveReader#manifestOf} turns the second into an IOException that names
 * the key.
 */
class ObjectManifestTest {

    private static S3Client s3;
    private static ObjectStore store;

    @BeforeAll
    static void connect() {
        S3Server server = LocalStack.forTests().ensure(EnumSet.of(LocalStack.Server.S3)).s3();
        s3 = S3Client.builder().endpointOverride(URI.create(server.endpoint())).forcePathStyle(true).region(Region.of(S3Server.REGION))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(server.accessKey(), server.secretKey())))
                .httpClient(UrlConnectionHttpClient.create()).build();
        store = new ObjectStore(s3, ObjectStoreConfig.of(LocalStack.BUCKET, Duration.ofSeconds(3), ObjectStoreConfig.ObjectLock.OFF));
    }

    @AfterAll
    static void close() {
        s3.close();
    }

    @Test
    void anObjectWithoutAManifestHasNone() throws IOException {
        String key = key();
        ObjectManifest found = store.manifestOf(key);
        assertThat(found).isInstanceOf(ObjectManifest.Missing.class);
        assertThat(found.manifestKey()).isEqualTo(ManifestKeys.ofObject(key));
        assertThat(new ArchiveReader(store).manifestOf(key)).isEmpty();
        assertThat(new ArchiveReader(store).entryOf(key)).isEmpty();
    }

    @Test
    void somethingElseAtTheManifestsKeyIsUnreadableAndTheReaderSaysWhere() {
        String key = key();
        put(ManifestKeys.ofObject(key), "not json".getBytes(StandardCharsets.UTF_8));
        assertThat(store.manifestOf(key)).isInstanceOfSatisfying(ObjectManifest.Unreadable.class,
                unreadable -> assertThat(unreadable.problem()).isNotBlank());
        assertThatThrownBy(() -> new ArchiveReader(store).manifestOf(key)).isInstanceOf(IOException.class)
                .hasMessageContaining(ManifestKeys.ofObject(key)).hasMessageContaining("is not an archive manifest");
    }

    @Test
    void aManifestIsFoundWithItsEntryForTheObjectAndNoneForAnother() throws IOException {
        String key = key();
        ArchiveManifest.ObjectEntry entry = new ArchiveManifest.ObjectEntry(key, "1", "9", null, null, 9, 120, "ab".repeat(32), "cd".repeat(32),
                ArchiveManifest.CSV_GZIP);
        put(ManifestKeys.ofObject(key), ManifestCodec.encode(new ArchiveManifest(ArchiveManifest.FORMAT_VERSION, "run", "run", "run-1", "id",
                "msg_sent_date", "EPOCH_MILLIS", List.of(new ArchiveManifest.Column("id", "bigint", "bigint(20)")),
                ArchiveManifest.Encoding.CURRENT, List.of(entry))));

        assertThat(store.manifestOf(key)).isInstanceOfSatisfying(ObjectManifest.Found.class, found -> {
            assertThat(found.entry(key)).contains(entry);
            assertThat(found.entry(key + "-other")).isEmpty();
        });
        assertThat(new ArchiveReader(store).entryOf(key)).contains(entry);
    }

    private static void put(String key, byte[] bytes) {
        s3.putObject(b -> b.bucket(LocalStack.BUCKET).key(key), RequestBody.fromBytes(bytes));
    }

    private static String key() {
        return "manifest-test/" + UUID.randomUUID() + ".csv.gz";
    }
}
