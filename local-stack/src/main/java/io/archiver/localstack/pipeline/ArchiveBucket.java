package io.archiver.localstack.pipeline;

import java.net.URI;
import java.util.List;

import io.archiver.localstack.LocalStack;
import io.archiver.localstack.s3.S3Server;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/** The local stack's archive bucket as the tests and the demo see it, through the AWS SDK. */
public final class ArchiveBucket implements AutoCloseable {

    private final S3Client s3;
    private final String bucket;

    public ArchiveBucket(S3Server server, String bucket) {
        this.bucket = bucket;
        this.s3 = S3Client.builder()
                .endpointOverride(URI.create(server.endpoint()))
                .forcePathStyle(true)
                .region(Region.of(S3Server.REGION))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(server.accessKey(), server.secretKey())))
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .httpClient(UrlConnectionHttpClient.create())
                .build();
    }

    public static ArchiveBucket of(LocalStack stack) {
        return new ArchiveBucket(stack.s3(), LocalStack.BUCKET);
    }

    public String name() {
        return bucket;
    }

    public List<S3Object> list(String prefix) {
        return s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix)).contents().stream().toList();
    }

    public byte[] read(String key) {
        return s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray();
    }

    public S3Client client() {
        return s3;
    }

    @Override
    public void close() {
        s3.close();
    }
}
