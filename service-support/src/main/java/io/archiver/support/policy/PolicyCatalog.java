package io.archiver.support.policy;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.archiver.policy.PolicyColumns;
import io.archiver.policy.StoredPolicy;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;

/**
 * The policies of a service, read from the control database ({@code archive_policy}, written only by
 * {@link io.archiver.policy.PolicyStore}) and read again every {@code archiver.policy.refresh} (5 s), so a change is seen
 * without a restart. Policies that could not be read for longer than {@code archiver.policy.max-staleness} are not used:
 * {@link #all()} then fails as a transient failure (a timeout) and the handler retries, so an event is never refused
 * because the control database was briefly away.
 */
@ApplicationScoped
public class PolicyCatalog implements ArchivePolicies {

    private static final Logger LOG = Logger.getLogger(PolicyCatalog.class);

    private record Snapshot(Map<String, Policy> policies, Map<String, Boolean> enabled, Map<String, Integer> versions,
            Map<String, Schedule> schedules, long readAtMs) {
    }

    private final Pool pool;
    private final Vertx vertx;
    private final PolicyCatalogConfig config;
    private final Clock clock;
    private final AtomicReference<Snapshot> snapshot = new AtomicReference<>();
    private volatile long timer = -1;

    @Inject
    public PolicyCatalog(Pool pool, Vertx vertx, PolicyCatalogConfig config) {
        this.pool = pool;
        this.vertx = vertx;
        this.config = config;
        this.clock = Clock.systemUTC();
    }

    void start(@Observes StartupEvent start) {
        refresh().subscribe().with(ok -> {
        }, failure -> {
        });
        timer = vertx.setPeriodic(config.refresh().toMillis(), id -> refresh().subscribe().with(ok -> {
        }, failure -> {
        }));
    }

    @PreDestroy
    void stop() {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }

    /** Reads the policies now and keeps them; a failed read keeps the last ones (until they are too old). */
    Uni<Snapshot> refresh() {
        return pool.query(PolicyColumns.SELECT).execute().ifNoItem().after(config.readTimeout()).fail().map(rows -> {
            Map<String, Policy> policies = new LinkedHashMap<>();
            Map<String, Boolean> enabled = new LinkedHashMap<>();
            Map<String, Integer> versions = new java.util.TreeMap<>();
            Map<String, Schedule> schedules = new LinkedHashMap<>();
            for (Row row : rows) {
                StoredPolicy stored = PolicyColumns.read(row::getValue);
                policies.put(stored.name(), PolicySettings.of(stored.spec()));
                enabled.put(stored.name(), stored.spec().enabled());
                versions.put(stored.name(), stored.version());
                if (stored.spec().enabled() && stored.spec().schedule() != null) {
                    schedules.put(stored.name(), new Schedule(stored.spec().schedule(), stored.updatedAtMs()));
                }
            }
            Snapshot read = new Snapshot(Map.copyOf(policies), Map.copyOf(enabled), versions, Map.copyOf(schedules), clock.millis());
            Snapshot before = snapshot.getAndSet(read);
            if (before == null || !before.versions().equals(read.versions())) {
                LOG.infof("policies read from the control database (name=version): %s", read.versions());
            }
            return read;
        }).onFailure().invoke(failure -> LOG.warnf("cannot read the policies from the control database (keeping the last ones): %s",
                failure.toString()));
    }

    private Snapshot current() {
        Snapshot now = snapshot.get();
        if ((now == null || clock.millis() - now.readAtMs() > config.refresh().toMillis() * 2)
                && !io.vertx.core.Context.isOnEventLoopThread()) {
            // not read yet, or the timer is late: a worker thread may wait for a read rather than fail the event
            try {
                now = refresh().await().atMost(config.readTimeout().plusSeconds(1));
            } catch (RuntimeException e) {
                now = snapshot.get();
            }
        }
        if (now == null || clock.millis() - now.readAtMs() > config.maxStaleness().toMillis()) {
            throw new PolicyCatalogUnavailable(now == null ? "the policies have not been read from the control database yet"
                    : "the policies were last read from the control database " + (clock.millis() - now.readAtMs()) + " ms ago, more than "
                            + "archiver.policy.max-staleness " + config.maxStaleness());
        }
        return now;
    }

    /** Each policy's version as last read, by name: what readiness reports ({@link PolicyCatalogReadiness}). */
    public Map<String, Integer> versions() {
        return current().versions();
    }

    @Override
    public Map<String, Policy> all() {
        return current().policies();
    }

    @Override
    public boolean enabled(String name) {
        return current().enabled().getOrDefault(name, false);
    }

    @Override
    public Map<String, Schedule> schedules() {
        return current().schedules();
    }

    @Override
    public ArchivePolicies fresh() {
        Snapshot read = refresh().await().atMost(config.readTimeout().plusSeconds(1));
        return new ArchivePolicies() {
            @Override
            public Map<String, Policy> all() {
                return read.policies();
            }

            @Override
            public boolean enabled(String name) {
                return read.enabled().getOrDefault(name, false);
            }
        };
    }

    /** The policies are not known well enough to decide: a transient failure (its cause is a timeout), retried by the handler. */
    public static final class PolicyCatalogUnavailable extends RuntimeException {
        PolicyCatalogUnavailable(String message) {
            super(message, new TimeoutException(message));
        }
    }
}
