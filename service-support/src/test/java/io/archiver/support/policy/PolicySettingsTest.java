package io.archiver.support.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.OptionalLong;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.archiver.events.ArchiveMode;
import io.archiver.events.BatchScope;

/** Policy settings: the defaults, their validation, the fingerprint of what a policy archives. */
class PolicySettingsTest {

    @Test
    void defaultsInCodeAreTheStoredPoliciesDefaults() {
        assertThat(PolicySettings.of(io.archiver.policy.PolicySpec.defaults("run", "run"))).isEqualTo(PolicySettings.defaults("run"));
        assertThat(PolicySettings.defaults("run").maxRowsPerRun()).as("max-rows-per-run: no limit by default").isEmpty();
    }

    @Test
    void theFingerprintChangesWithWhatIsArchivedNotWithHowItIsBatched() {
        PolicySettings policy = PolicySettings.defaults("run");
        String fingerprint = PolicyFingerprint.of(policy);
        assertThat(fingerprint).matches("[0-9a-f]{64}").isEqualTo(PolicyFingerprint.of(PolicySettings.defaults("run")));
        assertThat(PolicyFingerprint.of(policy.withBatchSize(500))).isEqualTo(fingerprint);
        assertThat(PolicyFingerprint.of(policy.withLimits(1, OptionalLong.of(5), true))).isEqualTo(fingerprint);
        assertThat(PolicyFingerprint.of(policy.withDateColumn("created_at", DateKind.EPOCH_MILLIS))).isNotEqualTo(fingerprint);
        assertThat(PolicyFingerprint.of(policy.withDateColumn("msg_sent_date", DateKind.EPOCH_SECONDS))).isNotEqualTo(fingerprint);
        assertThat(PolicyFingerprint.of(PolicySettings.defaults("events"))).isNotEqualTo(fingerprint);
        assertThat(PolicyFingerprint.of(policy.withSource("shop"))).isNotEqualTo(fingerprint);
        String before = "table=run\nid-column=id\ndate-column=msg_sent_date\ndate-kind=EPOCH_MILLIS\nmin-age=PT1440H\nmode=DELETE\n"
                + "archive-table=run_archive\n";
        assertThat(fingerprint).as("a policy of the control database keeps the fingerprint it had before sources").isEqualTo(sha256(before));
    }

    @Test
    void theGuardRefusesAPolicyWithLimitsOutOfRangeNamingTheSetting() {
        long cutoff = Instant.now().minus(Duration.ofDays(61)).toEpochMilli();
        BatchScope scope = new BatchScope("run", "run", cutoff, 1, 2, ArchiveMode.DELETE, LocalDate.now(ZoneOffset.UTC));
        assertThatThrownBy(() -> guard(PolicySettings.defaults("run").withLimits(0, OptionalLong.empty(), false)).check(scope))
                .isInstanceOf(PolicyViolation.class).hasMessageContaining("policies.run.max-share-per-run").hasMessageContaining("not 0.0");
        assertThatThrownBy(() -> guard(PolicySettings.defaults("run").withLimits(1.5, OptionalLong.empty(), false)).check(scope))
                .hasMessageContaining("max-share-per-run");
        assertThatThrownBy(() -> guard(PolicySettings.defaults("run").withLimits(0.5, OptionalLong.of(0), false)).check(scope))
                .hasMessageContaining("policies.run.max-rows-per-run must be at least 1");
        guard(PolicySettings.defaults("run").withLimits(1, OptionalLong.of(1), true)).check(scope);
    }

    @Test
    void aPolicyNotYetInTheLastRefreshIsReadAfreshBeforeItsEventIsRefused() {
        long cutoff = Instant.now().minus(Duration.ofDays(61)).toEpochMilli();
        BatchScope scope = new BatchScope("run", "run", cutoff, 1, 2, ArchiveMode.DELETE, LocalDate.now(ZoneOffset.UTC));
        ArchivePolicies appliedSince = new ArchivePolicies() {
            @Override
            public Map<String, Policy> all() {
                return Map.of(); // the last refresh, from before policy apply
            }

            @Override
            public ArchivePolicies fresh() {
                return () -> Map.of("run", PolicySettings.defaults("run"));
            }
        };
        assertThat(new PolicyGuard(appliedSince).check(scope).table()).isEqualTo("run");
        ArchivePolicies neverApplied = () -> Map.of();
        assertThatThrownBy(() -> new PolicyGuard(neverApplied).check(scope)).isInstanceOfSatisfying(PolicyViolation.class,
                e -> assertThat(e.reason()).isEqualTo("UNKNOWN_POLICY"));
    }

