package io.archiver.scanner.schedule;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Channel;
import org.jboss.logging.Logger;

import io.archiver.events.ArchiveEvent;
import io.archiver.events.ArchiveRequested;
import io.archiver.events.SchemaVersion;
import io.archiver.support.messaging.EventPublisher;
import io.archiver.support.policy.ArchivePolicies;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.ScheduledExecution;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;

/**
 * Fires ArchiveRequested on the scanner's own schedule ({@code archiver.schedule.cron}), the way the
 * CronJob's {@code archivectl trigger} does. Everything in the request derives from the scheduled
 * fire time, not the clock: the run id, the slot and the cutoff. So every replica that fires for the
 * same slot sends the same run, and the ledger (one run per id, one per policy and slot) keeps one.
 */
@ApplicationScoped
public class ScheduledTrigger {

    private static final Logger LOG = Logger.getLogger(ScheduledTrigger.class);
    private static final DateTimeFormatter SLOT_ID = DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private final ScheduleConfig config;
    private final ArchivePolicies policies;
    private final MutinyEmitter<ArchiveEvent> requests;

    public ScheduledTrigger(ScheduleConfig config, ArchivePolicies policies, @Channel("requests-out") MutinyEmitter<ArchiveEvent> requests) {
        this.config = config;
        this.policies = policies;
        this.requests = requests;
    }

    @Scheduled(identity = "archive-trigger", cron = "${archiver.schedule.cron:off}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> fire(ScheduledExecution execution) {
        return send(execution.getScheduledFireTime());
    }

    /** The request for the slot that starts at {@code fireTime}. */
    public ArchiveRequested request(Instant fireTime) {
        ArchivePolicies.Policy policy = policies.all().get(config.policy());
        if (policy == null) {
            throw new IllegalStateException("archiver.schedule.policy names no policy: " + config.policy() + " (known: "
                    + policies.all().keySet() + ")");
        }
        Instant slot = fireTime.truncatedTo(ChronoUnit.SECONDS);
        String runId = "sched-" + config.policy() + "-" + SLOT_ID.format(slot);
        String eventId = UUID.nameUUIDFromBytes(runId.getBytes(java.nio.charset.StandardCharsets.UTF_8)).toString();
        return new ArchiveRequested(eventId, runId, slot, SchemaVersion.CURRENT, config.policy(), policy.table(),
                slot.minus(policy.minAge()).toEpochMilli(), policy.mode(), "scanner-schedule", false, slot.toString());
    }

    Uni<Void> send(Instant fireTime) {
        ArchiveRequested request = request(fireTime);
        return EventPublisher.publish(requests, request).invoke(() -> LOG.infof("event=ArchiveRequested runId=%s batchId=- stage=SCHEDULE"
                + " outcome=REQUESTED slot=%s policy=%s", request.runId(), request.scheduleSlot(), request.policy()));
    }
}
