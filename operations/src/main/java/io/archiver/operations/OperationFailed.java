package io.archiver.operations;

/** An operation could not be carried out: a server refused or did not answer. The message says which and why, never a credential. */
public class OperationFailed extends RuntimeException {

    public OperationFailed(String message) {
        super(message);
    }

    public OperationFailed(String message, Throwable cause) {
        super(message, cause);
    }
}
