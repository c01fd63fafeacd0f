package io.archiver.objectstore;

/**
 * The bytes read back from S3 do not match the checksum S3 announced for them: the object (or the
 * path to it) is corrupt. Never a transient condition to retry into success; the caller reports it.
 */
public final class ObjectReadMismatch extends RuntimeException {
    public ObjectReadMismatch(String message, Throwable cause) {
        super(message, cause);
    }
}
