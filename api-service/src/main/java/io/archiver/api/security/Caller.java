package io.archiver.api.security;

import jakarta.enterprise.context.RequestScoped;

import org.eclipse.microprofile.jwt.JsonWebToken;

/** Who calls, from the verified token: {@code api:<name>} becomes {@code requestedBy} on every event published and the actor of every change. */
@RequestScoped
public class Caller {

    private final JsonWebToken token;

    public Caller(JsonWebToken token) {
        this.token = token;
    }

    public String requestedBy() {
        String name = token.getName();
        return "api:" + (name == null || name.isBlank() ? "unknown" : name);
    }
}
