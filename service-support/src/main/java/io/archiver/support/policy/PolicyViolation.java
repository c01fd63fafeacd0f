package io.archiver.support.policy;

/** An event asks for something no policy allows; it is dead-lettered with {@link #reason()}, nothing is touched. */
public final class PolicyViolation extends RuntimeException {

    private final String reason;

    public PolicyViolation(String reason, String detail) {
        super(reason + ": " + detail);
        this.reason = reason;
    }

    public String reason() {
        return reason;
    }
}
