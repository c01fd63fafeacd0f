package io.archiver.localstack.kafka;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;

import io.archiver.events.Topics;
import io.archiver.localstack.process.ChildProcess;

/**
 * Runs in the broker's own JVM: starts a combined broker and controller ({@code kafka.Kafka}),
 * creates the topics of the flow and their dead-letter topics, then prints the ready line.
 * Arguments: {@code server.properties bootstrap partitions}.
 */
public final class KafkaNodeMain {

    private KafkaNodeMain() {
    }

    public static void main(String[] args) throws Exception {
        String properties = args[0];
        String bootstrap = args[1];
        int partitions = Integer.parseInt(args[2]);
        Thread broker = new Thread(() -> kafka.Kafka.main(new String[] { properties }), "kafka-main");
        broker.start();
        createTopics(bootstrap, partitions);
        System.out.println(ChildProcess.READY_MARKER + " bootstrap=" + bootstrap);
        broker.join();
    }

    static void createTopics(String bootstrap, int partitions) throws InterruptedException {
        List<NewTopic> topics = new ArrayList<>();
        for (String topic : Topics.ALL) {
            topics.add(new NewTopic(topic, partitions, (short) 1));
        }
        for (String topic : Topics.CONSUMED) {
            topics.add(new NewTopic(Topics.dlq(topic), partitions, (short) 1));
        }
        Properties config = new Properties();
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000);
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10000);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (true) {
            try (Admin admin = Admin.create(config)) {
                Set<String> existing = admin.listTopics().names().get(10, TimeUnit.SECONDS);
                List<NewTopic> missing = topics.stream().filter(t -> !existing.contains(t.name())).toList();
                if (!missing.isEmpty()) {
                    admin.createTopics(missing).all().get(30, TimeUnit.SECONDS);
                }
                // Wait until every partition has a leader, so that the first produce does not race the election.
                Map<String, ?> described = admin.describeTopics(topics.stream().map(NewTopic::name).toList())
                        .allTopicNames().get(10, TimeUnit.SECONDS);
                boolean led = described.values().stream()
                        .map(d -> (org.apache.kafka.clients.admin.TopicDescription) d)
                        .allMatch(d -> d.partitions().stream().allMatch(p -> p.leader() != null && !p.leader().isEmpty()));
                if (led) {
                    return;
                }
            } catch (ExecutionException | java.util.concurrent.TimeoutException | RuntimeException e) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("could not create the topics on " + bootstrap, e);
                }
            }
            Thread.sleep(250);
        }
    }
}
