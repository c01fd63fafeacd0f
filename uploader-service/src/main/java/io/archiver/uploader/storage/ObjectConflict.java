package io.archiver.uploader.storage;

/** The key already holds other bytes: it is never overwritten (promise 6). */
public final class ObjectConflict extends RuntimeException {
    public ObjectConflict(String message) {
        super(message);
    }
}
