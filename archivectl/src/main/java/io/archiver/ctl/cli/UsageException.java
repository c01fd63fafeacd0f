package io.archiver.ctl.cli;

/** The command line asks for something that cannot be done as asked: exit code 2, with the command's usage hint. */
public final class UsageException extends RuntimeException {

    public UsageException(String message) {
        super(message);
    }
}
