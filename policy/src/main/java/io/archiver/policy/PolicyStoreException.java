package io.archiver.policy;

/** The control database could not be read or written; nothing was changed. */
public class PolicyStoreException extends RuntimeException {

    public PolicyStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
