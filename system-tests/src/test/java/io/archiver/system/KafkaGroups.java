package io.archiver.system;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupListing;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/** The services' consumer groups, seen through the Kafka admin API: their lag, and a reset to offset 0 (a full replay). */
final class KafkaGroups implements AutoCloseable {

    private final Admin admin;

    KafkaGroups(String bootstrapServers) {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        this.admin = Admin.create(props);
    }

    List<String> archiverGroups() throws Exception {
        return admin.listConsumerGroups().all().get(30, TimeUnit.SECONDS).stream().map(ConsumerGroupListing::groupId)
                .filter(g -> g.startsWith("archiver-")).sorted().toList();
    }

    /** Records not yet consumed by each group, summed over its partitions. */
    Map<String, Long> lag() throws Exception {
        Map<String, Long> lag = new HashMap<>();
        for (String group : archiverGroups()) {
            lag.put(group, positions(group).values().stream().mapToLong(p -> Math.max(0, p[1] - p[0])).sum());
        }
        return lag;
    }

    /** Each partition of a group: {committed offset (0 when none), end offset}. */
    private Map<TopicPartition, long[]> positions(String group) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata()
                .get(30, TimeUnit.SECONDS);
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        committed.keySet().forEach(tp -> latest.put(tp, OffsetSpec.latest()));
        var ends = admin.listOffsets(latest).all().get(30, TimeUnit.SECONDS);
        Map<TopicPartition, long[]> positions = new HashMap<>();
        committed.forEach((tp, offset) -> positions.put(tp, new long[] { offset == null ? 0 : offset.offset(), ends.get(tp).offset() }));
        return positions;
    }

    /** Every partition that a group has not consumed to its end: "group topic-partition committed/end", for a failure message. */
    String behind() throws Exception {
        StringBuilder text = new StringBuilder();
        for (String group : archiverGroups()) {
            int members = members(group).size();
            for (var entry : positions(group).entrySet()) {
                long[] p = entry.getValue();
                if (p[0] < p[1]) {
                    text.append(group).append(" (").append(members).append(" members) ").append(entry.getKey()).append(' ')
                            .append(p[0]).append('/').append(p[1]).append('\n');
                }
            }
        }
        return text.toString();
    }

    /** Sets every committed offset of every Archiver group to 0; the groups must have no members (services stopped). */
    void resetAllToZero() throws Exception {
        for (String group : archiverGroups()) {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata()
                    .get(30, TimeUnit.SECONDS);
            Map<TopicPartition, OffsetAndMetadata> zero = new HashMap<>();
            committed.keySet().forEach(tp -> zero.put(tp, new OffsetAndMetadata(0)));
            admin.alterConsumerGroupOffsets(group, zero).all().get(30, TimeUnit.SECONDS);
        }
    }

    /** The partitions of {@code topic} assigned to each member of a group, by the member's client id. */
    Map<String, Integer> partitionsByMember(String group, String topic) throws Exception {
        Map<String, Integer> partitions = new HashMap<>();
        for (MemberDescription member : members(group)) {
            int assigned = (int) member.assignment().topicPartitions().stream().filter(tp -> tp.topic().equals(topic)).count();
            partitions.merge(member.clientId(), assigned, Integer::sum);
        }
        return partitions;
    }

    boolean hasNoMembers(String group) throws Exception {
        return members(group).isEmpty();
    }

    private Collection<MemberDescription> members(String group) throws Exception {
        return admin.describeConsumerGroups(List.of(group)).all().get(30, TimeUnit.SECONDS).get(group).members();
    }

    @Override
    public void close() {
        admin.close();
    }
}
