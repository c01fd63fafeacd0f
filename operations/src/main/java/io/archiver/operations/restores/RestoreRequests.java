package io.archiver.operations.restores;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.UUID;
import java.util.regex.Pattern;

import io.archiver.events.RestoreRequested;
import io.archiver.events.RestoreRequested.RestoreScope;
import io.archiver.operations.OperationRefused;
import io.archiver.operations.requests.RunRequests;
import io.archiver.policy.PolicySpec;

/**
 * Turns a {@link RestoreOrder} into the {@link RestoreRequested} to publish, or refuses it naming the field at fault, before
 * anything is published: the scope names exactly one kind, the target is another table than any the policy archives
 * unless {@code intoSource} says it is the policy's own table, and restoring into the source needs the policy disabled (the
 * rule that keeps restored rows from being archived again: docs/archive.md#restore). The deleter checks all of it again.
 */
public final class RestoreRequests {

    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,63}");
    private static final DateTimeFormatter ID_TIME = DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss'Z'");

    private RestoreRequests() {
    }

    public static RestoreRequested request(RestoreOrder order, PolicySpec policy, Instant now) {
        if (policy == null) {
            throw new OperationRefused("policy", "no policy '" + order.policy() + "' in the control database: see archivectl policy list");
        }
        RestoreScope scope = scope(order);
        String target;
        if (order.intoSource()) {
            if (order.into() != null && !order.into().equals(policy.table())) {
                throw new OperationRefused("into", "--into-source restores into the policy's table `" + policy.table() + "`: drop --into "
                        + order.into() + " or --into-source");
            }
            if (policy.enabled()) {
                throw new OperationRefused("intoSource", "policy '" + policy.name() + "' is enabled: its next run would archive the restored rows"
                        + " again. Disable it first (archivectl policy disable " + policy.name() + "), enable it once they may be archived again");
            }
            target = policy.table();
        } else {
            if (order.into() == null) {
                throw new OperationRefused("into", "is required: the table to restore into (created like `" + policy.table()
                        + "` if absent), or --into-source for the policy's own table");
            }
            if (!IDENTIFIER.matcher(order.into()).matches()) {
                throw new OperationRefused("into", "'" + order.into() + "' is not a table name ([A-Za-z_][A-Za-z0-9_]*, at most 64 characters)");
            }
            if (order.into().equalsIgnoreCase(policy.table()) || order.into().equalsIgnoreCase(policy.archiveTable())) {
                throw new OperationRefused("into", "`" + order.into() + "` is archived by policy '" + policy.name() + "': restore into another"
                        + " table, or into the source with --into-source");
            }
            target = order.into();
        }
        String id = order.restoreId() != null ? order.restoreId() : newRestoreId(now);
        if (id.isBlank() || id.length() > 120 || !id.matches("[A-Za-z0-9._:-]+")) {
            throw new OperationRefused("restoreId", "must be 1 to 120 characters of letters, digits, '.', '_', ':' and '-', not '" + id + "'");
        }
        try {
            return new RestoreRequested(UUID.randomUUID().toString(), id, now, io.archiver.events.SchemaVersion.CURRENT, policy.name(), scope,
                    target, order.intoSource(), order.dryRun(), RunRequests.requestedBy(order.requestedBy()));
        } catch (IllegalArgumentException e) {
            throw new OperationRefused(null, e.getMessage());
        }
    }

    private static RestoreScope scope(RestoreOrder order) {
        int kinds = (order.run() != null ? 1 : 0) + (order.objectKey() != null ? 1 : 0) + (order.keyFrom() != null || order.keyTo() != null ? 1 : 0)
                + (order.from() != null || order.to() != null ? 1 : 0);
        if (kinds != 1) {
            throw new OperationRefused("scope", "name exactly one of --run R, --object KEY, --key-range A..B, --from T --to T (" + kinds + " given)");
        }
        if ((order.keyFrom() == null) != (order.keyTo() == null)) {
            throw new OperationRefused("keyRange", "needs both ends: A..B");
        }
        if ((order.from() == null) != (order.to() == null)) {
            throw new OperationRefused(order.from() == null ? "from" : "to", "--from and --to go together");
        }
        if (order.from() != null && !order.from().isBefore(order.to())) {
            throw new OperationRefused("from", order.from() + " is not before --to " + order.to());
        }
        return new RestoreScope(order.run(), order.objectKey(), order.keyFrom(), order.keyTo(), order.from(), order.to());
    }

    /** {@code restore-20261206T161500Z-5f3725ea}. */
    public static String newRestoreId(Instant now) {
        return "restore-" + ID_TIME.format(LocalDateTime.ofInstant(now, ZoneOffset.UTC)) + "-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
