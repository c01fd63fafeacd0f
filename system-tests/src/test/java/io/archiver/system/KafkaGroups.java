package io.archiver.system;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupListing;
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
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata()
                    .get(30, TimeUnit.SECONDS);
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            committed.keySet().forEach(tp -> latest.put(tp, OffsetSpec.latest()));
            var ends = admin.listOffsets(latest).all().get(30, TimeUnit.SECONDS);
            long sum = 0;
            for (var entry : committed.entrySet()) {
                long position = entry.getValue() == null ? 0 : entry.getValue().offset();
                sum += Math.max(0, ends.get(entry.getKey()).offset() - position);
            }
            lag.put(group, sum);
        }
        return lag;
    }

    /** Every partition that a group has not consumed to its end: "group topic-partition committed/end", for a failure message. */
    String behind() throws Exception {
        StringBuilder text = new StringBuilder();
        for (String group : archiverGroups()) {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata()
                    .get(30, TimeUnit.SECONDS);
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            committed.keySet().forEach(tp -> latest.put(tp, OffsetSpec.latest()));
            var ends = admin.listOffsets(latest).all().get(30, TimeUnit.SECONDS);
            int members = admin.describeConsumerGroups(List.of(group)).all().get(30, TimeUnit.SECONDS).get(group).members().size();
            for (var entry : committed.entrySet()) {
                long position = entry.getValue() == null ? 0 : entry.getValue().offset();
                long end = ends.get(entry.getKey()).offset();
                if (position < end) {
                    text.append(group).append(" (").append(members).append(" members) ").append(entry.getKey()).append(' ')
                            .append(position).append('/').append(end).append('\n');
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

    boolean hasNoMembers(String group) throws Exception {
        return admin.describeConsumerGroups(List.of(group)).all().get(30, TimeUnit.SECONDS).get(group).members().isEmpty();
    }

    @Override
    public void close() {
        admin.close();
    }
}
