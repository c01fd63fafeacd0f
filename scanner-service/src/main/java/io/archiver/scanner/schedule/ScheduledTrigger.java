package io.archiver.scanner.schedule;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Channel;
import org.jboss.logging.Logger;

import io.archiver.events.ArchiveEvent;
import io.archiver.events.ArchiveRequested;
import io.archiver.events.SchemaVersion;
import io.archiver.support.messaging.EventPublisher;
import io.archiver.support.policy.ArchivePolicies;
import io.archiver.support.policy.PolicyCatalog;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.ScheduledExecution;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;

/**
 * Fires ArchiveRequested on each enabled policy's {@code schedule}, read from the control database (so a schedule applied or
 * changed while the scanner runs is taken up within {@code archiver.policy.refresh}), and on the scanner's own
 * {@code archiver.schedule.cron} for {@code archiver.schedule.policy}. Everything in a request derives from the scheduled fire
 * time, not the clock: the run id, the slot and the cutoff. So every replica that fires a policy's slot, by either way, sends
 * the same run, and the ledger (one run per id, one per policy and slot) keeps one.
 */
@ApplicationScoped
public class ScheduledTrigger {

    private static final Logger LOG = Logger.getLogger(ScheduledTrigger.class);
    private static final DateTimeFormatter SLOT_ID = DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private final ScheduleConfig config;
    private final ArchivePolicies policies;
    private final MutinyEmitter<ArchiveEvent> requests;
    private final ScheduleClock clock = new ScheduleClock(Instant.now());

    public ScheduledTrigger(ScheduleConfig config, ArchivePolicies policies, @Channel("requests-out") MutinyEmitter<ArchiveEvent> requests) {
        this.config = config;
        this.policies = policies;
        this.requests = requests;
    }

    @Scheduled(identity = "archive-trigger", cron = "${archiver.schedule.cron:off}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> fire(ScheduledExecution execution) {
        return send(request(config.policy(), execution.getScheduledFireTime()));
    }

    /**
     * Once a second: the policies' schedules that are due ({@link ScheduleClock}), each requested once its request was sent. Not
     * before the application runs: a tick during start-up found the {@code requests-out} emitter not yet connected and logged an
     * ERROR (the bean is made at the first tick that runs, and its clock starts then, as before).
     */
    @Scheduled(identity = "policy-schedules", every = "1s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    Uni<Void> tick() {
        Map<String, ArchivePolicies.Schedule> schedules;
        try {
            schedules = policies.schedules();
        } catch (PolicyCatalog.PolicyCatalogUnavailable e) {
            return Uni.createFrom().voidItem(); // due slots fire once the policies can be read again
        }
        List<ScheduleClock.Firing> due = clock.due(Instant.now(), schedules);
        Uni<Void> sent = Uni.createFrom().voidItem();
        for (ScheduleClock.Firing firing : due) {
            sent = sent.chain(() -> send(request(firing.policy(), firing.fireTime())).invoke(() -> clock.fired(firing))
                    .onFailure().recoverWithItem(failure -> {
                        LOG.warnf("policy %s: the request of slot %s was not sent (%s); it is sent again next tick", firing.policy(),
                                firing.fireTime(), failure.toString());
                        return null;
                    }));
        }
        return sent;
    }

    /** The request of {@code policyName}'s slot that starts at {@code fireTime}. */
    public ArchiveRequested request(String policyName, Instant fireTime) {
        ArchivePolicies.Policy policy = policies.all().get(policyName);
        if (policy == null) {
            throw new IllegalStateException("no policy " + policyName + " to schedule (known: "
                    + policies.all().keySet() + ")");
        }
        Instant slot = fireTime.truncatedTo(ChronoUnit.SECONDS);
        String runId = "sched-" + policyName + "-" + SLOT_ID.format(slot);
        String eventId = UUID.nameUUIDFromBytes(runId.getBytes(StandardCharsets.UTF_8)).toString();
        return new ArchiveRequested(eventId, runId, slot, SchemaVersion.CURRENT, policyName, policy.table(),
                slot.minus(policy.minAge()).toEpochMilli(), policy.mode(), "scanner-schedule", false, slot.toString());
    }

    private Uni<Void> send(ArchiveRequested request) {
        return EventPublisher.publish(requests, request).invoke(() -> LOG.infof("event=ArchiveRequested runId=%s batchId=- stage=SCHEDULE"
                + " outcome=REQUESTED slot=%s policy=%s", request.runId(), request.scheduleSlot(), request.policy()));
    }
}
