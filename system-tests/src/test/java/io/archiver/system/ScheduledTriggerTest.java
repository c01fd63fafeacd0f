package io.archiver.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.archiver.events.ArchiveRequested;
import io.archiver.events.Topics;
import io.archiver.localstack.services.ArchiverService;
import io.archiver.localstack.services.ServiceProcess;

/**
 * The scanner's in-process schedule, fired by two replicas: every slot is requested twice (once by
 * each replica) and gives exactly one run.
 */
class ScheduledTriggerTest {

    private static final Map<String, String> SCHEDULE = Map.of("ARCHIVER_SCHEDULE_CRON", "0/6 * * * * ?");

    private static SystemStack system;
    private static ServiceProcess secondScanner;

    @BeforeAll
    static void start() {
        system = SystemStack.start("schedule", 5_000, 0.6, stack -> Map.of(ArchiverService.SCANNER, SCHEDULE));
        Map<String, String> env = new HashMap<>(system.stack.environment());
        env.putAll(SCHEDULE);
        env.put("ARCHIVER_POLICIES_RUN_CONFIRM_FIRST_RUN", "false"); // as SystemStack configures the first replica
        secondScanner = new ServiceProcess(ArchiverService.SCANNER, SystemStack.repositoryRoot(),
                system.stack.workDir().resolve("services-replica"), env).start(List.of()).awaitReady(Duration.ofMinutes(3));
    }

    @AfterAll
    static void stop() {
        if (secondScanner != null) {
            secondScanner.kill();
        }
        if (system != null) {
            system.close();
        }
    }

    @Test
    void aSlotFiredByTwoReplicasGivesOneRun() throws Exception {
        Map<String, Long> requestsBySlot = new HashMap<>();
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(2)).until(() -> {
            requestsBySlot.clear();
            requestsBySlot.putAll(system.driver.events(Topics.REQUESTS).stream().filter(ArchiveRequested.class::isInstance)
                    .map(ArchiveRequested.class::cast).filter(r -> r.scheduleSlot() != null)
                    .collect(Collectors.groupingBy(ArchiveRequested::scheduleSlot, Collectors.counting())));
            return requestsBySlot.values().stream().filter(n -> n >= 2).count() >= 3;
        });
        List<String> twiceFired = requestsBySlot.entrySet().stream().filter(e -> e.getValue() >= 2).map(Map.Entry::getKey).toList();
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            for (String slot : twiceFired) {
                assertThat(runsOfSlot(slot)).as("runs recorded for slot " + slot).isEqualTo(1);
            }
        });
        try (Connection connection = system.jdbc();
                PreparedStatement select = connection.prepareStatement("SELECT COUNT(*), COUNT(DISTINCT schedule_slot) FROM archive_run"
                        + " WHERE schedule_slot IS NOT NULL");
                ResultSet rs = select.executeQuery()) {
            rs.next();
            assertThat(rs.getLong(1)).as("one run per slot over all slots").isEqualTo(rs.getLong(2));
        }
    }

    private static long runsOfSlot(String slot) throws Exception {
        try (Connection connection = system.jdbc();
                PreparedStatement select = connection.prepareStatement("SELECT COUNT(*) FROM archive_run WHERE policy = 'run' AND schedule_slot = ?")) {
            select.setString(1, slot);
            try (ResultSet rs = select.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
