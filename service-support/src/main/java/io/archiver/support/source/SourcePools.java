package io.archiver.support.source;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Function;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.archiver.policy.SourceSpec;
import io.archiver.policy.SourceStore;
import io.archiver.policy.StoredSource;
import io.archiver.support.policy.PolicyCatalogConfig;
import io.archiver.support.policy.PolicyViolation;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.mysqlclient.MySQLBuilder;
import io.vertx.mysqlclient.MySQLConnectOptions;
import io.vertx.mysqlclient.SslMode;
import io.vertx.sqlclient.PoolOptions;

/**
 * One Vert.x MySQL pool per source in use: the control database's own pool for {@value SourceSpec#CONTROL}, else a pool built
 * from the source's row in {@code archive_source} (read afresh on each call, rebuilt when its version changes) with its password
 * resolved in this process's environment ({@link io.archiver.policy.SourcePassword#resolve}); the password is given to the
 * driver only, never logged. The scanner, exporter and deleter read (and the deleter deletes) a policy's table through its
 * source's pool; a source that is not defined or is disabled is refused ({@code SOURCE_NOT_SERVED}), nothing read. Readiness
 * reports each source its policies name ({@link SourcesReadiness}).
 */
@ApplicationScoped
public class SourcePools {

    private static final Logger LOG = Logger.getLogger(SourcePools.class);
    private static final int POOL_SIZE = 4;

    private record Built(int version, Pool pool) {
    }

    private final Pool control;
    private final Vertx vertx;
    private final Duration timeout;
    private final Function<String, String> environment;
    private final ConcurrentMap<String, Built> pools = new ConcurrentHashMap<>();

    @Inject
    public SourcePools(Pool control, Vertx vertx, PolicyCatalogConfig config) {
        this(control, vertx, config.readTimeout(), System::getenv);
    }

    public SourcePools(Pool control, Vertx vertx, Duration timeout, Function<String, String> environment) {
        this.control = control;
        this.vertx = vertx;
        this.timeout = timeout;
        this.environment = environment;
    }

    /** The pool of {@code source}; fails naming the source when it is not defined or its password cannot be read. */
    public Uni<Pool> pool(String source) {
        if (SourceSpec.CONTROL.equals(source)) {
            return Uni.createFrom().item(control);
        }
        return control.preparedQuery(SourceStore.SELECT + " WHERE name = ?").execute(Tuple.of(source)).ifNoItem().after(timeout).fail()
                .map(rows -> {
                    if (rows.size() == 0) {
                        throw new PolicyViolation("SOURCE_NOT_SERVED", "no source named '" + source + "' in archive_source; apply it with"
                                + " archivectl source apply -f sources.yaml");
                    }
                    StoredSource stored = SourceStore.read(rows.iterator().next()::getValue);
                    if (!stored.spec().enabled()) {
                        throw new PolicyViolation("SOURCE_NOT_SERVED", "source '" + source + "' is disabled: nothing is read or deleted"
                                + " in it; enable it with archivectl source enable " + source);
                    }
                    return pools.compute(source, (name, built) -> {
                        if (built != null && built.version() == stored.version()) {
                            return built;
                        }
                        if (built != null) {
                            built.pool().close().subscribe().with(ok -> {
                            }, failure -> {
                            });
                        }
                        LOG.infof("source %s version %d: a pool of %d to %s", name, stored.version(), POOL_SIZE, stored.spec().where());
                        return new Built(stored.version(), build(stored.spec()));
                    }).pool();
                });
    }

    private Pool build(SourceSpec source) {
        MySQLConnectOptions options = new MySQLConnectOptions().setHost(source.host()).setPort(source.port()).setDatabase(source.database())
                .setUser(source.user()).setPassword(source.password().resolve(source.name(), environment))
                .setSslMode(SslMode.valueOf(source.tls().name()));
        if (source.tls() == io.archiver.policy.TlsMode.REQUIRED) {
            options.setTrustAll(true); // encrypted, the certificate not checked: what REQUIRED means (VERIFY_CA checks it)
        }
        io.vertx.sqlclient.Pool pool = MySQLBuilder.pool().with(new PoolOptions().setMaxSize(POOL_SIZE)).connectingTo(options)
                .using(vertx.getDelegate()).build();
        return Pool.newInstance(pool);
    }

    /** Whether each of {@code sources} (and the control database) answers, by name: "UP", or "DOWN: why". */
    public Uni<Map<String, String>> health(List<String> sources) {
        Map<String, Uni<String>> checks = new LinkedHashMap<>();
        checks.put(SourceSpec.CONTROL, answer(SourceSpec.CONTROL));
        for (String source : sources) {
            checks.putIfAbsent(source, answer(source));
        }
        List<String> names = List.copyOf(checks.keySet());
        return Uni.join().all(List.copyOf(checks.values())).andCollectFailures().map(states -> {
            Map<String, String> health = new LinkedHashMap<>();
            for (int i = 0; i < names.size(); i++) {
                health.put(names.get(i), states.get(i));
            }
            return health;
        });
    }

    private Uni<String> answer(String source) {
        return pool(source).chain(pool -> pool.query("SELECT 1").execute()).ifNoItem().after(timeout).fail().map(rows -> "UP")
                .onFailure().recoverWithItem(failure -> "DOWN: " + failure.getMessage());
    }

    @PreDestroy
    void close() {
        pools.values().forEach(built -> built.pool().close().subscribe().with(ok -> {
        }, failure -> {
        }));
    }
}
