package io.archiver.policy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Function;

/**
 * Where a source's password is: in an environment variable of the service ({@link Kind#ENV}), in a file (a Kubernetes Secret
 * mounted as a volume, {@link Kind#FILE}), or stored encrypted in the control database ({@link Kind#ENCRYPTED}, see
 * {@link SecretBox}). Never the password itself: {@link #toString()} and {@link #describe()} say where it is, and only
 * {@link #resolve} reads it, for the driver.
 */
public record SourcePassword(Kind kind, String reference, String encrypted, String digest) {

    public enum Kind {
        ENV, FILE, ENCRYPTED
    }

    public static SourcePassword env(String variable) {
        return new SourcePassword(Kind.ENV, variable, null, null);
    }

    public static SourcePassword file(String path) {
        return new SourcePassword(Kind.FILE, path, null, null);
    }

    public static SourcePassword encrypted(String encrypted, String digest) {
        return new SourcePassword(Kind.ENCRYPTED, null, encrypted, digest);
    }

    /** What the settings, the history and every listing show: {@code env SHOP_DB_PASSWORD}, {@code file /run/...}, {@code encrypted (digest ...)}. */
    public String describe() {
        return switch (kind) {
            case ENV -> "env " + reference;
            case FILE -> "file " + reference;
            case ENCRYPTED -> "encrypted (digest " + digest + ")";
        };
    }

    @Override
    public String toString() {
        return describe();
    }

    /**
     * The password of {@code source}, read where this says with {@code environment} (the process's, or a test's); a failure names
     * the variable or file, never a value.
     */
    public String resolve(String source, Function<String, String> environment) {
        switch (kind) {
            case ENV -> {
                String value = environment.apply(reference);
                if (value == null) {
                    throw new IllegalStateException("source " + source + ": its password variable $" + reference + " is not set in this"
                            + " process; set it (e.g. from the Secret) where archivectl and the services run");
                }
                return value;
            }
            case FILE -> {
                try {
                    // a Secret file often ends with a newline the password does not have
                    return Files.readString(Path.of(reference)).replaceAll("\\r?\\n$", "");
                } catch (IOException e) {
                    throw new IllegalStateException("source " + source + ": cannot read its password file " + reference + " ("
                            + e.getClass().getSimpleName() + "); mount the Secret there or change password-file");
                }
            }
            default -> {
                return SecretBox.fromEnvironment(environment).decrypt(source, encrypted);
            }
        }
    }
}
