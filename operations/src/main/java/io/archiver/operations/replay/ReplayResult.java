package io.archiver.operations.replay;

import java.util.List;

/**
 * What a partition replay did: {@code action} RESET (the group's offset moved to {@code target}; its service consumes
 * {@code records} again when it starts), REPUBLISHED (the records from {@code target} to {@code end} published again, their copies
 * at {@code firstCopy..lastCopy}), or with a dry run WOULD_RESET / WOULD_REPUBLISH; {@code committedBefore} is the group's offset
 * before, null when it had none; {@code notes} say how the start was found.
 */
public record ReplayResult(String topic, int partition, String group, Action action, long target, long end, Long committedBefore,
        long records, Long firstCopy, Long lastCopy, List<String> notes) {

    public enum Action {
        RESET, WOULD_RESET, REPUBLISHED, WOULD_REPUBLISH
    }

    /** {@code archive.uploads-2}, as Kafka writes a partition. */
    public String partitionName() {
        return topic + "-" + partition;
    }
}
