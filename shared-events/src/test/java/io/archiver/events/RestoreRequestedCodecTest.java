package io.archiver.events;

import static io.archiver.events.EventCodecTest.assertRejected;
import static io.archiver.events.EventCodecTest.tampered;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.archiver.events.EventDecodingException.Reason;
import io.archiver.events.RestoreRequested.RestoreScope;

/** RestoreRequested's JSON form: a round trip of each scope, its key, and a scope that names none or two kinds refused by field. */
class RestoreRequestedCodecTest {

    @Test
    void everyScopeRoundTripsAndTheEventIsKeyedByTheRestoreId() {
        for (RestoreScope scope : new RestoreScope[] { RestoreScope.ofRun("run-1"), RestoreScope.ofObject("run-archive/x.csv.gz"),
                RestoreScope.ofKeys("10", "20"), RestoreScope.ofDates(Instant.parse("2025-01-01T00:00:00Z"), Instant.parse("2025-01-02T00:00:00Z")) }) {
            RestoreRequested event = RestoreRequested.of("restore-1", "run", scope, "run_restored", false, true, "archivectl:ops");
            assertThat(EventCodec.decode(EventCodec.encode(event), RestoreRequested.class)).isEqualTo(event);
            assertThat(event.key()).isEqualTo("restore-1");
        }
        assertThat(EventCodec.encodeToString(SampleEvents.restoreOfDatesIntoSource())).contains("\"type\":\"RestoreRequested\"")
                .contains("\"dateFrom\":\"2025-10-01T00:00:00Z\"").contains("\"intoSource\":true");
    }

    @Test
    void aScopeWithNoKindOrTwoKindsIsRejectedNamingTheScope() {
        byte[] none = tampered(SampleEvents.restoreOfRun(), json -> ((ObjectNode) json.get("scope")).putNull("run"));
        assertThat(assertRejected(none, Reason.INVALID_FIELD, "scope").getMessage()).contains("exactly one");
        byte[] two = tampered(SampleEvents.restoreOfRun(), json -> ((ObjectNode) json.get("scope")).put("objectKey", "k.csv.gz"));
        assertRejected(two, Reason.INVALID_FIELD, "scope");
        byte[] halfRange = tampered(SampleEvents.restoreOfRun(), json -> ((ObjectNode) json.get("scope")).putNull("run").put("keyFrom", "1"));
        assertRejected(halfRange, Reason.INVALID_FIELD, "scope.keyFrom");
        assertThatThrownBy(() -> RestoreScope.ofDates(Instant.parse("2025-01-02T00:00:00Z"), Instant.parse("2025-01-01T00:00:00Z")))
                .hasMessageContaining("scope.dateFrom must be before scope.dateTo");
    }

    @Test
    void aTargetThatIsNoIdentifierIsRejected() {
        byte[] bytes = tampered(SampleEvents.restoreOfRun(), json -> json.put("targetTable", "run; DROP TABLE run"));
        assertRejected(bytes, Reason.INVALID_FIELD, "targetTable");
    }
}
