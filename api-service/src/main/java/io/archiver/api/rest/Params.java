package io.archiver.api.rest;

import java.time.Instant;
import java.time.format.DateTimeParseException;

import io.archiver.operations.OperationRefused;

/** Query and body values the resources share, each refused naming its field when it cannot be read. */
final class Params {

    private Params() {
    }

    /** An ISO-8601 instant, or null when not given. */
    static Instant instant(String field, String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new OperationRefused(field, "must be an ISO-8601 instant such as 2026-12-01T00:00:00Z, not '" + text + "'");
        }
    }
}
