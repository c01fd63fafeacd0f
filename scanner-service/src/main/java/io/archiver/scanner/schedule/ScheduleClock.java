package io.archiver.scanner.schedule;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.archiver.policy.CronSchedule;
import io.archiver.support.policy.ArchivePolicies.Schedule;

/**
 * Which policies' schedules are due, asked once a second: a policy is due at its latest fire time at or before now, once (per
 * replica; the ledger keeps one run per policy and slot over all replicas), and only for a fire time at or after both this
 * replica's start and the policy's last change. So a schedule applied while the scanner runs fires from its next slot, a slot
 * missed while the policies could not be read fires once when they can, and a slot before the scanner started is not fired
 * (as Quarkus' own scheduler does). Not thread-safe: the caller asks one tick at a time.
 */
public final class ScheduleClock {

    /** A policy's slot that is due now. */
    public record Firing(String policy, Instant fireTime) {
    }

    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(ScheduleClock.class);

    private final Instant started;
    private final Map<String, Instant> fired = new HashMap<>();
    private final Map<String, CronSchedule> parsed = new HashMap<>();

    public ScheduleClock(Instant started) {
        this.started = started;
    }

    /** The slots due at {@code now}, by policy; each is returned until {@link #fired} records it. */
    public List<Firing> due(Instant now, Map<String, Schedule> schedules) {
        List<Firing> due = new ArrayList<>();
        schedules.forEach((policy, schedule) -> {
            CronSchedule cron = cron(policy, schedule.cron());
            if (cron == null) {
                return;
            }
            Instant floor = Instant.ofEpochMilli(Math.max(started.toEpochMilli(), schedule.sinceMs()));
            cron.lastFireAtOrBefore(now).filter(at -> !at.isBefore(floor.truncatedTo(java.time.temporal.ChronoUnit.SECONDS)))
                    .filter(at -> !fired.containsKey(policy) || at.isAfter(fired.get(policy))).ifPresent(at -> due.add(new Firing(policy, at)));
        });
        return due;
    }

    /** The slot was requested: not due again. */
    public void fired(Firing firing) {
        fired.merge(firing.policy(), firing.fireTime(), (a, b) -> a.isAfter(b) ? a : b);
    }

    /** The schedule, or null (said once) for one that is not: {@code policy apply} refuses those, so only a hand-edited row has one. */
    private CronSchedule cron(String policy, String expression) {
        if (!parsed.containsKey(expression)) {
            try {
                parsed.put(expression, CronSchedule.parse(expression));
            } catch (IllegalArgumentException e) {
                parsed.put(expression, null);
                LOG.warnf("policy %s: schedule '%s' is not a schedule (%s); it does not fire: apply the policy with %s", policy, expression,
                        e.getMessage(), CronSchedule.FORM);
            }
        }
        return parsed.get(expression);
    }
}
