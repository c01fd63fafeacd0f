package io.archiver.events;

/** Thrown by an event's constructor when a field is missing or out of range; never a half-built event. */
public final class EventValidationException extends IllegalArgumentException {

    private final EventDecodingException.Reason reason;
    private final String field;

    EventValidationException(EventDecodingException.Reason reason, String field, String message) {
        super(message);
        this.reason = reason;
        this.field = field;
    }

    public EventDecodingException.Reason reason() {
        return reason;
    }

    public String field() {
        return field;
    }
}
