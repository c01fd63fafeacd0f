package io.archiver.support.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Method;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.OptionalLong;

import org.junit.jupiter.api.Test;

import io.archiver.events.ArchiveMode;
import io.archiver.events.BatchScope;
import io.smallrye.config.WithDefault;

/** Policy settings: the defaults, their validation, the fingerprint of what a policy archives. */
class PolicySettingsTest {

    @Test
    void defaultsInCodeAreTheConfigurationsDefaults() throws Exception {
        PolicySettings defaults = PolicySettings.defaults("run");
        int compared = 0;
        for (Method setting : ArchivePolicies.Policy.class.getDeclaredMethods()) {
            WithDefault declared = setting.getAnnotation(WithDefault.class);
            if (declared == null) {
                continue;
            }
            Object value = setting.invoke(defaults);
            String expected = value instanceof Duration d ? d.equals(Duration.parse(declared.value())) ? declared.value() : d.toString()
                    : String.valueOf(value);
            assertThat(expected).as(setting.getName()).isEqualTo(declared.value());
            compared++;
        }
        assertThat(compared).isGreaterThanOrEqualTo(10);
        assertThat(defaults.maxRowsPerRun()).as("max-rows-per-run: no limit by default").isEmpty();
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
    }

    @Test
    void theGuardRefusesToStartWithLimitsOutOfRangeNamingTheSetting() {
        assertThatThrownBy(() -> guard(PolicySettings.defaults("run").withLimits(0, OptionalLong.empty(), false)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("archiver.policies.run.max-share-per-run")
                .hasMessageContaining("not 0.0");
        assertThatThrownBy(() -> guard(PolicySettings.defaults("run").withLimits(1.5, OptionalLong.empty(), false)))
                .hasMessageContaining("max-share-per-run");
        assertThatThrownBy(() -> guard(PolicySettings.defaults("run").withLimits(0.5, OptionalLong.of(0), false)))
                .hasMessageContaining("archiver.policies.run.max-rows-per-run must be at least 1");
        guard(PolicySettings.defaults("run").withLimits(1, OptionalLong.of(1), true));
    }

    @Test
    void noServiceHandlesABatchOfAPolicyWhoseDateKindIsNotArchivedYet() {
        long cutoff = Instant.now().minus(Duration.ofDays(61)).toEpochMilli();
        BatchScope scope = new BatchScope("run", "run", cutoff, 1, 2, ArchiveMode.DELETE, LocalDate.now(ZoneOffset.UTC));
        assertThat(guard(PolicySettings.defaults("run")).check(scope).table()).isEqualTo("run");
        PolicyGuard dates = guard(PolicySettings.defaults("run").withDateColumn("delivered_on", DateKind.DATE));
        assertThatThrownBy(() -> dates.check(scope)).isInstanceOfSatisfying(PolicyViolation.class,
                e -> assertThat(e.reason()).isEqualTo("DATE_KIND_NOT_SUPPORTED"));
    }

    private static PolicyGuard guard(PolicySettings policy) {
        return new PolicyGuard(() -> Map.of("run", policy));
    }
}
