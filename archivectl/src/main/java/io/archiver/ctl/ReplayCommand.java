package io.archiver.ctl;

import java.io.PrintWriter;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.Callable;

import io.archiver.ctl.cli.Archivectl;
import io.archiver.ctl.cli.ConnectionOptions;
import io.archiver.ctl.cli.InstantConverter;
import io.archiver.ctl.cli.UsageException;
import io.archiver.operations.OperationRefused;
import io.archiver.operations.kafka.KafkaAccess;
import io.archiver.operations.replay.PartitionReplay;
import io.archiver.operations.replay.ReplayOrder;
import io.archiver.operations.replay.ReplayResult;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Makes a service consume a topic partition again from an offset or a time, through {@link PartitionReplay} (as the API's). */
@Command(name = "replay", mixinStandardHelpOptions = true, sortOptions = false,
        description = { "Replay one topic partition for one consumer group from an offset, or from the first record at or after a time.",
                "Resets the group's committed offset of TOPIC-PARTITION, so that the service consumes the records again. The group must "
                        + "have no active members (stop or scale down its service first); while it has, the command refuses, unless "
                        + "--republish is given: then the records from that offset to the partition's current end are published again "
                        + "onto the same topic and partition with their keys and headers, and the running service consumes the copies.",
                "Safe to run any number of times: every handler is idempotent." },
        footer = { "", "Examples:",
                "  archivectl replay --topic archive.uploads --partition 2 \\",
                "      --group archiver-deleter --from-offset 1200 --dry-run",
                "  archivectl replay --topic archive.batches --partition 0 \\",
                "      --group archiver-exporter --from-timestamp 2026-11-23T10:00:00Z",
                "  archivectl replay --topic archive.shards --partition 1 \\",
                "      --group archiver-uploader --from-offset 0 --republish" })
public class ReplayCommand implements Callable<Integer> {

    /** Set on records published again by {@code --republish}: where they were copied from, {@code topic/partition/offset}. */
    public static final String REPUBLISHED_FROM_HEADER = PartitionReplay.REPUBLISHED_FROM_HEADER;

    /** The option of each field {@link PartitionReplay} may refuse. */
    private static final Map<String, String> OPTIONS = Map.of("topic", "--topic", "partition", "--partition", "group", "--group",
            "fromOffset", "--from-offset");

    @Spec
    CommandSpec spec;

    @Mixin
    ConnectionOptions connection;

    @Option(names = "--topic", paramLabel = "TOPIC", required = true, description = "The topic.")
    String topic;

    @Option(names = "--partition", paramLabel = "N", required = true, description = "The partition of the topic.")
    int partition;

    @Option(names = "--group", paramLabel = "GROUP", required = true,
            description = "The consumer group, e.g. archiver-scanner, archiver-exporter, archiver-uploader, archiver-deleter.")
    String group;

    @ArgGroup(exclusive = true, multiplicity = "1")
    From from;

    static final class From {
        @Option(names = "--from-offset", paramLabel = "OFFSET", required = true, description = "The first offset to consume again.")
        Long offset;

        @Option(names = "--from-timestamp", paramLabel = "ISO", required = true, converter = InstantConverter.class,
                description = "The first record at or after this time (ISO-8601, e.g. 2026-11-23T10:00:00Z).")
        Instant timestamp;
    }

    @Option(names = "--republish", description = "Publish the records again instead of resetting the offset (works while the group is active).")
    boolean republish;

    @Option(names = "--dry-run", description = "Print what would be done; change nothing.")
    boolean dryRun;

    @Override
    public Integer call() {
        if (from == null) {
            throw new UsageException("give --from-offset OFFSET or --from-timestamp ISO");
        }
        ReplayOrder order = new ReplayOrder(topic, partition, group, from.offset, from.timestamp, republish, dryRun, null);
        ReplayResult result;
        try (KafkaAccess kafka = connection.settings().kafka()) {
            result = new PartitionReplay(kafka).replay(order);
        } catch (OperationRefused e) {
            throw new UsageException(OPTIONS.getOrDefault(e.field(), "") + " " + e.reason());
        }
        PrintWriter out = spec.commandLine().getOut();
        result.notes().forEach(out::println);
        String tp = result.partitionName();
        long target = result.target();
        long end = result.end();
        String was = result.committedBefore() == null ? "no committed offset" : "committed offset " + result.committedBefore();
        switch (result.action()) {
            case WOULD_REPUBLISH -> out.printf("dry run: would publish %d record(s) of %s%s again onto %s, with their keys and headers%n",
                    result.records(), tp, end > target ? " (offsets " + target + ".." + (end - 1) + ")" : "", tp);
            case REPUBLISHED -> {
                if (result.records() == 0) {
                    out.printf("nothing to publish: %s has no records from offset %d to its end %d%n", tp, target, end);
                } else {
                    out.printf("published %d record(s) of %s (offsets %d..%d) again onto %s as offsets %d..%d, with their keys and headers%n",
                            result.records(), tp, target, end - 1, tp, result.firstCopy(), result.lastCopy());
                }
            }
            case WOULD_RESET -> out.printf("dry run: would reset consumer group %s on %s from %s to %d: %s%n", group, tp, was, target,
                    result.records() == 0 ? "nothing left to consume (the end)"
                            : result.records() + " record(s) (offsets " + target + ".." + (end - 1) + ") to consume again");
            case RESET -> out.printf("consumer group %s on %s: %s -> %d; %s%n", group, tp, was, target, result.records() == 0
                    ? "nothing left to consume (the end)"
                    : result.records() + " record(s) (offsets " + target + ".." + (end - 1) + ") will be consumed again when its service starts");
        }
        out.flush();
        return Archivectl.OK;
    }
}
