package io.archiver.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

import io.archiver.events.ArchiveMode;
import io.archiver.events.Topics;
import io.archiver.localstack.services.ArchiverService;
import io.archiver.localstack.services.ServiceProcess;

/**
 * The archival contract in MOVE mode: archived rows leave `run` for `run_archive`, identical. The deleter runs
 * with {@code archiver.delete.concurrency=2} here (two batches moved at once), the DELETE-mode test with the default 1.
 */
class MoveModeArchivalTest extends ArchivalRunContract {

    @Override
    ArchiveMode mode() {
        return ArchiveMode.MOVE;
    }

    @Override
    Map<ArchiverService, Map<String, String>> serviceSettings() {
        return Map.of(ArchiverService.DELETER, Map.of("ARCHIVER_DELETE_CONCURRENCY", "2"));
    }

    @Test
    @Order(21)
    void theDeleterConsumedWithTwoConsumersEachWithItsPartitions() throws Exception {
        try (KafkaGroups groups = new KafkaGroups(system.stack.kafka().bootstrapServers())) {
            Map<String, Integer> partitions = groups.partitionsByMember("archiver-deleter", Topics.UPLOADS);
            assertThat(partitions).as("members of archiver-deleter and their partitions of %s", Topics.UPLOADS).hasSize(2);
            assertThat(partitions.values()).allSatisfy(n -> assertThat(n).isPositive());
        }
    }

    @Test
    @Order(22)
    void aDeleterWithConcurrencyBelowOneRefusesToStartAndNamesTheSetting() {
        Map<String, String> env = new HashMap<>(system.stack.environment());
        env.put("ARCHIVER_DELETE_CONCURRENCY", "0");
        Path workDir = system.stack.workDir().resolve("bad-settings");
        ServiceProcess deleter = new ServiceProcess(ArchiverService.DELETER, SystemStack.repositoryRoot(), workDir, env).start(List.of());
        try {
            assertThatThrownBy(() -> deleter.awaitReady(Duration.ofMinutes(2))).hasMessageContaining("deleter-service exited")
                    .hasMessageContaining("archiver.delete.concurrency must be at least 1, was 0");
        } finally {
            deleter.kill();
        }
    }

    @Test
    @Order(20)
    void movedRowsAreInRunArchiveIdentical() throws SQLException {
        Set<Long> eligible = eligibleBefore();
        TableSnapshot moved;
        try (Connection connection = system.jdbc()) {
            moved = TableSnapshot.of(connection, "run_archive");
        }
        assertThat(moved.columns()).isEqualTo(before.columns());
        assertThat(moved.digests().keySet()).isEqualTo(eligible);
        for (Long id : eligible) {
            assertThat(moved.digests().get(id)).as("row %d in run_archive", id).isEqualTo(before.digests().get(id));
        }
        assertThat(completed.stats().rowsRemoved()).isEqualTo(eligible.size());
    }
}
