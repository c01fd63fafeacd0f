package io.archiver.objectstore.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;

import org.junit.jupiter.api.Test;

import software.amazon.awssdk.services.s3.model.ExpirationStatus;
import software.amazon.awssdk.services.s3.model.LifecycleRule;

/** Which lifecycle rules would expire a policy's objects before its object-retention, and the safety net's rules. */
class LifecycleCheckTest {

    private static final Instant NOW = Instant.parse("2026-12-06T00:00:00Z");
    private static final RetainedPrefix RUN = new RetainedPrefix("run", "run-archive/", Duration.ofDays(730));
    private static final RetainedPrefix ORDERS = new RetainedPrefix("orders", "orders-archive/", Duration.ofDays(400));

    private static LifecycleRule rule(String id, Consumer<LifecycleRule.Builder> shape) {
        LifecycleRule.Builder builder = LifecycleRule.builder().id(id).status(ExpirationStatus.ENABLED);
        shape.accept(builder);
        return builder.build();
    }

    private static List<String> conflicts(LifecycleRule... rules) {
        return LifecycleCheck.conflicts(List.of(rules), List.of(RUN, ORDERS), NOW).stream()
                .map(c -> c.ruleId() + " " + c.policy().policy() + " " + c.expiry()).toList();
    }

    @Test
    void aRuleOnThePolicysPrefixExpiringSoonerThanItsRetentionConflictsNamingRulePrefixDaysAndPolicy() {
        LifecycleRule early = rule("cleanup", b -> b.filter(f -> f.prefix("run-archive/")).expiration(e -> e.days(30)));
        assertThat(conflicts(early)).containsExactly("cleanup run after 30 days");
        LifecycleCheck.Conflict conflict = LifecycleCheck.conflicts(List.of(early), List.of(RUN), NOW).get(0);
        assertThat(conflict.message()).contains("lifecycle rule 'cleanup'", "prefix 'run-archive/'", "after 30 days", "policy run",
                "P730D", "730 days");
    }

    @Test
    void aRuleAsLongAsTheRetentionOrOnAnotherPrefixOrDisabledDoesNot() {
        assertThat(conflicts(rule("exact", b -> b.filter(f -> f.prefix("run-archive/")).expiration(e -> e.days(730))),
                rule("other", b -> b.filter(f -> f.prefix("logs/")).expiration(e -> e.days(1))),
                rule("sibling", b -> b.filter(f -> f.prefix("run-archive-old/")).expiration(e -> e.days(1))),
                rule("off", b -> b.status(ExpirationStatus.DISABLED).filter(f -> f.prefix("run-archive/")).expiration(e -> e.days(1))),
                rule("uploads", b -> b.filter(f -> f.prefix("")).abortIncompleteMultipartUpload(a -> a.daysAfterInitiation(1)))))
                .isEmpty();
    }

    @Test
    void aWholeBucketRuleATagFilterAWiderOrNarrowerPrefixADateOrNoncurrentVersionsCountToo() {
        assertThat(conflicts(rule("bucket", b -> b.filter(f -> f.prefix("")).expiration(e -> e.days(500))))).containsExactly(
                "bucket run after 500 days");
        assertThat(conflicts(rule("tagged", b -> b.filter(f -> f.tag(t -> t.key("k").value("v"))).expiration(e -> e.days(100)))))
                .containsExactly("tagged run after 100 days", "tagged orders after 100 days");
        assertThat(conflicts(rule("wider", b -> b.filter(f -> f.prefix("run")).expiration(e -> e.days(10))))).containsExactly(
                "wider run after 10 days");
        assertThat(conflicts(rule("narrower", b -> b.filter(f -> f.and(a -> a.prefix("orders-archive/2026"))).expiration(e -> e.days(10)))))
                .containsExactly("narrower orders after 10 days");
        assertThat(conflicts(rule("dated", b -> b.filter(f -> f.prefix("orders-archive/")).expiration(e -> e.date(NOW.plus(Duration.ofDays(399)))))))
                .containsExactly("dated orders on " + NOW.plus(Duration.ofDays(399)));
        assertThat(conflicts(rule("later", b -> b.filter(f -> f.prefix("orders-archive/")).expiration(e -> e.date(NOW.plus(Duration.ofDays(401)))))))
                .isEmpty();
        assertThat(conflicts(rule("versions", b -> b.filter(f -> f.prefix("orders-archive/")).noncurrentVersionExpiration(n -> n.noncurrentDays(7)))))
                .containsExactly("versions orders (noncurrent versions) 7 days after they become noncurrent");
    }

    @Test
    void onlyAnEnabledRuleWithAnExpirationExpiresAnything() {
        assertThat(LifecycleCheck.anyExpires(List.of(rule("uploads", b -> b.filter(f -> f.prefix("")).abortIncompleteMultipartUpload(
                a -> a.daysAfterInitiation(1))), rule("off", b -> b.status(ExpirationStatus.DISABLED).expiration(e -> e.days(1)))))).isFalse();
        assertThat(LifecycleCheck.anyExpires(List.of(rule("days", b -> b.expiration(e -> e.days(1)))))).isTrue();
        assertThat(LifecycleCheck.anyExpires(List.of(rule("versions", b -> b.noncurrentVersionExpiration(n -> n.noncurrentDays(1)))))).isTrue();
    }

    @Test
    void aRetentionOfPartDaysIsRoundedUp() {
        RetainedPrefix hours = new RetainedPrefix("p", "p/", Duration.ofDays(10).plusHours(1));
        assertThat(hours.retentionDays()).isEqualTo(11);
        assertThat(LifecycleCheck.conflicts(List.of(rule("ten", b -> b.filter(f -> f.prefix("p/")).expiration(e -> e.days(10)))), List.of(hours),
                NOW)).hasSize(1);
    }

    @Test
    void theSafetyNetIsOneRulePerPolicyAfterItsRetentionPlusTheMarginKeepingOtherRulesAndReplacingItsOwn() {
        LifecycleRule foreign = rule("logs", b -> b.filter(f -> f.prefix("logs/")).expiration(e -> e.days(7)));
        LifecycleRule stale = rule(LifecycleRules.RULE_ID_PREFIX + "gone", b -> b.filter(f -> f.prefix("gone/")).expiration(e -> e.days(7)));
        List<LifecycleRule> rules = LifecycleRules.withSafetyNet(List.of(foreign, stale), List.of(RUN, ORDERS), Duration.ofDays(30));
        assertThat(rules).extracting(r -> r.id() + " " + LifecycleCheck.prefix(r) + " " + r.expiration().days()).containsExactly(
                "logs logs/ 7", "archiver-safety-net-run run-archive/ 760", "archiver-safety-net-orders orders-archive/ 430");
        assertThat(LifecycleCheck.conflicts(rules, List.of(RUN, ORDERS), NOW)).isEmpty();
    }
}
