package io.archiver.objectstore.lifecycle;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ExpirationStatus;
import software.amazon.awssdk.services.s3.model.LifecycleRule;

/**
 * The archive bucket's lifecycle configuration (Get/PutBucketLifecycleConfiguration, docs/archive.md#lifecycle-rules): read,
 * and the safety net Archiver installs, one rule per policy prefix ({@value #RULE_ID_PREFIX}{@code <policy>}) expiring its
 * objects after the policy's object-retention plus a margin, behind purge. A server without lifecycle support (S3Proxy: 501
 * NotImplemented) is told apart from a bucket without rules.
 */
public final class LifecycleRules {

    /** The id of the rules Archiver installs begins with this; install replaces those and keeps every other rule. */
    public static final String RULE_ID_PREFIX = "archiver-safety-net-";

    private final S3Client s3;
    private final String bucket;

    public LifecycleRules(S3Client s3, String bucket) {
        this.s3 = s3;
        this.bucket = bucket;
    }

    /** The bucket's rules (none when it has no configuration); empty when the server does not implement lifecycle. */
    public Optional<List<LifecycleRule>> read() {
        try {
            return Optional.of(s3.getBucketLifecycleConfiguration(b -> b.bucket(bucket)).rules());
        } catch (AwsServiceException e) {
            if (notImplemented(e)) {
                return Optional.empty();
            }
            if (e.awsErrorDetails() != null && "NoSuchLifecycleConfiguration".equals(e.awsErrorDetails().errorCode())) {
                return Optional.of(List.of());
            }
            throw e;
        }
    }

    /** Replaces the bucket's lifecycle configuration with {@code rules} (at least one). */
    public void write(List<LifecycleRule> rules) {
        s3.putBucketLifecycleConfiguration(b -> b.bucket(bucket).lifecycleConfiguration(c -> c.rules(rules)));
    }

    /** Whether an S3 error says the server does not implement the call (HTTP 501, or the code NotImplemented). */
    public static boolean notImplemented(AwsServiceException e) {
        return e.statusCode() == 501 || e.awsErrorDetails() != null && "NotImplemented".equals(e.awsErrorDetails().errorCode());
    }

    /**
     * {@code existing} with Archiver's rules replaced by one per policy: prefix the policy's key prefix, enabled, expiring its
     * objects {@code margin} (whole days, rounded up) after its object-retention. Every rule not Archiver's is kept as it is.
     */
    public static List<LifecycleRule> withSafetyNet(List<LifecycleRule> existing, List<RetainedPrefix> policies, Duration margin) {
        List<LifecycleRule> rules = new ArrayList<>();
        for (LifecycleRule rule : existing) {
            if (rule.id() == null || !rule.id().startsWith(RULE_ID_PREFIX)) {
                rules.add(rule);
            }
        }
        long marginDays = new RetainedPrefix("margin", "", margin).retentionDays();
        for (RetainedPrefix policy : policies) {
            rules.add(LifecycleRule.builder().id(RULE_ID_PREFIX + policy.policy()).filter(f -> f.prefix(policy.keyPrefix()))
                    .status(ExpirationStatus.ENABLED)
                    .expiration(e -> e.days(Math.toIntExact(policy.retentionDays() + marginDays))).build());
        }
        return rules;
    }
}
