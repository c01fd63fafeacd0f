package io.archiver.operations.tokens;

import java.util.List;

/**
 * The operator roles, lowest first. Each includes the ones below it: a token of a role carries it and every lower one as its
 * groups, so that an endpoint allows exactly the roles at or above its own.
 */
public enum Roles {
    /** Reads runs, batches, events, policies, dead letters. */
    VIEWER,
    /** Triggers and confirms runs, replays dead letters. */
    OPERATOR,
    /** Changes policies. */
    ADMIN;

    /** The name in a token's groups and in {@code @RolesAllowed}. */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** This role and every lower one: a token's groups. */
    public List<String> groups() {
        return java.util.Arrays.stream(values()).filter(r -> r.ordinal() <= ordinal()).map(Roles::label).toList();
    }

    public static Roles of(String label) {
        for (Roles role : values()) {
            if (role.label().equals(label)) {
                return role;
            }
        }
        throw new io.archiver.operations.OperationRefused("role", "must be viewer, operator or admin, not '" + label + "'");
    }
}
