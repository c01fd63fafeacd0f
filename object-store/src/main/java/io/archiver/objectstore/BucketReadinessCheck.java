package io.archiver.objectstore;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadBucketRequest;

/** Ready only while the archive bucket exists and answers with these credentials (HEAD bucket). */
@Readiness
@ApplicationScoped
public class BucketReadinessCheck implements HealthCheck {

    private final S3Client s3;
    private final ObjectStoreConfig config;

    public BucketReadinessCheck(S3Client s3, ObjectStoreConfig config) {
        this.s3 = s3;
        this.config = config;
    }

    @Override
    public HealthCheckResponse call() {
        try {
            s3.headBucket(HeadBucketRequest.builder().bucket(config.bucket())
                    .overrideConfiguration(o -> o.apiCallTimeout(config.healthTimeout()).apiCallAttemptTimeout(config.healthTimeout()))
                    .build());
            return HealthCheckResponse.named("s3").up().withData("bucket", config.bucket()).build();
        } catch (AwsServiceException e) {
            return down("HTTP " + e.statusCode() + " " + e.awsErrorDetails().errorCode());
        } catch (SdkException e) {
            return down(e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    private HealthCheckResponse down(String error) {
        return HealthCheckResponse.named("s3").down().withData("bucket", config.bucket()).withData("error", error).build();
    }
}
