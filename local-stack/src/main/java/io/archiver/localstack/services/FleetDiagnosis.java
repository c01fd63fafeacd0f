package io.archiver.localstack.services;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * What a stalled run leaves to read: each instance's readiness and liveness answers (a channel that failed for good names
 * itself there), each consumer group's state, members with their partitions and, per partition, the committed offset
 * against the end (which stage holds a batch, which consumer has no partition), and the last lines of each instance's log.
 * Read-only; every question has a bound, and a failed question is a line of the answer.
 */
public final class FleetDiagnosis {

    private static final int MAX_BODY = 1200;
    private static final int MAX_LINE = 400;

    private FleetDiagnosis() {
    }

    /** The lines of the diagnosis of {@code processes} on the broker at {@code bootstrapServers}, {@code logLines} of each log. */
    public static List<String> of(Iterable<ServiceProcess> processes, String bootstrapServers, int logLines) {
        List<String> lines = new ArrayList<>();
        lines.add("services (health):");
        for (ServiceProcess process : processes) {
            lines.add("  " + process.name() + (process.isAlive() ? " (pid " + process.pid() + ")" : " (NOT RUNNING)") + ": ready " + health(process, "ready")
                    + "; live " + health(process, "live"));
        }
        lines.add("kafka consumer groups (committed/end offset per partition; * = records not yet committed):");
        lines.addAll(consumerGroups(bootstrapServers));
        for (ServiceProcess process : processes) {
            lines.add("last " + logLines + " lines of " + process.log() + ":");
            tail(process.log(), logLines).forEach(line -> lines.add("  " + cut(line, MAX_LINE)));
        }
        for (ServiceProcess process : processes) { // after the tails, which the dumps would push out
            if (process.isAlive()) {
                lines.add(process.name() + ": " + (process.threadDump(java.time.Duration.ofSeconds(5))
                        ? "thread dump appended to " + process.log() : "no thread dump (SIGQUIT not answered within 5 s)"));
            }
        }
        return lines;
    }

    private static String health(ServiceProcess process, String kind) {
        try {
            HttpResponse<String> answer = process.health(kind);
            return answer.statusCode() + " " + cut(answer.body().replaceAll("\\s+", " "), MAX_BODY);
        } catch (IOException | RuntimeException e) {
            return "no answer (" + e.getMessage() + ")";
        }
    }

    static List<String> consumerGroups(String bootstrapServers) {
        List<String> lines = new ArrayList<>();
        Properties config = new Properties();
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000);
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10000);
        config.put(AdminClientConfig.CLIENT_ID_CONFIG, "archiver-fleet-diagnosis");
        try (Admin admin = Admin.create(config)) {
            List<String> groups = admin.listGroups().all().get(10, TimeUnit.SECONDS).stream().map(GroupListing::groupId).sorted().toList();
            Map<String, ConsumerGroupDescription> described = admin.describeConsumerGroups(groups).all().get(10, TimeUnit.SECONDS);
            for (String group : groups) {
                ConsumerGroupDescription d = described.get(group);
                Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata()
                        .get(10, TimeUnit.SECONDS);
                lines.add("  " + group + ": " + d.groupState().name() + ", coordinator " + (d.coordinator() == null ? "none" : d.coordinator().idString()) + ", "
                        + d.members().size() + " member(s)");
                for (MemberDescription member : d.members()) {
                    lines.add("    " + member.clientId() + ": " + partitions(member.assignment().topicPartitions()));
                }
                List<TopicPartition> assigned = d.members().stream().flatMap(m -> m.assignment().topicPartitions().stream()).toList();
                List<TopicPartition> known = new ArrayList<>(assigned);
                committed.keySet().stream().filter(p -> !known.contains(p)).forEach(known::add);
                Map<TopicPartition, Long> end = ends(admin, known);
                String offsets = new TreeMap<String, String>(known.stream().collect(Collectors.toMap(TopicPartition::toString, p -> {
                    long at = committed.get(p) == null ? -1 : committed.get(p).offset();
                    long last = end.getOrDefault(p, -1L);
                    return (at < 0 ? "none" : String.valueOf(at)) + "/" + last + (at < last && last > 0 ? "*" : "");
                }))).toString();
                lines.add("    offsets " + offsets);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            lines.add("  interrupted");
        } catch (Exception e) {
            lines.add("  cannot describe them: " + e);
        }
        return lines;
    }

    private static Map<TopicPartition, Long> ends(Admin admin, Collection<TopicPartition> partitions) throws Exception {
        if (partitions.isEmpty()) {
            return Map.of();
        }
        Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> infos = admin
                .listOffsets(partitions.stream().collect(Collectors.toMap(Function.identity(), p -> OffsetSpec.latest()))).all()
                .get(10, TimeUnit.SECONDS);
        return infos.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
    }

    private static String partitions(Collection<TopicPartition> partitions) {
        return partitions.isEmpty() ? "NO PARTITIONS" : partitions.stream().map(TopicPartition::toString).sorted().collect(Collectors.joining(", "));
    }

    static List<String> tail(Path log, int lines) {
        try {
            List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
            return all.subList(Math.max(0, all.size() - lines), all.size());
        } catch (IOException | RuntimeException e) {
            return List.of("(cannot read " + log + ": " + e.getMessage() + ")");
        }
    }

    private static String cut(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max) + "...";
    }

    /** For callers that print it: the lines joined, each on its own line. */
    public static String text(List<String> lines) {
        return String.join(System.lineSeparator(), lines);
    }
}
