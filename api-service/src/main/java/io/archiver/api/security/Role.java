package io.archiver.api.security;

import io.archiver.operations.tokens.Roles;

/**
 * The role names for {@code @RolesAllowed}, as compile-time constants (an annotation cannot name an enum's label). A token
 * carries its role and every lower one ({@link Roles#groups()}), so an endpoint names only its lowest role. RoleTableTest
 * holds these to {@link Roles}.
 */
public final class Role {

    public static final String VIEWER = "viewer";
    public static final String OPERATOR = "operator";
    public static final String ADMIN = "admin";

    private Role() {
    }
}
