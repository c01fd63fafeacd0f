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

/** One test class's real MySQL server with a seeded {@code run} table, and a Vert.x pool on it (the services' client). */
final class TestDatabase implements AutoCloseable {

    static final Duration TIMEOUT = Duration.ofSeconds(30);

    final MySqlServer mysql;
    final Vertx vertx;
    final Pool pool;

    private TestDatabase(MySqlServer mysql, Vertx vertx, Pool pool) {
        this.mysql = mysql;
        this.vertx = vertx;
        this.pool = pool;
    }

    /** Database {@code name} (in {@code target/<name>}) with {@code rows} rows of {@code run}, {@code eligibleShare} of them old. */
    static TestDatabase start(String name, long rows, double eligibleShare, int poolSize) {
        Path workDir = Path.of("target", name).toAbsolutePath();
        LocalStack.deleteRecursively(workDir);
        MySqlServer mysql = new MySqlServer(StackLayout.locate(workDir), workDir.resolve("mysql"), name.replace('-', '_')).start(rows,
                eligibleShare);
        Vertx vertx = Vertx.vertx();
        Pool pool = MySQLPool.pool(vertx, MySQLConnectOptions.fromUri(mysql.reactiveUrl()).setUser(mysql.user()).setPassword(mysql.password()),
                new PoolOptions().setMaxSize(poolSize));
        return new TestDatabase(mysql, vertx, pool);
    }

    /** Database {@code name} with {@code runRows} rows of {@code run}, half of them old, and a pool of 3. */
    static TestDatabase start(String name, long runRows) {
        return start(name, runRows, 0.5, 3);
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
