package io.archiver.ctl.archive;

import java.net.URI;
import java.time.Duration;

import io.archiver.ctl.cli.Archivectl;
import io.archiver.ctl.cli.UsageException;
import io.archiver.objectstore.ObjectStore;
import io.archiver.objectstore.ObjectStoreConfig;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The archive bucket as archivectl reaches it: the bucket and an S3 endpoint from flags or the environment, credentials
 * from {@code AWS_ACCESS_KEY_ID} and {@code AWS_SECRET_ACCESS_KEY} or else the AWS default chain. Nothing else: reading the
 * archive needs no database, ledger or Kafka.
 */
public final class BucketOptions {

    public static final String ENV_BUCKET = "ARCHIVER_S3_BUCKET";
    public static final String ENV_ENDPOINT = "ARCHIVER_S3_ENDPOINT";

    @Spec(Spec.Target.MIXEE)
    CommandSpec mixee;

    @Option(names = "--bucket", paramLabel = "NAME", order = 110, description = "The archive bucket (else $" + ENV_BUCKET + ").")
    String bucket;

    @Option(names = "--s3-endpoint", paramLabel = "URL", order = 111,
            description = "An S3-compatible server's URL, path-style addressing (else $" + ENV_ENDPOINT + "; without: AWS S3).")
    String endpoint;

    /** Whether a bucket is given (flag or environment): commands that also work without one ask first. */
    public boolean given() {
        Archivectl root = (Archivectl) mixee.root().userObject();
        String name = bucket != null ? bucket : root.environment(ENV_BUCKET);
        return name != null && !name.isBlank();
    }

    /** The bucket, read through a new S3 client; close its {@link ObjectStore#client()} after use. */
    public ObjectStore open() {
        Archivectl root = (Archivectl) mixee.root().userObject();
        String name = bucket != null ? bucket : root.environment(ENV_BUCKET);
        if (name == null || name.isBlank()) {
            throw new UsageException("the archive bucket is not set: --bucket or $" + ENV_BUCKET);
        }
        String url = endpoint != null ? endpoint : root.environment(ENV_ENDPOINT);
        String region = root.environment("AWS_REGION");
        String keyId = root.environment("AWS_ACCESS_KEY_ID");
        String secret = root.environment("AWS_SECRET_ACCESS_KEY");
        AwsCredentialsProvider credentials = keyId != null && secret != null
                ? StaticCredentialsProvider.create(AwsBasicCredentials.create(keyId, secret))
                : DefaultCredentialsProvider.builder().build();
        var builder = S3Client.builder().httpClient(UrlConnectionHttpClient.create()).credentialsProvider(credentials)
                .region(Region.of(region != null ? region : "us-east-1"));
        if (url != null && !url.isBlank()) {
            builder.endpointOverride(URI.create(url)).forcePathStyle(true);
        }
        S3Client s3 = builder.build();
        return new ObjectStore(s3, ObjectStoreConfig.of(name, Duration.ofSeconds(3)));
    }
}
