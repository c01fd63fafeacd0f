package io.archiver.api.operations;

import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;

import io.archiver.policy.SecretBox;

/**
 * Where the API reads what a source names, as archivectl reads its own environment: a password variable from the process's
 * environment, the source key from the configuration ({@link SourceKey}, which {@code ARCHIVER_SOURCE_KEY} sets).
 */
@ApplicationScoped
public class SourceEnvironment implements Function<String, String> {

    private final SourceKey key;

    public SourceEnvironment(SourceKey key) {
        this.key = key;
    }

    @Override
    public String apply(String name) {
        return SecretBox.KEY_VARIABLE.equals(name) ? key.key().orElse(null) : System.getenv(name);
    }
}
