package io.archiver.events;

/**
 * A record on a topic that is not a valid event of this build. The {@link #reason()} says which
 * rule it broke; the message is written for an operator reading a dead-letter header.
 */
public final class EventDecodingException extends RuntimeException {

    /** Why a record could not be decoded. The names travel in dead-letter headers: keep them stable. */
    public enum Reason {
        /** Not JSON, or not a JSON object. */
        MALFORMED_JSON,
        /** Larger than {@link EventCodec#MAX_EVENT_BYTES}. */
        TOO_LARGE,
        /** The {@code type} field is missing or names no known event. */
        UNKNOWN_TYPE,
        /** A valid event of another type than the topic carries. */
        UNEXPECTED_TYPE,
        /** The {@code schemaVersion} is missing or not one this build reads. */
        UNSUPPORTED_SCHEMA_VERSION,
        /** A required field is absent or null. */
        MISSING_FIELD,
        /** A field is present but of the wrong JSON type or outside its range. */
        INVALID_FIELD
    }

    private final Reason reason;
    private final String field;

    public EventDecodingException(Reason reason, String field, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
        this.field = field;
    }

    public EventDecodingException(Reason reason, String message) {
        this(reason, null, message, null);
    }

    public Reason reason() {
        return reason;
    }

    /** The offending field, where one is to blame. */
    public String field() {
        return field;
    }
}
