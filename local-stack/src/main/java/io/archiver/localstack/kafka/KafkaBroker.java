package io.archiver.localstack.kafka;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import io.archiver.localstack.process.ChildProcess;
import io.archiver.localstack.process.FreePorts;
import io.archiver.localstack.process.StackLayout;

/**
 * An Apache Kafka broker in KRaft mode (combined broker and controller, one node) in a JVM of its
 * own, with the flow's topics created. It keeps its ports and data across {@link #kill()} and
 * {@link #start()}, as a restarted broker does.
 */
public final class KafkaBroker implements AutoCloseable {

    private final StackLayout layout;
    private final Path dir;
    private final int port;
    private final int controllerPort;
    private final int partitions;
    private ChildProcess process;

    public KafkaBroker(StackLayout layout, Path dir, int port, int partitions) {
        this.layout = layout;
        this.dir = dir;
        this.port = port > 0 ? port : FreePorts.next();
        this.controllerPort = FreePorts.next();
        this.partitions = partitions;
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    public synchronized KafkaBroker start() {
        if (process != null && process.isAlive()) {
            return this;
        }
        Path properties = writeProperties();
        if (!Files.exists(dir.resolve("data").resolve("meta.properties"))) {
            ChildProcess format = ChildProcess.start("kafka-format",
                    List.of(StackLayout.java(), "-Xmx256m", "-cp", layout.classpath(), "kafka.tools.StorageTool", "format",
                            "--ignore-formatted", "-t", clusterId(), "-c", properties.toString()),
                    dir, dir.resolve("kafka.log"), Map.of());
            int code = format.awaitExit(Duration.ofSeconds(120));
            if (code != 0) {
                throw new IllegalStateException("formatting Kafka storage failed with code " + code + ":\n" + format.tail());
            }
        }
        process = ChildProcess.start("kafka",
                List.of(StackLayout.java(), "-Xms128m", "-Xmx640m", "-XX:+UseSerialGC", StackLayout.SERVER_JIT_OPTION, "-cp", layout.classpath(),
                        KafkaNodeMain.class.getName(), properties.toString(), bootstrapServers(), String.valueOf(partitions)),
                dir, dir.resolve("kafka.log"), Map.of());
        process.awaitReady(Duration.ofSeconds(180));
        return this;
    }

    private Path writeProperties() {
        try {
            Files.createDirectories(dir.resolve("data"));
            Path file = dir.resolve("server.properties");
            String text = String.join("\n",
                    "process.roles=broker,controller",
                    "node.id=1",
                    "controller.quorum.voters=1@127.0.0.1:" + controllerPort,
                    "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort,
                    "advertised.listeners=PLAINTEXT://127.0.0.1:" + port,
                    "controller.listener.names=CONTROLLER",
                    "inter.broker.listener.name=PLAINTEXT",
                    "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                    "log.dirs=" + dir.resolve("data"),
                    "num.partitions=" + partitions,
                    "auto.create.topics.enable=false",
                    // one broker: every internal topic with one replica, else consumer groups never get offsets
                    "offsets.topic.replication.factor=1",
                    "offsets.topic.num.partitions=4",
                    "transaction.state.log.replication.factor=1",
                    "transaction.state.log.min.isr=1",
                    "transaction.state.log.num.partitions=4",
                    "share.coordinator.state.topic.replication.factor=1",
                    "share.coordinator.state.topic.min.isr=1",
                    "group.initial.rebalance.delay.ms=0",
                    // Idle work: the broker's CPU per archived row follows a run's wall time (docs/performance.md). The KRaft
                    // controller appends a no-op record every 500 ms by default, to show a multi-node quorum's brokers that it
                    // is alive; one node has no one to show. One network thread and two request handlers serve a stack's
                    // few clients (defaults 3 and 8, each waking every 300 ms).
                    "metadata.max.idle.interval.ms=5000",
                    "num.network.threads=1",
                    "num.io.threads=2",
                    "");
            Files.writeString(file, text);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the Kafka configuration in " + dir, e);
        }
    }

    /** Kills the broker with SIGKILL, as a crash would. */
    public synchronized void kill() {
        if (process != null) {
            process.kill();
        }
    }

    public synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    /**
     * A random cluster id in Kafka's form (URL-safe base64 of 16 bytes). It never starts with a dash: the storage
     * tool's argument parser would read such an id as an option and refuse to format (one CI run in 64 failed so).
     */
    static String clusterId() {
        SecureRandom random = new SecureRandom();
        byte[] bytes = new byte[16];
        String id;
        do {
            random.nextBytes(bytes);
            id = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        } while (id.startsWith("-"));
        return id;
    }

    @Override
    public void close() {
        kill();
    }
}
