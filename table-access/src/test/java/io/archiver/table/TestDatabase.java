package io.archiver.table;

import java.nio.file.Path;
import java.time.Duration;

import io.archiver.localstack.LocalStack;
import io.archiver.localstack.mysql.MySqlServer;
import io.archiver.localstack.process.StackLayout;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.mysqlclient.MySQLPool;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mysqlclient.MySQLConnectOptions;
import io.vertx.sqlclient.PoolOptions;

/** A test class's own database on the local stack's MySQL server, seeded with {@code run} rows, and a Vert.x pool of 3 on it. */
final class TestDatabase implements AutoCloseable {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final MySqlServer mysql;
    private final Vertx vertx;
    final Pool pool;

    private TestDatabase(MySqlServer mysql, Vertx vertx, Pool pool) {
        this.mysql = mysql;
        this.vertx = vertx;
        this.pool = pool;
    }

    /** Database {@code archiver_<name>} (working files under {@code target/<name>}) with {@code runRows} rows in {@code run}, half eligible. */
    static TestDatabase start(String name, long runRows) {
        Path workDir = Path.of("target", name.replace('_', '-')).toAbsolutePath();
        LocalStack.deleteRecursively(workDir);
        MySqlServer mysql = new MySqlServer(StackLayout.locate(workDir), workDir.resolve("mysql"), "archiver_" + name).start(runRows, 0.5);
        Vertx vertx = Vertx.vertx();
        Pool pool = MySQLPool.pool(vertx, MySQLConnectOptions.fromUri(mysql.reactiveUrl()).setUser(mysql.user()).setPassword(mysql.password()),
                new PoolOptions().setMaxSize(3));
        return new TestDatabase(mysql, vertx, pool);
    }

    @Override
    public void close() {
        try {
            pool.close().await().atMost(TIMEOUT);
            vertx.close().await().atMost(TIMEOUT);
        } finally {
            mysql.close();
        }
    }
}
