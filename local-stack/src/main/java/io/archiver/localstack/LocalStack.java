package io.archiver.localstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import io.archiver.localstack.kafka.KafkaBroker;
import io.archiver.localstack.mysql.MySqlServer;
import io.archiver.localstack.process.StackLayout;
import io.archiver.localstack.s3.S3Server;

/**
 * The real servers Archiver runs against, without Docker: Kafka (KRaft), S3Proxy and MySQL, each
 * in its own process on free loopback ports. {@link #quarkusConfig()} gives the services'
 * configuration for them, {@link #environment()} the same as environment variables.
 */
public final class LocalStack implements AutoCloseable {

    /** The servers a stack can hold. */
    public enum Server {
        KAFKA, S3, MYSQL
    }

    public static final String BUCKET = "archiver-local";

    private static LocalStack forTests;

    private final StackLayout layout;
    private final String database;
    private KafkaBroker kafka;
    private S3Server s3;
    private MySqlServer mysql;
    private int topicPartitions = DEFAULT_TOPIC_PARTITIONS;

    /** Partitions of each topic the local broker creates: as many instances of a service as this get work. */
    public static final int DEFAULT_TOPIC_PARTITIONS = 4;

    public LocalStack(StackLayout layout, String database) {
        this.layout = layout;
        this.database = database;
    }

    /** Before {@link #ensure} starts Kafka: each topic gets {@code partitions} (at least the instances a service will run). */
    public synchronized LocalStack topicPartitions(int partitions) {
        if (kafka != null) {
            throw new IllegalStateException("Kafka is already started with " + topicPartitions + " partitions a topic");
        }
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be >= 1: " + partitions);
        }
        this.topicPartitions = partitions;
        return this;
    }

    public int topicPartitions() {
        return topicPartitions;
    }

    /**
     * The stack of this test JVM, started once, in {@code target/local-stack} of the module under
     * test, with a database named after the module; stopped when the JVM exits.
     */
    public static synchronized LocalStack forTests() {
        if (forTests == null) {
            Path cwd = Path.of("").toAbsolutePath();
            Path workDir = cwd.resolve("target").resolve("local-stack");
            deleteRecursively(workDir);
            forTests = new LocalStack(StackLayout.locate(workDir), testDatabase(cwd));
            Runtime.getRuntime().addShutdownHook(new Thread(forTests::close, "local-stack-shutdown"));
        }
        return forTests;
    }

    /**
     * The database of {@link #forTests()}: {@code archiver_} and the module folder's name (not the clone's), lower case, each
     * character other than a-z and 0-9 as {@code _}, at most 32 characters, as MySQL allows for the user named after it.
     */
    static String testDatabase(Path moduleDir) {
        String database = "archiver_" + moduleDir.getFileName().toString().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "_");
        return database.substring(0, Math.min(32, database.length()));
    }

    /** Starts the servers of {@code servers} that are not running yet. */
    public synchronized LocalStack ensure(Set<Server> servers) {
        if (servers.contains(Server.KAFKA) && kafka == null) {
            kafka = new KafkaBroker(layout, layout.workDir().resolve("kafka"), 0, topicPartitions).start();
        }
        if (servers.contains(Server.S3) && s3 == null) {
            s3 = new S3Server(layout, layout.workDir().resolve("s3"), 0).createBucket(BUCKET).start();
        }
        if (servers.contains(Server.MYSQL) && mysql == null) {
            mysql = new MySqlServer(layout, layout.workDir().resolve("mysql"), database).start(0, 0);
        }
        return this;
    }

    /** Starts MySQL with {@code rows} generated rows in {@code run}, {@code eligibleShare} of them old enough to archive. */
    public synchronized MySqlServer seedMySql(long rows, double eligibleShare) {
        if (mysql != null) {
            throw new IllegalStateException("MySQL is already started");
        }
        mysql = new MySqlServer(layout, layout.workDir().resolve("mysql"), database).start(rows, eligibleShare);
        return mysql;
    }

    public LocalStack startAll() {
        return ensure(EnumSet.allOf(Server.class));
    }

    public Path workDir() {
        return layout.workDir();
    }

    public KafkaBroker kafka() {
        return require(kafka, Server.KAFKA);
    }

    public S3Server s3() {
        return require(s3, Server.S3);
    }

    public MySqlServer mysql() {
        return require(mysql, Server.MYSQL);
    }

    private static <T> T require(T server, Server which) {
        if (server == null) {
            throw new IllegalStateException(which + " is not part of this stack: ensure(" + which + ") first");
        }
        return server;
    }

    /** The Quarkus configuration of the services for the running servers. */
    public synchronized Map<String, String> quarkusConfig() {
        Map<String, String> config = new LinkedHashMap<>();
        if (kafka != null) {
            config.put("kafka.bootstrap.servers", kafka.bootstrapServers());
        }
        if (mysql != null) {
            config.put("quarkus.datasource.reactive.url", mysql.reactiveUrl());
            config.put("quarkus.datasource.jdbc.url", mysql.jdbcUrl());
            config.put("quarkus.datasource.username", mysql.user());
            config.put("quarkus.datasource.password", mysql.password());
        }
        if (s3 != null) {
            config.put("quarkus.s3.endpoint-override", s3.endpoint());
            config.put("quarkus.s3.path-style-access", "true");
            config.put("quarkus.s3.aws.region", S3Server.REGION);
            config.put("quarkus.s3.aws.credentials.type", "static");
            config.put("quarkus.s3.aws.credentials.static-provider.access-key-id", s3.accessKey());
            config.put("quarkus.s3.aws.credentials.static-provider.secret-access-key", s3.secretKey());
            config.put("archiver.s3.bucket", BUCKET);
        }
        return config;
    }

    /** {@link #quarkusConfig()} as environment variables, by Quarkus's naming rule. */
    public Map<String, String> environment() {
        Map<String, String> env = new LinkedHashMap<>();
        quarkusConfig().forEach((key, value) -> env.put(toEnvName(key), value));
        return env;
    }

    /** {@code quarkus.s3.aws.region} becomes {@code QUARKUS_S3_AWS_REGION}. */
    public static String toEnvName(String key) {
        return key.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
    }

    @Override
    public synchronized void close() {
        Stream.of(kafka, s3, mysql).filter(s -> s != null).forEach(s -> {
            try {
                ((AutoCloseable) s).close();
            } catch (Exception e) {
                // best effort on the way out
            }
        });
    }

    public static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot clear " + dir, e);
        }
    }
}
