package io.archiver.operations.audit;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One record of the audit trail: when ({@code at}, ISO-8601 UTC), who, what action, on which policy, table, run and batch, how many
 * rows, which objects ({@code objectKeys}, a JSON array) and their digests (a JSON object); a value that is not JSON is kept as text.
 */
public record AuditEntry(long id, String at, String actor, String action, String policy, String table, String runId, String batchId,
        long rows, JsonNode objectKeys, JsonNode digests, String detail) {
}
