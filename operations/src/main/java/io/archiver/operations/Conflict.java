package io.archiver.operations;

/** An operation cannot be done in the state things are in now (a consumer group still consuming, say); the message says what to do. */
public class Conflict extends OperationFailed {

    public Conflict(String message) {
        super(message);
    }
}
