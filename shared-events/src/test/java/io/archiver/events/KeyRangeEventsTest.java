package io.archiver.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Batches of whole keys in events (issue 22, keys): a range of a composite, string or BIGINT UNSIGNED key travels as two JSON
 * arrays of texts and decodes to the same scope; a range of the one-integer key is written and read as before, and an event
 * written before keys existed (no firstKey, no lastKey) still decodes to the same range.
 */
class KeyRangeEventsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static BatchScope compositeScope() {
        return BatchScope.ofKeys("baskets", "basket_position", SampleEvents.CUTOFF, KeyValue.of("42", "7", "2025-06-15"),
                KeyValue.of("18446744073709551615", "-3", "2025-06-16"), ArchiveMode.DELETE, LocalDate.of(2026, 1, 2));
    }

    private static ArchiveBatchReady ready(BatchScope scope) {
        return new ArchiveBatchReady("e-ready", SampleEvents.RUN_ID, SampleEvents.BATCH_ID, SampleEvents.AT, SchemaVersion.CURRENT, scope,
                1_000L);
    }

    @Test
    void aRangeOfACompositeKeyTravelsAsTwoArraysOfTextAndDecodesToTheSameScope() throws IOException {
        byte[] bytes = EventCodec.encode(ready(compositeScope()));

        JsonNode scope = JSON.readTree(bytes).get("scope");
        assertThat(scope.get("firstKey").toString()).isEqualTo("[\"42\",\"7\",\"2025-06-15\"]");
        assertThat(scope.get("lastKey").toString()).isEqualTo("[\"18446744073709551615\",\"-3\",\"2025-06-16\"]");
        BatchScope decoded = EventCodec.decode(bytes, ArchiveBatchReady.class).scope();
        assertThat(decoded).isEqualTo(compositeScope());
        assertThat(decoded.byKeys()).isTrue();
        assertThat(decoded.last().part(0)).isEqualTo("18446744073709551615");
    }

    @Test
    void aRangeOfTheOneIntegerKeyHasNoKeysAndReadsItsIdsAsOnePartKeys() throws IOException {
        BatchScope scope = SampleEvents.scope();
        JsonNode json = JSON.readTree(EventCodec.encode(ready(scope))).get("scope");

        assertThat(json.get("firstId").asLong()).isEqualTo(1_000L);
        assertThat(json.get("firstKey").isNull()).isTrue();
        assertThat(scope.byKeys()).isFalse();
        assertThat(scope.first()).isEqualTo(KeyValue.of("1000"));
        assertThat(scope.last()).isEqualTo(KeyValue.of(1_999L));
    }

    @Test
    void aBatchEventWrittenBeforeKeysExistedStillDecodesToItsIdRange() {
        String old = "{\"type\":\"ArchiveBatchReady\",\"eventId\":\"e-ready\",\"runId\":\"run-20260102-7f3c\",\"batchId\":\"b-1\","
                + "\"occurredAt\":\"2026-01-02T03:04:05.123Z\",\"schemaVersion\":" + SchemaVersion.CURRENT + ",\"scope\":{\"policy\":\"run_60d\","
                + "\"table\":\"run\",\"cutoffEpochMs\":1761955200000,\"firstId\":1000,\"lastId\":1999,\"mode\":\"MOVE\",\"runDate\":\"2026-01-02\"},"
                + "\"expectedRows\":1000}";

        BatchScope scope = EventCodec.decode(old.getBytes(StandardCharsets.UTF_8), ArchiveBatchReady.class).scope();

        assertThat(scope).isEqualTo(SampleEvents.scope());
        assertThat(scope.first()).isEqualTo(KeyValue.of(1_000L));
    }

    @Test
    void aRangeWithOneEndOnlyOrIdsBesideItsKeysOrANumberForAKeyPartIsRefusedNamingTheField() {
        String base = new String(EventCodec.encode(ready(compositeScope())), StandardCharsets.UTF_8);

        assertRejected(base.replace("\"lastKey\":[\"18446744073709551615\",\"-3\",\"2025-06-16\"]", "\"lastKey\":null"), "scope.lastKey");
        assertRejected(base.replace("\"firstId\":0", "\"firstId\":5"), "scope.firstId");
        assertRejected(base.replace("\"18446744073709551615\"", "18446744073709551615"), "scope.lastKey");
        assertRejected(base.replace("[\"42\",\"7\",\"2025-06-15\"]", "[\"42\",\"7\"]"), "scope.lastKey");
    }

    private static void assertRejected(String json, String field) {
        assertThatThrownBy(() -> EventCodec.decode(json.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOfSatisfying(EventDecodingException.class, e -> assertThat(e.getMessage()).contains(field));
    }
}
