package io.archiver.operations.requests;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import io.archiver.events.ArchiveMode;
import io.archiver.events.ArchiveRequested;
import io.archiver.events.ArchiveRunConfirmed;
import io.archiver.events.SchemaVersion;
import io.archiver.operations.OperationRefused;
import io.archiver.policy.PolicySpec;
import io.archiver.policy.StoredPolicy;

/**
 * Turns a {@link RunOrder} into the {@link ArchiveRequested} to publish, or refuses it naming the field at fault, before
 * anything is published. The cutoff is computed once, here: now minus the minimum age.
 */
public final class RunRequests {

    /** The longest {@code requestedBy} the ledger keeps. */
    public static final int REQUESTED_BY_LENGTH = 128;

    private static final DateTimeFormatter RUN_ID_TIME = DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss'Z'");

    private RunRequests() {
    }

    /**
     * {@link #request(RunOrder, Instant)} for a run of {@code policy} (as the control database holds it; null when the caller cannot
     * read it): the order's mode and table, when it gives none, are the policy's ({@link #mode}, {@link #table}).
     */
    public static ArchiveRequested request(RunOrder order, PolicySpec policy, Instant now) {
        if (policy == null) {
            return request(order, now);
        }
        return request(new RunOrder(order.policy(), table(policy, order.table()), order.minAge(), mode(policy, order.mode()),
                order.dryRun(), order.scheduleSlot(), order.slotLength(), order.runId(), order.requestedBy()), now);
    }

    /** The table of a run of {@code policy}: its own when none is asked; another is refused here, before the scanner would. */
    static String table(PolicySpec policy, String asked) {
        if (asked != null && !asked.equals(policy.table())) {
            throw new OperationRefused("table", asked + " is not policy " + policy.name() + "'s table " + policy.table()
                    + ": leave it out to archive the policy's table");
        }
        return policy.table();
    }

    /**
     * The mode of a run of {@code policy}: its own when none is asked. One asked that differs is refused: the services do what a
     * request says, so a DELETE run of a MOVE policy would drop the rows its archive table is meant to keep (and the reverse).
     */
    public static ArchiveMode mode(PolicySpec policy, ArchiveMode asked) {
        if (asked != null && asked != policy.mode()) {
            throw new OperationRefused("mode", asked + " differs from policy " + policy.name() + "'s mode " + policy.mode()
                    + ": leave it out to run as the policy says, or change the policy's mode (archivectl policy apply)");
        }
        return policy.mode();
    }

    public static ArchiveRequested request(RunOrder order, Instant now) {
        if (order.policy() == null || order.policy().isBlank()) {
            throw new OperationRefused("policy", "is required");
        }
        Duration minAge = order.minAge();
        if (minAge == null || minAge.isNegative() || minAge.isZero()) {
            throw new OperationRefused("minAge", "must be positive, not " + minAge);
        }
        if (order.mode() == null) {
            throw new OperationRefused("mode", "is required: DELETE or MOVE");
        }
        String slot = order.scheduleSlot();
        if ("auto".equalsIgnoreCase(slot)) {
            try {
                slot = Slots.name(now, order.slotLength() == null ? Duration.ofDays(1) : order.slotLength());
            } catch (IllegalArgumentException e) {
                throw new OperationRefused("slotLength", order.slotLength() + ": " + e.getMessage());
            }
        }
        if (slot != null && (slot.isBlank() || slot.length() > 128)) {
            throw new OperationRefused("scheduleSlot", "must be 1 to 128 characters");
        }
        String id = order.runId() != null ? order.runId() : newRunId(now);
        if (id.isBlank() || id.length() > 120 || !id.matches("[A-Za-z0-9._:-]+")) {
            throw new OperationRefused("runId", "must be 1 to 120 characters of letters, digits, '.', '_', ':' and '-', not '" + id + "'");
        }
        long cutoff;
        try {
            cutoff = now.minus(minAge).toEpochMilli();
        } catch (ArithmeticException | DateTimeException e) {
            throw new OperationRefused("minAge", minAge + " is too large");
        }
        try {
            return new ArchiveRequested(UUID.randomUUID().toString(), id, now, SchemaVersion.CURRENT, order.policy(),
                    order.table() != null ? order.table() : order.policy(), cutoff, order.mode(), requestedBy(order.requestedBy()),
                    order.dryRun(), slot);
        } catch (IllegalArgumentException e) {
            throw new OperationRefused(null, e.getMessage());
        }
    }

    /**
     * A request per enabled policy ({@code trigger --policy all}), in the order given, each with a run id of its own, its own
     * table, mode and minimum age: a given mode must be each policy's own ({@link #mode}), a given minimum
     * age applies only where it is older than the policy's own (a younger cutoff would be refused by the services). The order's dry run,
     * slot and requester apply to each; its policy, table and run id must be unset, since each policy has its own.
     */
    public static List<ArchiveRequested> forEveryPolicy(List<StoredPolicy> policies, RunOrder order, Instant now) {
        if (order.table() != null) {
            throw new OperationRefused("table", "every policy is triggered with its own table: leave table unset");
        }
        if (order.runId() != null) {
            throw new OperationRefused("runId", "every policy's run gets its own run id: leave runId unset");
        }
        List<ArchiveRequested> requests = new ArrayList<>();
        for (StoredPolicy stored : policies) {
            PolicySpec policy = stored.spec();
            if (!policy.enabled()) {
                continue;
            }
            Duration minAge = order.minAge() != null && order.minAge().compareTo(policy.minAge()) > 0 ? order.minAge() : policy.minAge();
            requests.add(request(new RunOrder(policy.name(), policy.table(), minAge, mode(policy, order.mode()),
                    order.dryRun(), order.scheduleSlot(), order.slotLength(), null, order.requestedBy()), now));
        }
        return requests;
    }

    /** The confirmation of a run a safety rail holds, by {@code requestedBy}. */
    public static ArchiveRunConfirmed confirmation(String runId, String requestedBy) {
        try {
            return ArchiveRunConfirmed.of(runId, requestedBy(requestedBy));
        } catch (IllegalArgumentException e) {
            throw new OperationRefused("runId", e.getMessage());
        }
    }

    /** Who asks, cut to what the ledger keeps. */
    public static String requestedBy(String who) {
        if (who == null || who.isBlank()) {
            throw new OperationRefused("requestedBy", "is required");
        }
        return who.length() > REQUESTED_BY_LENGTH ? who.substring(0, REQUESTED_BY_LENGTH) : who;
    }

    /** {@code run-20261123T105258Z-5f3725ea}. */
    public static String newRunId(Instant now) {
        return "run-" + RUN_ID_TIME.format(LocalDateTime.ofInstant(now, ZoneOffset.UTC)) + "-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
