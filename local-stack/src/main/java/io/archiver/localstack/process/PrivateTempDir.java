package io.archiver.localstack.process;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import io.archiver.localstack.LocalStack;

/**
 * A directory of its own under the system temp dir ({@code java.io.tmpdir}, {@code /tmp} by default) that only this
 * user may enter (mode 700), for the files whose path length is limited, such as a unix socket (107 bytes), which a
 * work dir in a deep clone exceeds. {@link #close()} removes it with whatever is left in it.
 */
public final class PrivateTempDir implements AutoCloseable {

    private final Path path;

    private PrivateTempDir(Path path) {
        this.path = path;
    }

    /** Creates {@code <java.io.tmpdir>/<prefix><random>}, readable and writable by this user only. */
    public static PrivateTempDir create(String prefix) {
        try {
            return new PrivateTempDir(Files.createTempDirectory(prefix, PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rwx------"))));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a private directory under " + System.getProperty("java.io.tmpdir")
                    + " (-Djava.io.tmpdir)", e);
        }
    }

    public Path path() {
        return path;
    }

    @Override
    public void close() {
        LocalStack.deleteRecursively(path);
    }
}
