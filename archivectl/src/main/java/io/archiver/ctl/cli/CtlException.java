package io.archiver.ctl.cli;

/** The command ran and failed (a server refused, a run failed, a wait timed out): exit code 1, with this message. */
public final class CtlException extends RuntimeException {

    public CtlException(String message) {
        super(message);
    }

    public CtlException(String message, Throwable cause) {
        super(message, cause);
    }
}