    @Test
    void aDisabledPolicyStartsNoRunButItsBatchesInFlightFinish() {
        long cutoff = Instant.now().minus(Duration.ofDays(61)).toEpochMilli();
        BatchScope scope = new BatchScope("run", "run", cutoff, 1, 2, ArchiveMode.DELETE, LocalDate.now(ZoneOffset.UTC));
        PolicyGuard disabled = new PolicyGuard(new ArchivePolicies() {
            @Override
            public Map<String, Policy> all() {
                return Map.of("run", PolicySettings.defaults("run"));
            }

            @Override
            public boolean enabled(String name) {
                return false;
            }
        });
        assertThatThrownBy(() -> disabled.checkRequest("run", "run", cutoff, ArchiveMode.DELETE)).isInstanceOfSatisfying(
                PolicyViolation.class, e -> assertThat(e.reason()).isEqualTo("POLICY_DISABLED"));
        assertThat(disabled.check(scope).table()).isEqualTo("run");
    }

    @ParameterizedTest
    @EnumSource(DateKind.class)
    void aBatchOfAPolicyOfEveryDateKindIsHandled(DateKind kind) {
        long cutoff = Instant.now().minus(Duration.ofDays(61)).toEpochMilli();
        BatchScope scope = new BatchScope("run", "run", cutoff, 1, 2, ArchiveMode.DELETE, LocalDate.now(ZoneOffset.UTC));
        PolicyGuard dates = guard(PolicySettings.defaults("run").withDateColumn("delivered_on", kind));
        assertThat(dates.check(scope).dateKind()).isEqualTo(kind);
    }

    @Test
    void noServiceReadsOrDeletesABatchOfKeysOfAnotherNumberOfColumnsThanThePolicysKey() {
        long cutoff = Instant.now().minus(Duration.ofDays(61)).toEpochMilli();
        BatchScope scope = BatchScope.ofKeys("run", "run", cutoff, io.archiver.events.KeyValue.of("1", "7"), io.archiver.events.KeyValue.of("2", "7"),
                ArchiveMode.DELETE, LocalDate.now(ZoneOffset.UTC));

        assertThatThrownBy(() -> guard(PolicySettings.defaults("run")).check(scope)).isInstanceOf(PolicyViolation.class)
                .hasMessageContaining("range of keys of 2 parts [\"1\",\"7\"]..[\"2\",\"7\"]").hasMessageContaining("has the key [id]");
        assertThat(guard(PolicySettings.defaults("run").withKey("id", "line")).check(scope).key()).containsExactly("id", "line");
        assertThat(guard(PolicySettings.defaults("run")).check(new BatchScope("run", "run", cutoff, 1, 2, ArchiveMode.DELETE,
                LocalDate.now(ZoneOffset.UTC))).idColumn()).isEqualTo("id");
    }

    @Test
    void aPolicyOfAnotherSourceIsCheckedAsAnyOtherAndKeepsItsSource() {
        long cutoff = Instant.now().minus(Duration.ofDays(61)).toEpochMilli();
        BatchScope scope = new BatchScope("run", "run", cutoff, 1, 2, ArchiveMode.DELETE, LocalDate.now(ZoneOffset.UTC));
        PolicyGuard shop = guard(PolicySettings.defaults("run").withSource("shop"));
        assertThat(shop.check(scope).source()).isEqualTo("shop");
        BatchScope otherTable = new BatchScope("run", "orders", cutoff, 1, 2, ArchiveMode.DELETE, LocalDate.now(ZoneOffset.UTC));
        assertThatThrownBy(() -> shop.check(otherTable)).isInstanceOfSatisfying(PolicyViolation.class,
                e -> assertThat(e.reason()).isEqualTo("TABLE_NOT_IN_POLICY"));
        assertThat(PolicySettings.of(io.archiver.policy.PolicyFile.parse("f", "policies: {run: {table: run, source: shop}}").get(0)).source())
                .isEqualTo("shop");
    }

    private static String sha256(String text) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static PolicyGuard guard(PolicySettings policy) {
        return new PolicyGuard(() -> Map.of("run", policy));
    }
}
