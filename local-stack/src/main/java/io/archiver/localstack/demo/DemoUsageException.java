package io.archiver.localstack.demo;

/** Arguments or environment the demo refuses, with what to do instead: printed, exit code 2, nothing started. */
public final class DemoUsageException extends RuntimeException {

    public DemoUsageException(String message) {
        super(message);
    }
}
