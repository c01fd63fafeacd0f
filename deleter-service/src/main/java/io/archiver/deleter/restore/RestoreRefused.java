package io.archiver.deleter.restore;

/**
 * A restore that must not go on, with a reason code and a message naming what is at fault and the fix: recorded as the
 * restore's error (state FAILED), never retried, since a retry would meet the same refusal.
 */
public final class RestoreRefused extends RuntimeException {

    private final String reason;

    public RestoreRefused(String reason, String detail) {
        super(reason + ": " + detail);
        this.reason = reason;
    }

    public String reason() {
        return reason;
    }
}
