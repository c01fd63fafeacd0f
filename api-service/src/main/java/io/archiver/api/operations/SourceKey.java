package io.archiver.api.operations;

import java.util.Optional;

import io.smallrye.config.ConfigMapping;

/**
 * The key source passwords are kept encrypted with ({@code ARCHIVER_SOURCE_KEY}, base64 of 16, 24 or 32 bytes), the same as the
 * services' and archivectl's: the API encrypts a password sent with a source, and decrypts a stored one to check the source
 * answers. Without it a source may still name its password's variable or file.
 */
@ConfigMapping(prefix = "archiver.source")
public interface SourceKey {

    /** {@code archiver.source.key}: ARCHIVER_SOURCE_KEY in the environment. */
    Optional<String> key();
}
