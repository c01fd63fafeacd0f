package io.archiver.uploader.storage;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.archiver.objectstore.ObjectStoreConfig;
import io.archiver.objectstore.lifecycle.LifecycleCheck;
import io.archiver.objectstore.lifecycle.LifecycleRules;
import io.archiver.objectstore.lifecycle.RetainedPrefix;
import io.archiver.policy.PolicyColumns;
import io.archiver.policy.PolicySpec;
import io.quarkus.runtime.StartupEvent;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.LifecycleRule;

/**
 * Refuses to start the uploader, the service that writes the archive's objects, while a lifecycle rule of the bucket would
 * expire a policy's objects before its {@code object-retention} (docs/archive.md#lifecycle-rules). A startup failure, not a
 * readiness state: the uploader consumes from Kafka whether or not Kubernetes routes traffic to it, so only not running
 * keeps it from writing objects such a rule would delete early. The pod then restarts with the reason in its log. A server
 * without lifecycle rules (S3Proxy answers 501) is logged once and not checked; so is a bucket that does not answer at all at
 * start (no credentials, no route), which the readiness check reports.
 */
@ApplicationScoped
public class LifecycleGuard {

    private static final Logger LOG = Logger.getLogger(LifecycleGuard.class);
    private static final Duration POLICY_READ_TIMEOUT = Duration.ofSeconds(30);

    private final S3Client s3;
    private final ObjectStoreConfig store;
    private final Pool control;

    public LifecycleGuard(S3Client s3, ObjectStoreConfig store, Pool control) {
        this.s3 = s3;
        this.store = store;
        this.control = control;
    }

    // before the channels start consuming
    void check(@Observes @Priority(1) StartupEvent start) {
        List<String> refusals = refusals(new LifecycleRules(s3, store.bucket()), store.bucket(), this::policies, Instant.now());
        if (!refusals.isEmpty()) {
            throw new IllegalStateException("the uploader does not start: " + String.join("; ", refusals));
        }
    }

    /** Why the bucket's rules forbid writing objects of these policies; none when they do not or the server has no lifecycle. */
    public static List<String> refusals(LifecycleRules rules, String bucket, Supplier<List<RetainedPrefix>> policies, Instant now) {
        Optional<List<LifecycleRule>> found;
        try {
            found = rules.read();
        } catch (SdkClientException unreachable) {
            // no answer from S3 at all (no credentials, no route): nothing can be written either, and BucketReadinessCheck keeps
            // the uploader unready until the bucket answers; refusing to start would only hide that reason behind a restart loop
            LOG.warnf("bucket %s: its lifecycle rules could not be read (%s); not checked at this start: run 'archivectl archive"
                    + " lifecycle show' to check them", bucket, unreachable.getMessage());
            return List.of();
        }
        if (found.isEmpty()) {
            LOG.infof("bucket %s: the S3 server does not implement lifecycle rules (501 NotImplemented); the lifecycle check is skipped", bucket);
            return List.of();
        }
        if (!LifecycleCheck.anyExpires(found.get())) {
            // the policies are read only when a rule expires something: on a fresh install the scanner may not have migrated yet
            LOG.infof("bucket %s: %d lifecycle rule(s), none expires objects", bucket, found.get().size());
            return List.of();
        }
        List<RetainedPrefix> retained = policies.get();
        List<String> refusals = LifecycleCheck.conflicts(found.get(), retained, now).stream().map(LifecycleCheck.Conflict::message).toList();
        if (refusals.isEmpty()) {
            LOG.infof("bucket %s: %d lifecycle rule(s), none expires an object of the %d policies before its object-retention", bucket,
                    found.get().size(), retained.size());
        }
        return refusals;
    }

    /** Every policy's prefix and object-retention (disabled ones too: their objects stay in the bucket). */
    private List<RetainedPrefix> policies() {
        List<RetainedPrefix> policies = new ArrayList<>();
        for (Row row : control.query(PolicyColumns.SELECT).execute().await().atMost(POLICY_READ_TIMEOUT)) {
            PolicySpec spec = PolicyColumns.read(row::getValue).spec();
            policies.add(new RetainedPrefix(spec.name(), spec.prefix() + "/", spec.objectRetention()));
        }
        return policies;
    }
}
