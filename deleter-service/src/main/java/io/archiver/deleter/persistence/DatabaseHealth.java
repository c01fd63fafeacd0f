package io.archiver.deleter.persistence;

import java.time.Duration;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.archiver.deleter.domain.DeleteConfig;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowIterator;
import io.vertx.mysqlclient.MySQLBuilder;
import io.vertx.mysqlclient.MySQLConnectOptions;
import io.vertx.sqlclient.PoolOptions;

/**
 * The SQL of reading the database's health: the primary's {@code Threads_running} and InnoDB history list length, and each
 * configured replica's lag (on a one-connection pool of its own, opened at first use). What the figures mean for the
 * deletes is {@link io.archiver.deleter.domain.HealthThrottle}'s to decide. Each read waits at most {@code archiver.delete.db-timeout}.
 */
@ApplicationScoped
public class DatabaseHealth {

    private final Pool primary;
    private final Vertx vertx;
    private final DeleteConfig config;
    private final String defaultUser;
    private final String defaultPassword;
    private final Map<String, Pool> replicas = new ConcurrentHashMap<>();

    public DatabaseHealth(Pool primary, Vertx vertx, DeleteConfig config,
            @ConfigProperty(name = "quarkus.datasource.username", defaultValue = "") String defaultUser,
            @ConfigProperty(name = "quarkus.datasource.password", defaultValue = "") String defaultPassword) {
        this.primary = primary;
        this.vertx = vertx;
        this.config = config;
        this.defaultUser = defaultUser;
        this.defaultPassword = defaultPassword;
    }

    /** The primary's threads running a statement now (this read's own included). */
    public long threadsRunning() {
        Row row = first(primary.query("SHOW GLOBAL STATUS LIKE 'Threads_running'").execute().await().atMost(timeout()).iterator(),
                "SHOW GLOBAL STATUS LIKE 'Threads_running' returned no row");
        return Long.parseLong(row.getString(1));
    }

    /**
     * InnoDB's history list length: undo records not yet purged, which grows while long transactions hold old snapshots and
     * slows every read. Read from {@code information_schema.INNODB_METRICS} (MySQL 8 and MariaDB alike); a counter that is
     * switched off would read 0, so that is refused with the statement that switches it on.
     */
    public long historyLength() {
        Row row = first(primary.query("SELECT * FROM information_schema.INNODB_METRICS WHERE NAME = 'trx_rseg_history_len'").execute()
                .await().atMost(timeout()).iterator(), "information_schema.INNODB_METRICS has no trx_rseg_history_len");
        // MariaDB says ENABLED (1/0), MySQL 8 says STATUS ('enabled'/'disabled')
        int enabled = row.getColumnIndex("ENABLED");
        int status = row.getColumnIndex("STATUS");
        boolean on = enabled >= 0 ? row.getValue(enabled) != null && !"0".equals(String.valueOf(row.getValue(enabled)))
                : status < 0 || "enabled".equalsIgnoreCase(row.getString(status));
        if (!on) {
            throw new IllegalStateException("the InnoDB counter trx_rseg_history_len is off: switch it on with"
                    + " SET GLOBAL innodb_monitor_enable = 'trx_rseg_history_len', or set archiver.delete.throttle.max-history-length=0");
        }
        return ((Number) row.getValue("COUNT")).longValue();
    }

    /** The named replica's lag in whole seconds; empty when it does not know (replication stopped, or no heartbeat row). */
    public OptionalLong replicaLag(String name) {
        DeleteConfig.Replica replica = config.throttle().replicas().get(name);
        if (replica == null) {
            throw new IllegalArgumentException("no replica " + name + " in archiver.delete.throttle.replicas");
        }
        Pool pool = replicas.computeIfAbsent(name, n -> open(replica));
        String query = replica.lagQuery().orElse("SHOW REPLICA STATUS");
        RowIterator<Row> rows = pool.query(query).execute().await().atMost(timeout()).iterator();
        Row row = first(rows, "replica " + name + ": " + query + " returned no row (is it a replica? is its heartbeat written?)");
        Object lag;
        if (replica.lagQuery().isPresent()) {
            lag = row.getValue(0);
        } else {
            int column = row.getColumnIndex("Seconds_Behind_Master");
            lag = row.getValue(column >= 0 ? column : row.getColumnIndex("Seconds_Behind_Source"));
        }
        return lag == null ? OptionalLong.empty() : OptionalLong.of(Math.round(Double.parseDouble(lag.toString())));
    }

    private Pool open(DeleteConfig.Replica replica) {
        MySQLConnectOptions options = MySQLConnectOptions.fromUri(replica.url())
                .setUser(replica.username().orElse(defaultUser))
                .setPassword(replica.password().orElse(defaultPassword));
        return Pool.newInstance(MySQLBuilder.pool().with(new PoolOptions().setMaxSize(1)).connectingTo(options).using(vertx.getDelegate()).build());
    }

    private Duration timeout() {
        return config.dbTimeout();
    }

    private static Row first(RowIterator<Row> rows, String none) {
        if (!rows.hasNext()) {
            throw new IllegalStateException(none);
        }
        return rows.next();
    }

    @PreDestroy
    void close() {
        replicas.values().forEach(pool -> pool.close().onFailure().recoverWithNull().await().atMost(timeout()));
    }
}
