package io.archiver.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;

import org.junit.jupiter.api.Test;

import io.archiver.api.security.Role;
import io.archiver.operations.tokens.Roles;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/**
 * Promise 10 for every endpoint, from a table generated from the code: each JAX-RS method of the API's resources must name its
 * role with {@code @RolesAllowed} (a new endpoint without one fails here), and answers 401 without a token (or with a foreign or
 * expired one), 403 with a token of the role below its own, and neither with a token of its role.
 */
@QuarkusTest
@TestProfile(ApiTestProfile.class)
class RoleTableTest {

    private static final String REST_PACKAGE = "io.archiver.api.rest";

    /** One endpoint: verb, path (parameters filled with a name nothing has), the lowest role it allows. */
    record Endpoint(String verb, String path, Roles role, String consumes, String method) {
        @Override
        public String toString() {
            return verb + " " + path + " (" + method + ", " + role.label() + ")";
        }
    }

    @Test
    void theRoleNamesAreTheTokensRoles() {
        assertThat(List.of(Role.VIEWER, Role.OPERATOR, Role.ADMIN)).isEqualTo(Arrays.stream(Roles.values()).map(Roles::label).toList());
    }

    @Test
    void everyEndpointHasARoleRule() throws Exception {
        List<String> without = new ArrayList<>();
        for (Class<?> resource : resources()) {
            for (Method method : resource.getDeclaredMethods()) {
                if (verb(method) != null && rolesOf(resource, method) == null) {
                    without.add(resource.getSimpleName() + "." + method.getName());
                }
            }
        }
        assertThat(without).as("endpoints without @RolesAllowed").isEmpty();
        assertThat(endpoints()).as("the table finds the endpoints").hasSizeGreaterThanOrEqualTo(12);
        // issue 24's endpoints, each with its role
        assertThat(endpoints()).extracting(e -> e.verb() + " " + e.path() + " " + e.role().label()).contains(
                "POST /api/v1/restores operator", "GET /api/v1/restores viewer", "GET /api/v1/restores/no-such-thing viewer",
                "GET /api/v1/holds viewer", "POST /api/v1/holds admin", "POST /api/v1/holds/no-such-thing/release admin",
                "POST /api/v1/purge admin", "GET /api/v1/archive/find viewer", "GET /api/v1/archive/objects/no-such-thing viewer");
    }

    @Test
    void everyEndpointRefusesWithoutATokenAndBelowItsRoleAndServesItsRole() throws Exception {
        List<String> wrong = new ArrayList<>();
        for (Endpoint endpoint : endpoints()) {
            expect(wrong, endpoint, "no token", call(endpoint, null), 401);
            expect(wrong, endpoint, "foreign key", call(endpoint, TestTokens.foreignToken("mallory", Roles.ADMIN)), 401);
            expect(wrong, endpoint, "expired", call(endpoint, TestTokens.expiredToken("eve", Roles.ADMIN)), 401);
            if (endpoint.role().ordinal() > 0) {
                Roles below = Roles.values()[endpoint.role().ordinal() - 1];
                expect(wrong, endpoint, below.label(), call(endpoint, TestTokens.token("low-" + below.label(), below)), 403);
            }
            Response allowed = call(endpoint, TestTokens.token("with-" + endpoint.role().label(), endpoint.role()));
            if (allowed.statusCode() == 401 || allowed.statusCode() == 403 || allowed.statusCode() >= 500) {
                wrong.add(endpoint + " with its role: " + allowed.statusCode() + " " + allowed.asString());
            }
            // an error never carries the token back
            assertThat(allowed.asString()).doesNotContain("eyJ");
        }
        assertThat(wrong).isEmpty();
    }

    private static void expect(List<String> wrong, Endpoint endpoint, String with, Response response, int status) {
        if (response.statusCode() != status) {
            wrong.add(endpoint + " with " + with + ": " + response.statusCode() + " instead of " + status);
        }
    }

    private static Response call(Endpoint endpoint, String token) {
        RequestSpecification request = given().redirects().follow(false);
        if (token != null) {
            request = request.header("Authorization", "Bearer " + token);
        }
        if (endpoint.consumes() != null) {
            request = request.contentType(endpoint.consumes()).body(endpoint.consumes().contains("json") ? "{}" : "");
        }
        return request.request(endpoint.verb(), endpoint.path());
    }

    /** The table: every JAX-RS method of the resources, with its lowest allowed role. */
    static List<Endpoint> endpoints() throws Exception {
        List<Endpoint> endpoints = new ArrayList<>();
        for (Class<?> resource : resources()) {
            jakarta.ws.rs.Path base = resource.getAnnotation(jakarta.ws.rs.Path.class);
            for (Method method : resource.getDeclaredMethods()) {
                String verb = verb(method);
                String[] roles = rolesOf(resource, method);
                if (verb == null || roles == null) {
                    continue;
                }
                jakarta.ws.rs.Path sub = method.getAnnotation(jakarta.ws.rs.Path.class);
                String path = (base == null ? "" : base.value()) + (sub == null ? "" : "/" + sub.value());
                path = path.replaceAll("\\{[^}]+}", "no-such-thing").replaceAll("/+", "/");
                Roles lowest = Arrays.stream(roles).map(Roles::of).min(Comparator.naturalOrder()).orElseThrow();
                Consumes consumes = method.getAnnotation(Consumes.class);
                endpoints.add(new Endpoint(verb, path, lowest, consumes == null ? null : consumes.value()[0],
                        resource.getSimpleName() + "." + method.getName()));
            }
        }
        endpoints.sort(Comparator.comparing(Endpoint::path).thenComparing(Endpoint::verb));
        return endpoints;
    }

    private static String[] rolesOf(Class<?> resource, Method method) {
        RolesAllowed rule = method.getAnnotation(RolesAllowed.class);
        if (rule == null) {
            rule = resource.getAnnotation(RolesAllowed.class);
        }
        return rule == null ? null : rule.value();
    }

    private static String verb(Method method) {
        for (Class<? extends Annotation> verb : List.of(GET.class, POST.class, PUT.class, DELETE.class, PATCH.class)) {
            if (method.isAnnotationPresent(verb)) {
                return verb.getSimpleName();
            }
        }
        return null;
    }

    /** The classes of the resource package, found in the build's output, so that a new resource joins the table by itself. */
    static List<Class<?>> resources() throws IOException, URISyntaxException, ClassNotFoundException {
        URL folder = RoleTableTest.class.getClassLoader().getResource(REST_PACKAGE.replace('.', '/'));
        assertThat(folder).as("the resource package on the class path").isNotNull();
        List<Class<?>> classes = new ArrayList<>();
        try (Stream<Path> files = Files.list(Path.of(folder.toURI()))) {
            for (Path file : files.sorted().toList()) {
                String name = file.getFileName().toString();
                if (name.endsWith(".class") && !name.contains("$")) {
                    Class<?> type = Class.forName(REST_PACKAGE + "." + name.substring(0, name.length() - ".class".length()));
                    if (type.isAnnotationPresent(jakarta.ws.rs.Path.class)) {
                        classes.add(type);
                    }
                }
            }
        }
        return classes;
    }
}
