package io.archiver.support.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.archiver.localstack.mysql.MySqlProvisioner;
import io.archiver.localstack.mysql.MySqlServer;
import io.archiver.policy.ControlDatabase;
import io.archiver.policy.SourceFile;
import io.archiver.policy.SourceStore;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mysqlclient.MySQLBuilder;
import io.vertx.mysqlclient.MySQLConnectOptions;

/** One pool per source, from its row in the control database, on the real MariaDB; readiness names each source; no password shown. */
class SourcePoolsTest {

    private static final String PASSWORD = "p00ls-Source-pw";
    private static final Duration WAIT = Duration.ofSeconds(30);

    private static ControlDatabase db;
    private static Vertx vertx;
    private static Pool control;
    private static String shopDb;

    @BeforeAll
    static void start() throws SQLException {
        db = ControlDatabase.start("source-pools-test");
        String suffix = System.getenv("ARCHIVER_MYSQL_DB_SUFFIX");
        shopDb = MySqlServer.namespaced("pools_shop", suffix);
        String shopUser = MySqlServer.namespaced("pools_shop_u", suffix);
        MySqlProvisioner.provision(db.mysql.host(), db.mysql.port(), shopDb, shopUser, PASSWORD);
        Map<String, String> env = Map.of("SHOP_PW", PASSWORD, "WRONG_PW", "not-the-pw-77");
        try (Connection connection = db.connect()) {
            new SourceStore(connection).apply(SourceFile.parse("test", """
                    sources:
                      shop: {host: %1$s, port: %2$d, database: %3$s, user: %4$s, tls: DISABLED, password-env: SHOP_PW}
                      wrong: {host: %1$s, port: %2$d, database: %3$s, user: %4$s, tls: DISABLED, password-env: WRONG_PW}
                      closed: {host: %1$s, port: %2$d, database: %3$s, user: %4$s, tls: DISABLED, password-env: SHOP_PW, enabled: false}
                    """.formatted(db.mysql.host(), db.mysql.port(), shopDb, shopUser), env::get), "test");
        }
        vertx = Vertx.vertx();
        control = Pool.newInstance(MySQLBuilder.pool().connectingTo(new MySQLConnectOptions().setHost(db.mysql.host())
                .setPort(db.mysql.port()).setDatabase(db.mysql.database()).setUser(db.mysql.user()).setPassword(db.mysql.password()))
                .using(vertx.getDelegate()).build());
    }

    @AfterAll
    static void stop() {
        if (control != null) {
            control.closeAndAwait();
        }
        if (vertx != null) {
            vertx.closeAndAwait();
        }
        if (db != null) {
            db.close();
        }
    }

    private static SourcePools pools() {
        Map<String, String> env = Map.of("SHOP_PW", PASSWORD, "WRONG_PW", "not-the-pw-77");
        return new SourcePools(control, vertx, Duration.ofSeconds(10), env::get);
    }

    @Test
    void aSourcesPoolReachesItsOwnDatabaseAndTheControlsPoolIsTheServicesOwn() {
        SourcePools pools = pools();
        Pool shop = pools.pool("shop").await().atMost(WAIT);
        assertThat(shop.query("SELECT DATABASE()").execute().await().atMost(WAIT).iterator().next().getString(0)).isEqualTo(shopDb);
        assertThat(pools.pool("shop").await().atMost(WAIT)).as("one pool per source, kept while it is unchanged").isSameAs(shop);
        assertThat(pools.pool("control").await().atMost(WAIT)).isSameAs(control);
        pools.close();
    }

    @Test
    void aDisabledOrUnknownSourceIsRefusedByNameAndNothingIsRead() {
        SourcePools pools = pools();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> pools.pool("closed").await().atMost(WAIT))
                .isInstanceOfSatisfying(io.archiver.support.policy.PolicyViolation.class, e -> {
                    assertThat(e.reason()).isEqualTo("SOURCE_NOT_SERVED");
                    assertThat(e.getMessage()).contains("source 'closed' is disabled").contains("archivectl source enable closed");
                });
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> pools.pool("nosuch").await().atMost(WAIT))
                .isInstanceOfSatisfying(io.archiver.support.policy.PolicyViolation.class,
                        e -> assertThat(e.reason()).isEqualTo("SOURCE_NOT_SERVED"));
        pools.close();
    }

    @Test
    void readinessNamesEachSourceAndIsDownWhileOneDoesNotAnswerWithoutShowingItsPassword() {
        SourcePools pools = pools();
        Map<String, String> health = pools.health(List.of("shop", "wrong", "nosuch")).await().atMost(WAIT);
        assertThat(health).containsEntry("control", "UP").containsEntry("shop", "UP").containsKeys("wrong", "nosuch");
        assertThat(health.get("wrong")).startsWith("DOWN: ").contains("Access denied").doesNotContain("not-the-pw-77");
        assertThat(health.get("nosuch")).isEqualTo("DOWN: SOURCE_NOT_SERVED: no source named 'nosuch' in archive_source; apply it with archivectl source apply -f sources.yaml");

        HealthCheckResponse down = SourcesReadiness.response(health);
        assertThat(down.getStatus()).isEqualTo(HealthCheckResponse.Status.DOWN);
        assertThat(down.getData().orElseThrow()).containsEntry("shop", "UP");
        HealthCheckResponse up = SourcesReadiness.response(pools.health(List.of("shop")).await().atMost(WAIT));
        assertThat(up.getStatus()).isEqualTo(HealthCheckResponse.Status.UP);
        assertThat(up.getData().orElseThrow()).containsOnlyKeys("control", "shop");
        pools.close();
    }
}
