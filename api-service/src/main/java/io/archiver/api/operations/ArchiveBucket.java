package io.archiver.api.operations;

import jakarta.enterprise.context.ApplicationScoped;

import io.archiver.objectstore.ArchiveReader;
import io.archiver.objectstore.ObjectStore;

/**
 * The archive bucket as the API reads and changes it: the same {@link ObjectStore} the services use (settings under
 * {@code archiver.s3.*} and {@code quarkus.s3.*}, docs/api.md), for archive find and download, holds' S3 legal holds and purge.
 */
@ApplicationScoped
public class ArchiveBucket {

    private final ObjectStore store;

    public ArchiveBucket(ObjectStore store) {
        this.store = store;
    }

    public ObjectStore store() {
        return store;
    }

    public ArchiveReader reader() {
        return new ArchiveReader(store);
    }
}
