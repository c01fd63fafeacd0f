package io.archiver.support.policy;

import java.time.Clock;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.archiver.events.ArchiveMode;
import io.archiver.events.BatchScope;

/**
 * Trusts no event: checks that a policy of that name exists and names that table, that the cutoff
 * is no later than now minus the policy's minimum age, and that the range is sane. Every service
 * runs it before it reads, writes or deletes anything; the deleter against the policies read afresh
 * for each batch ({@link #checkFresh}), a new run only for an enabled policy ({@link #checkRequest}).
 */
@ApplicationScoped
public class PolicyGuard {

    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,63}");

    private final ArchivePolicies policies;
    private final Clock clock;

    @Inject
    public PolicyGuard(ArchivePolicies policies) {
        this(policies, Clock.systemUTC());
    }

    public PolicyGuard(ArchivePolicies policies, Clock clock) {
        this.policies = policies;
        this.clock = clock;
    }

    /** A policy the store would not have taken (it checks the same on apply): refused here too, whatever its source. */
    private static void validate(String name, ArchivePolicies.Policy policy) {
        java.util.List<String> identifiers = new java.util.ArrayList<>(java.util.List.of(policy.table(), policy.dateColumn(), policy.archiveTable()));
        identifiers.addAll(policy.key());
        for (String identifier : identifiers) {
            if (identifier == null || !IDENTIFIER.matcher(identifier).matches()) {
                throw new PolicyViolation("INVALID_POLICY", "policies." + name + ": '" + identifier + "' is not a plain SQL identifier");
            }
        }
        if (policy.batchSize() < 1) {
            throw new PolicyViolation("INVALID_POLICY", "policies." + name + ".batch-size must be at least 1");
        }
        if (policy.minAge().isNegative()) {
            throw new PolicyViolation("INVALID_POLICY", "policies." + name + ".min-age must not be negative");
        }
        if (!(policy.maxSharePerRun() > 0 && policy.maxSharePerRun() <= 1)) {
            throw new PolicyViolation("INVALID_POLICY", "policies." + name + ".max-share-per-run must be above 0 and at most 1 (a share"
                    + " of the table's rows, 0.9 for 90%), not " + policy.maxSharePerRun());
        }
        if (policy.maxRowsPerRun().isPresent() && policy.maxRowsPerRun().getAsLong() < 1) {
            throw new PolicyViolation("INVALID_POLICY", "policies." + name + ".max-rows-per-run must be at least 1 (or unset for no limit)");
        }
    }

    /** {@link #check(String, String, long, ArchiveMode)} for a new run: and the policy must be enabled. */
    public ArchivePolicies.Policy checkRequest(String policyName, String table, long cutoffEpochMs, ArchiveMode mode) {
        ArchivePolicies.Policy policy = check(policies, policyName, table, cutoffEpochMs, mode);
        if (!policies.enabled(policyName)) {
            throw new PolicyViolation("POLICY_DISABLED", "policy '" + policyName + "' is disabled; enable it with 'archivectl policy enable "
                    + policyName + "'");
        }
        return policy;
    }

    /** The policy of a requested run, once its table and cutoff are allowed. */
    public ArchivePolicies.Policy check(String policyName, String table, long cutoffEpochMs, ArchiveMode mode) {
        return check(policies, policyName, table, cutoffEpochMs, mode);
    }

    private ArchivePolicies.Policy check(ArchivePolicies policies, String policyName, String table, long cutoffEpochMs, ArchiveMode mode) {
        ArchivePolicies.Policy policy = policies.all().get(policyName);
        if (policy == null && !io.vertx.core.Context.isOnEventLoopThread()) {
            // a policy applied a moment ago may not be in the last refresh yet (read every 5 s): one fresh read before a refusal
            // that would dead-letter the event and leave its run waiting (a run triggered right after policy apply)
            try {
                policies = policies.fresh();
                policy = policies.all().get(policyName);
            } catch (RuntimeException unreadable) {
                // the refusal below stands as it would have without the second read
            }
        }
        if (policy == null) {
            throw new PolicyViolation("UNKNOWN_POLICY", "no policy named '" + policyName + "' (known: " + policies.all().keySet() + ")");
        }
        if (!policy.table().equals(table)) {
            throw new PolicyViolation("TABLE_NOT_IN_POLICY",
                    "policy '" + policyName + "' archives table '" + policy.table() + "', not '" + table + "'");
        }
        long latestCutoff = clock.millis() - policy.minAge().toMillis();
        if (cutoffEpochMs > latestCutoff) {
            throw new PolicyViolation("CUTOFF_TOO_RECENT", "cutoff " + cutoffEpochMs + " is later than now minus " + policy.minAge()
                    + " (" + latestCutoff + ")");
        }
        if (mode == null) {
            throw new PolicyViolation("MODE_MISSING", "no archive mode given");
        }
        validate(policyName, policy);
        return policy;
    }

    /** {@link #check(String, String, long, ArchiveMode)} for a batch. */
    public ArchivePolicies.Policy check(BatchScope scope) {
        return check(policies, scope);
    }

    /** {@link #check(BatchScope)} against the policies as the control database holds them now, read for this call (worker threads). */
    public ArchivePolicies.Policy checkFresh(BatchScope scope) {
        return check(policies.fresh(), scope);
    }

    private ArchivePolicies.Policy check(ArchivePolicies policies, BatchScope scope) {
        ArchivePolicies.Policy policy = check(policies, scope.policy(), scope.table(), scope.cutoffEpochMs(), scope.mode());
        if (scope.byKeys() && scope.first().size() != policy.key().size()) {
            // whether a key of as many columns is one integer column (ranges of ids) the services read from the table (docs/keys.md)
            throw new PolicyViolation("KEY_RANGE_MISMATCH", "batch of " + scope.table() + " is a range of keys of " + scope.first().size()
                    + " parts " + scope.first() + ".." + scope.last() + ", but policy '" + scope.policy() + "' has the key " + policy.key()
                    + ": nothing is read or deleted for it");
        }
        return policy;
    }
}
