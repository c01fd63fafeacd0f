package io.archiver.operations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;

import org.junit.jupiter.api.Test;

import io.archiver.events.RestoreRequested;
import io.archiver.events.RestoreRequested.RestoreScope;
import io.archiver.operations.restores.RestoreOrder;
import io.archiver.operations.restores.RestoreRequests;
import io.archiver.policy.PolicySpec;

/** What archivectl restore and the API publish, and what they refuse before publishing, naming the field and the fix. */
class RestoreRequestsTest {

    private static final Instant NOW = Instant.parse("2026-12-06T16:15:00Z");
    private static final PolicySpec RUN = PolicySpec.defaults("run", "run");

    private static RestoreOrder order(String run, String into, boolean intoSource) {
        return new RestoreOrder("run", run, null, null, null, null, null, into, intoSource, false, "archivectl:ops", null);
    }

    @Test
    void aRestoreOfARunIntoAnotherTableIsRequestedWithANewRestoreId() {
        RestoreRequested request = RestoreRequests.request(order("run-1", "run_restored", false), RUN, NOW);
        assertThat(request.runId()).startsWith("restore-20261206T161500Z-");
        assertThat(request.scope()).isEqualTo(RestoreScope.ofRun("run-1"));
        assertThat(request.targetTable()).isEqualTo("run_restored");
        assertThat(request.intoSource()).isFalse();
        assertThat(request.requestedBy()).isEqualTo("archivectl:ops");
    }

    @Test
    void theTargetIsRequiredAndMayBeNoTableThePolicyArchives() {
        assertThatThrownBy(() -> RestoreRequests.request(order("run-1", null, false), RUN, NOW)).isInstanceOf(OperationRefused.class)
                .hasMessageStartingWith("into: is required").hasMessageContaining("--into-source");
        assertThatThrownBy(() -> RestoreRequests.request(order("run-1", "run", false), RUN, NOW)).hasMessageContaining("archived by policy 'run'");
        assertThatThrownBy(() -> RestoreRequests.request(order("run-1", RUN.archiveTable(), false), RUN, NOW))
                .hasMessageContaining("archived by policy 'run'");
        assertThatThrownBy(() -> RestoreRequests.request(order("run-1", "run; drop", false), RUN, NOW)).hasMessageContaining("not a table name");
    }

    @Test
    void restoringIntoTheSourceNeedsThePolicyDisabled() {
        assertThatThrownBy(() -> RestoreRequests.request(order("run-1", null, true), RUN, NOW)).isInstanceOf(OperationRefused.class)
                .satisfies(e -> assertThat(((OperationRefused) e).field()).isEqualTo("intoSource"))
                .hasMessageContaining("archivectl policy disable run");
        RestoreRequested request = RestoreRequests.request(order("run-1", null, true), RUN.withEnabled(false), NOW);
        assertThat(request.targetTable()).isEqualTo("run");
        assertThat(request.intoSource()).isTrue();
    }

    @Test
    void exactlyOneScopeAndAnUnknownPolicyAreRefused() {
        RestoreOrder none = new RestoreOrder("run", null, null, null, null, null, null, "t", false, false, "ops", null);
        assertThatThrownBy(() -> RestoreRequests.request(none, RUN, NOW)).hasMessageStartingWith("scope: name exactly one");
        RestoreOrder two = new RestoreOrder("run", "run-1", "k.csv.gz", null, null, null, null, "t", false, false, "ops", null);
        assertThatThrownBy(() -> RestoreRequests.request(two, RUN, NOW)).hasMessageContaining("(2 given)");
        RestoreOrder halfDates = new RestoreOrder("run", null, null, null, null, NOW, null, "t", false, false, "ops", null);
        assertThatThrownBy(() -> RestoreRequests.request(halfDates, RUN, NOW)).hasMessageStartingWith("to: --from and --to go together");
        assertThatThrownBy(() -> RestoreRequests.request(order("run-1", "t", false), null, NOW)).hasMessageStartingWith("policy: no policy 'run'");
    }
}
