package io.archiver.operations;

/** What an operation names (a run, a policy) does not exist. */
public class NotFound extends OperationFailed {

    public NotFound(String message) {
        super(message);
    }
}
