package io.archiver.objectstore.lifecycle;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import software.amazon.awssdk.services.s3.model.ExpirationStatus;
import software.amazon.awssdk.services.s3.model.LifecycleRule;
import software.amazon.awssdk.services.s3.model.LifecycleRuleFilter;

/**
 * Which of a bucket's lifecycle rules would expire a policy's objects before its {@code object-retention}
 * (docs/archive.md#lifecycle-rules): an enabled rule whose prefix meets the policy's and whose Expiration (days, or a date
 * before now plus the retention) or NoncurrentVersionExpiration is shorter. A rule filtered on tags or sizes alone counts for
 * the whole bucket: it may match any object, and an object expired early cannot come back.
 */
public final class LifecycleCheck {

    /** One rule that would expire one policy's objects early, said with the rule id, its prefix, its days and the policy. */
    public record Conflict(String ruleId, String rulePrefix, String expiry, RetainedPrefix policy) {

        public String message() {
            return "lifecycle rule '" + ruleId + "' (prefix '" + rulePrefix + "') expires objects " + expiry + ", before policy "
                    + policy.policy() + "'s object-retention " + policy.retentionText() + " (" + policy.retentionDays() + " days) of its objects under '"
                    + policy.keyPrefix() + "'; lengthen or remove the rule, or shorten the policy's object-retention";
        }
    }

    private LifecycleCheck() {
    }

    /** Whether any rule is enabled and expires objects at all: only then can one conflict with a policy. */
    public static boolean anyExpires(List<LifecycleRule> rules) {
        return rules.stream().anyMatch(rule -> rule.status() == ExpirationStatus.ENABLED && (rule.expiration() != null
                && (rule.expiration().days() != null || rule.expiration().date() != null)
                || rule.noncurrentVersionExpiration() != null && rule.noncurrentVersionExpiration().noncurrentDays() != null));
    }

    public static List<Conflict> conflicts(List<LifecycleRule> rules, List<RetainedPrefix> policies, Instant now) {
        List<Conflict> conflicts = new ArrayList<>();
        for (LifecycleRule rule : rules) {
            if (rule.status() != ExpirationStatus.ENABLED) {
                continue;
            }
            String prefix = prefix(rule);
            for (RetainedPrefix policy : policies) {
                if (!policy.keyPrefix().startsWith(prefix) && !prefix.startsWith(policy.keyPrefix())) {
                    continue;
                }
                String early = early(rule, policy, now);
                if (early != null) {
                    conflicts.add(new Conflict(rule.id() == null ? "(no id)" : rule.id(), prefix, early, policy));
                }
            }
        }
        return conflicts;
    }

    /** How the rule expires the policy's objects too early, or null when it does not. */
    private static String early(LifecycleRule rule, RetainedPrefix policy, Instant now) {
        long days = policy.retentionDays();
        if (rule.expiration() != null) {
            Integer after = rule.expiration().days();
            if (after != null && after < days) {
                return "after " + after + " days";
            }
            Instant date = rule.expiration().date();
            if (date != null && date.isBefore(now.plus(Duration.ofDays(days)))) {
                return "on " + date;
            }
        }
        if (rule.noncurrentVersionExpiration() != null) {
            Integer after = rule.noncurrentVersionExpiration().noncurrentDays();
            if (after != null && after < days) {
                return "(noncurrent versions) " + after + " days after they become noncurrent";
            }
        }
        return null;
    }

    /** The key prefix a rule applies to; "" for the whole bucket (no prefix, or a filter on tags or sizes alone). */
    @SuppressWarnings("deprecation")
    public static String prefix(LifecycleRule rule) {
        LifecycleRuleFilter filter = rule.filter();
        if (filter == null) {
            return rule.prefix() == null ? "" : rule.prefix();
        }
        if (filter.prefix() != null) {
            return filter.prefix();
        }
        if (filter.and() != null && filter.and().prefix() != null) {
            return filter.and().prefix();
        }
        return "";
    }
}
