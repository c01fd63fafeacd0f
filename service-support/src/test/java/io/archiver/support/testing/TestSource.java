package io.archiver.support.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.List;

import io.archiver.ledger.SourceProgress;
import io.archiver.localstack.LocalStack;
import io.archiver.localstack.mysql.MySqlProvisioner;
import io.archiver.localstack.mysql.MySqlServer;
import io.archiver.policy.PolicyFile;
import io.archiver.policy.PolicyStore;
import io.archiver.policy.SourceFile;
import io.archiver.policy.SourceStore;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mysqlclient.MySQLBuilder;
import io.vertx.mysqlclient.MySQLConnectOptions;

/**
 * A source database beside the test's control database, on the same MariaDB server: its own database and user, {@code run}
 * and {@code run_archive} made like the control's, the deleter's progress table created as the scanner creates it, applied as
 * source {@code name} (its password in a file, as a mounted Secret gives it) with one policy of table {@code run} in it. The
 * control database's ledger must exist first (its policy and source tables).
 */
public final class TestSource implements AutoCloseable {

    private static final Duration WAIT = Duration.ofSeconds(30);

    public final String name;
    public final String policy;
    public final Pool pool;
    public final RunTable table;
    private final Vertx vertx;

    private TestSource(String name, String policy, Vertx vertx, Pool pool) {
        this.name = name;
        this.policy = policy;
        this.vertx = vertx;
        this.pool = pool;
        this.table = new RunTable(pool);
    }

    public static TestSource create(String name, String policy) throws Exception {
        MySqlServer mysql = LocalStack.forTests().mysql();
        String suffix = System.getenv("ARCHIVER_MYSQL_DB_SUFFIX");
        String database = MySqlServer.namespaced(name.replace('-', '_') + "_src", suffix);
        String user = MySqlServer.namespaced(name.replace('-', '_') + "_src_u", suffix);
        String password = "src-" + Long.toHexString(System.nanoTime()) + "-Pw";
        MySqlProvisioner.provision(mysql.host(), mysql.port(), database, user, password);
        MySqlProvisioner.asAdmin(mysql.host(), mysql.port(), "create the source's tables", List.of(
                "DROP TABLE IF EXISTS `" + database + "`.run", "DROP TABLE IF EXISTS `" + database + "`.run_archive",
                "DROP TABLE IF EXISTS `" + database + "`." + SourceProgress.TABLE,
                "CREATE TABLE `" + database + "`.run LIKE `" + mysql.database() + "`.run",
                "CREATE TABLE `" + database + "`.run_archive LIKE `" + mysql.database() + "`.run_archive"));
        Path passwordFile = Files.createTempFile(name, ".pw");
        Files.writeString(passwordFile, password + "\n");
        passwordFile.toFile().deleteOnExit();
        try (Connection control = DriverManager.getConnection(mysql.jdbcUrl(), mysql.user(), mysql.password())) {
            new SourceStore(control).apply(SourceFile.parse("test", """
                    sources:
                      %s: {host: %s, port: %d, database: %s, user: %s, tls: DISABLED, password-file: %s}
                    """.formatted(name, mysql.host(), mysql.port(), database, user, passwordFile), variable -> null), "test");
            new PolicyStore(control).apply(PolicyFile.parse("test", """
                    policies:
                      %s: {table: run, source: %s, confirm-first-run: false}
                    """.formatted(policy, name)), "test");
        }
        Vertx vertx = Vertx.vertx();
        Pool pool = Pool.newInstance(MySQLBuilder.pool().connectingTo(new MySQLConnectOptions().setHost(mysql.host()).setPort(mysql.port())
                .setDatabase(database).setUser(user).setPassword(password)).using(vertx.getDelegate()).build());
        SourceProgress.ensure(pool, WAIT); // as the scanner does before it plans a run of the source's policy
        return new TestSource(name, policy, vertx, pool);
    }

    @Override
    public void close() {
        pool.closeAndAwait();
        vertx.closeAndAwait();
    }
}
