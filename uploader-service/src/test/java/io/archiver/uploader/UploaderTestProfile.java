package io.archiver.uploader;

import java.net.URI;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.archiver.localstack.LocalStack;
import io.archiver.localstack.faults.CorruptingS3Proxy;
import io.archiver.support.testing.InMemoryChannels;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * The uploader's fast tests: its channels in memory, the real MariaDB of the local stack (its policies), the real S3 server
 * of the local stack, reached through the local
 * stack's fault-injecting forwarder ({@link CorruptingS3Proxy}: passes everything unchanged until a test asks it to fail
 * requests, corrupt reads or hide the server's checksums; it counts the GETs of each key).
 */
public class UploaderTestProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("archiver.retry.max-attempts", "3", "archiver.retry.initial-backoff", "PT0.1S",
                "archiver.retry.max-backoff", "PT0.2S");
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(ProxiedS3.class),
                new TestResourceEntry(InMemoryChannels.class, Map.of("incoming", "shards", "outgoing", "uploads-out,completions-out")));
    }

    /** The local stack's S3 server behind a {@link CorruptingS3Proxy}. */
    public static class ProxiedS3 implements QuarkusTestResourceLifecycleManager {

        private static CorruptingS3Proxy proxy;

        public static CorruptingS3Proxy proxy() {
            return proxy;
        }

        @Override
        public synchronized Map<String, String> start() {
            LocalStack stack = LocalStack.forTests().ensure(EnumSet.of(LocalStack.Server.S3, LocalStack.Server.MYSQL));
            createLedger(stack);
            if (proxy == null) {
                URI s3 = URI.create(stack.s3().endpoint());
                proxy = new CorruptingS3Proxy(s3.getHost(), s3.getPort()).start();
            }
            Map<String, String> config = new HashMap<>(stack.quarkusConfig());
            config.put("quarkus.s3.endpoint-override", proxy.endpoint());
            return config;
        }

        /** The control database's tables (and in them the run policy) the uploader reads its policies from. */
        private static void createLedger(LocalStack stack) {
            io.vertx.mutiny.core.Vertx vertx = io.vertx.mutiny.core.Vertx.vertx();
            try {
                io.vertx.mutiny.sqlclient.Pool pool = io.vertx.mutiny.mysqlclient.MySQLPool.pool(vertx,
                        io.vertx.mysqlclient.MySQLConnectOptions.fromUri(stack.mysql().reactiveUrl()).setUser(stack.mysql().user())
                                .setPassword(stack.mysql().password()), new io.vertx.sqlclient.PoolOptions().setMaxSize(1));
                new io.archiver.support.testing.TestLedger(pool).create();
                pool.close().await().indefinitely();
            } finally {
                vertx.close().await().indefinitely();
            }
        }

        @Override
        public void stop() {
            // the proxy, like the servers, lives as long as the test JVM
        }
    }
}
