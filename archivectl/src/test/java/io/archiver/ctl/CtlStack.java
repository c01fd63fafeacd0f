package io.archiver.ctl;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import io.archiver.ctl.Cli.Result;
import io.archiver.localstack.LocalStack;
import io.archiver.localstack.mysql.MySqlServer;
import io.archiver.localstack.process.StackLayout;
import io.archiver.localstack.services.ArchiverService;
import io.archiver.localstack.services.ServiceFleet;

/**
 * The world of the archivectl tests, started once per test JVM and shared by every test class:
 * Kafka, the S3 server, MySQL with {@code run} seeded, the four services as prod-mode jars, and a
 * first real run, triggered by the packaged jar as a CronJob would ({@code trigger --wait}) and
 * awaited before any test runs, so that runs never overlap (the scanner rejects a second run of a
 * policy while one is in flight).
 */
final class CtlStack {

    static final long ROWS = 12_000;
    static final double ELIGIBLE = 0.6;
    static final int BATCH_SIZE = 2_500;

    private static CtlStack instance;

    final Path workDir;
    final LocalStack stack;
    final MySqlServer mysql;
    final ServiceFleet fleet;
    /** The first run, triggered through the runner jar: its id and what the jar printed. */
    final String archivedRunId;
    final Result archivedRun;

    private CtlStack() {
        workDir = Path.of("target", "archivectl-it").toAbsolutePath();
        LocalStack.deleteRecursively(workDir);
        stack = new LocalStack(StackLayout.locate(workDir), "archiver_ctl_it");
        try {
            stack.ensure(EnumSet.of(LocalStack.Server.KAFKA, LocalStack.Server.S3));
            mysql = stack.seedMySql(ROWS, ELIGIBLE);
            // the safety rails would hold the first run of `run` for confirmation: these tests follow runs, not the rails
            Map<String, String> batchSize = Map.of("ARCHIVER_POLICIES_RUN_BATCH_SIZE", String.valueOf(BATCH_SIZE),
                    "ARCHIVER_POLICIES_RUN_CONFIRM_FIRST_RUN", "false");
            Map<ArchiverService, Map<String, String>> overrides = new HashMap<>();
            for (ArchiverService service : ArchiverService.values()) {
                overrides.put(service, batchSize);
            }
            fleet = ServiceFleet.start(stack, repositoryRoot(), workDir, overrides, Duration.ofMinutes(3));
            // the policies live in the control database: these settings are applied there, and taken up by every service
            io.archiver.policy.TestPolicies.awaitSeen(fleet.all(),
                    io.archiver.policy.TestPolicies.apply(mysql.jdbcUrl(), mysql.user(), mysql.password(), batchSize), Duration.ofMinutes(1));
            archivedRun = runJar(env(), "trigger", "--wait", "PT3M", "--requested-by", "archivectl-it");
            if (archivedRun.exitCode() != 0) {
                throw new IllegalStateException("the first run through the runner jar failed:\n" + archivedRun);
            }
            archivedRunId = archivedRun.out().lines().findFirst().orElseThrow();
        } catch (RuntimeException e) {
            stack.close();
            throw e;
        }
    }

    static synchronized CtlStack get() {
        if (instance == null) {
            instance = new CtlStack();
            Runtime.getRuntime().addShutdownHook(new Thread(instance::close, "archivectl-it-stack"));
        }
        return instance;
    }

    static Path repositoryRoot() {
        String root = System.getProperty("archiver.repository.root");
        return root != null ? Path.of(root) : Path.of("..").toAbsolutePath().normalize();
    }

    static Path runnerJar() {
        String jar = System.getProperty("archivectl.runner.jar");
        Path path = jar != null ? Path.of(jar) : Path.of("target", "archivectl-0.1.0-SNAPSHOT-runner.jar").toAbsolutePath();
        if (!Files.isRegularFile(path)) {
            throw new IllegalStateException(path + " is missing: run `mvn -pl archivectl package` first");
        }
        return path;
    }

    String bootstrapServers() {
        return stack.kafka().bootstrapServers();
    }

    /** The connection settings as the environment variables archivectl reads. */
    Map<String, String> env() {
        return Map.of("KAFKA_BOOTSTRAP_SERVERS", bootstrapServers(), "ARCHIVER_DB_URL", mysql.jdbcUrl(), "ARCHIVER_DB_USER", mysql.user(),
                "ARCHIVER_DB_PASSWORD", mysql.password());
    }

    /** archivectl in this JVM with {@link #env()}. */
    Result ctl(String... args) {
        return transcript(Cli.run(env(), args), "archivectl", args);
    }

    /** Every invocation and what it printed, in target/archivectl-it/transcript.txt, to read after a run. */
    private synchronized Result transcript(Result result, String how, String... args) {
        try {
            Files.writeString(workDir.resolve("transcript.txt"), "$ " + how + " " + String.join(" ", args) + "\n" + result + "\n",
                    StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        } catch (IOException e) {
            // a transcript is a convenience
        }
        return result;
    }

    /** The runner jar as a process, with exactly {@code env} as its connection environment. */
    Result runJar(Map<String, String> env, String... args) {
        List<String> command = new ArrayList<>(List.of(StackLayout.java(), "-Xmx256m", "-jar", runnerJar().toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile());
        builder.environment().keySet().removeIf(k -> k.startsWith("KAFKA_") || k.startsWith("ARCHIVER_DB_"));
        builder.environment().putAll(env);
        try {
            Path out = Files.createTempFile(workDir, "ctl-out", ".txt");
            Path err = Files.createTempFile(workDir, "ctl-err", ".txt");
            builder.redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
            Process process = builder.start();
            if (!process.waitFor(5, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new IllegalStateException("archivectl " + String.join(" ", args) + " did not end within 5 minutes");
            }
            return transcript(new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8)), "java -jar archivectl-runner.jar", args);
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    Admin admin() {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        return Admin.create(props);
    }

    KafkaProducer<byte[], byte[]> producer() {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return new KafkaProducer<>(props);
    }

    KafkaConsumer<byte[], byte[]> consumer(String group) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        if (group != null) {
            props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        }
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        return new KafkaConsumer<>(props);
    }

    /** Every record of {@code topic} so far. */
    List<ConsumerRecord<byte[], byte[]>> records(String topic) {
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        readAll(topic, records::add);
        return records;
    }

    void readAll(String topic, Consumer<ConsumerRecord<byte[], byte[]>> sink) {
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(null)) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream().map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("could not read " + topic + " to its end");
                }
                consumer.poll(Duration.ofMillis(200)).forEach(sink);
            }
        }
    }

    /** The sum of the end offsets of {@code topic}: grows by one with every record published. */
    long endOffsets(String topic) {
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(null)) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream().map(p -> new TopicPartition(topic, p.partition())).toList();
            return consumer.endOffsets(partitions).values().stream().mapToLong(Long::longValue).sum();
        }
    }

    void close() {
        try {
            fleet.close();
        } finally {
            stack.close();
        }
    }
}
