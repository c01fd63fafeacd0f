package io.archiver.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.startsWith;

import java.net.URI;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import io.archiver.ledger.LedgerSql;
import io.archiver.operations.tokens.Roles;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;

/**
 * Sources and the audit trail over the API on the real MariaDB of the local stack: an admin applies a source whose password is
 * sent with it, checked by logging in to it, and no answer ever holds that password (promise 10); a source that does not answer,
 * or a document that names an unknown setting, is refused naming it with nothing stored; viewers page through the audit trail
 * by policy and time.
 */
@QuarkusTest
@TestProfile(ApiTestProfile.class)
class SourceAuditApiTest {

    @Inject
    DataSource dataSource;

    @ConfigProperty(name = "quarkus.datasource.jdbc.url")
    String jdbcUrl;

    @ConfigProperty(name = "quarkus.datasource.username")
    String user;

    @ConfigProperty(name = "quarkus.datasource.password")
    String password;

    @Test
    void aSourceAppliedWithItsPasswordIsStoredEncryptedAndNeverShown() {
        String name = "shop-" + UUID.randomUUID().toString().substring(0, 8);
        List<String> bodies = new ArrayList<>();
        Map<String, Object> source = source(password);
        Response dry = given().header("Authorization", bearer("ann", Roles.ADMIN)).contentType("application/json")
                .body(Map.of("sources", Map.of(name, source))).post("/api/v1/sources?dryRun=true");
        dry.then().statusCode(200).body("dryRun", equalTo(true)).body("changes[0].source", equalTo(name));
        bodies.add(dry.asString());
        given().header("Authorization", bearer("vic", Roles.VIEWER)).get("/api/v1/sources/" + name).then().statusCode(404)
                .contentType("application/problem+json");

        Response applied = given().header("Authorization", bearer("ann", Roles.ADMIN)).contentType("application/json")
                .body(Map.of("sources", Map.of(name, source))).post("/api/v1/sources");
        applied.then().statusCode(200).body("dryRun", equalTo(false)).body("changes[0].kind", equalTo("CREATE"));
        bodies.add(applied.asString());

        Response shown = given().header("Authorization", bearer("vic", Roles.VIEWER)).get("/api/v1/sources/" + name);
        shown.then().statusCode(200).body("settings.user", equalTo(user)).body("settings.password", startsWith("encrypted (digest "))
                .body("updatedBy", equalTo("api:ann")).body("version", equalTo(1));
        bodies.add(shown.asString());
        Response listed = given().header("Authorization", bearer("vic", Roles.VIEWER)).get("/api/v1/sources?limit=200");
        listed.then().statusCode(200).body("items.name", hasItem(name));
        bodies.add(listed.asString());
        Response history = given().header("Authorization", bearer("vic", Roles.VIEWER)).get("/api/v1/sources/" + name + "/history");
        history.then().statusCode(200).body("[0].actor", equalTo("api:ann"));
        bodies.add(history.asString());
        Response disabled = given().header("Authorization", bearer("ann", Roles.ADMIN)).post("/api/v1/sources/" + name + "/disable");
        disabled.then().statusCode(200).body("changes[0].source", equalTo(name));
        bodies.add(disabled.asString());

        assertThat(bodies).as("no answer holds the password").noneMatch(body -> body.contains(password));
        assertThat(stored(name)).as("the control database holds no clear password").doesNotContain(password);
    }

    @Test
    void aSourceThatDoesNotAnswerOrAnUnknownSettingIsRefusedNamingItAndNothingIsStored() {
        String name = "bad-" + UUID.randomUUID().toString().substring(0, 8);
        String wrong = "not-the-password-" + UUID.randomUUID();
        Response refused = given().header("Authorization", bearer("ann", Roles.ADMIN)).contentType("application/json")
                .body(Map.of("sources", Map.of(name, source(wrong)))).post("/api/v1/sources");
        refused.then().statusCode(400).contentType("application/problem+json").body("field", equalTo("sources"))
                .body("errors[0]", startsWith("source " + name + " (")).body("title", equalTo("Source refused"));
        assertThat(refused.asString()).doesNotContain(wrong);
        given().header("Authorization", bearer("vic", Roles.VIEWER)).get("/api/v1/sources/" + name).then().statusCode(404);

        Map<String, Object> typo = new java.util.HashMap<>(source(password));
        typo.put("hots", "db1");
        Response unknown = given().header("Authorization", bearer("ann", Roles.ADMIN)).contentType("application/json")
                .body(Map.of("sources", Map.of(name, typo))).post("/api/v1/sources");
        unknown.then().statusCode(400).body("field", equalTo("sources")).body("errors[0]", startsWith("sources." + name + ".hots: unknown setting"));
        assertThat(unknown.asString()).doesNotContain(password);
        given().header("Authorization", bearer("vic", Roles.VIEWER)).get("/api/v1/sources/" + name).then().statusCode(404);
    }

    @Test
    void viewersPageThroughTheAuditTrailByPolicyAndTime() throws SQLException {
        String policy = "audited-" + UUID.randomUUID().toString().substring(0, 8);
        long day = 1_764_547_200_000L; // 2025-12-01T00:00:00Z
        audit(day, policy, "run-a", 1200, "run-archive/a.csv.gz");
        audit(day + 86_400_000L, policy, "run-b", 30, "run-archive/b.csv.gz");
        audit(day + 2 * 86_400_000L, policy, "run-c", 7, "run-archive/c.csv.gz");
        audit(day, "other-" + policy, "run-x", 1, "x.csv.gz");

        given().header("Authorization", bearer("vic", Roles.VIEWER)).get("/api/v1/audit?policy=" + policy + "&limit=2").then()
                .statusCode(200).body("items.size()", equalTo(2)).body("total", equalTo(-1)).body("items[0].runId", equalTo("run-a"))
                .body("items[0].rows", equalTo(1200)).body("items[0].objectKeys[0]", equalTo("run-archive/a.csv.gz"))
                .body("items[0].actor", equalTo("deleter-service")).body("items[0].at", equalTo("2025-12-01T00:00:00Z"));
        given().header("Authorization", bearer("vic", Roles.VIEWER)).get("/api/v1/audit?policy=" + policy + "&limit=2&offset=2").then()
                .statusCode(200).body("items.size()", equalTo(1)).body("total", equalTo(3)).body("items[0].runId", equalTo("run-c"));
        given().header("Authorization", bearer("vic", Roles.VIEWER)).get("/api/v1/audit?policy=" + policy + "&since=2025-12-02T00:00:00Z")
                .then().statusCode(200).body("items.runId", equalTo(List.of("run-b", "run-c")));
        given().header("Authorization", bearer("vic", Roles.VIEWER)).get("/api/v1/audit?since=yesterday").then().statusCode(400)
                .contentType("application/problem+json").body("field", equalTo("since"));
        given().header("Authorization", bearer("vic", Roles.VIEWER)).get("/api/v1/audit?limit=500").then().statusCode(400)
                .body("field", equalTo("limit"));
    }

    /** The test's own MariaDB as a source: its host, port and database from the datasource's URL, its user, the given password. */
    private Map<String, Object> source(String secret) {
        URI uri = URI.create(jdbcUrl.substring("jdbc:".length()));
        return Map.of("host", uri.getHost(), "port", uri.getPort(), "database", uri.getPath().substring(1), "user", user, "tls",
                "DISABLED", "password", secret);
    }

    private String stored(String name) {
        try (Connection c = dataSource.getConnection(); PreparedStatement q = c.prepareStatement("SELECT * FROM archive_source WHERE name = ?")) {
            q.setString(1, name);
            StringBuilder row = new StringBuilder();
            try (var rs = q.executeQuery()) {
                while (rs.next()) {
                    for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                        row.append(rs.getString(i)).append('|');
                    }
                }
            }
            assertThat(row).as("the source is stored").isNotEmpty();
            return row.toString();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private void audit(long at, String policy, String run, long rows, String key) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement insert = c.prepareStatement(LedgerSql.AUDIT_INSERT)) {
            insert.setLong(1, at);
            insert.setString(2, "deleter-service");
            insert.setString(3, LedgerSql.AUDIT_BATCH_DELETED);
            insert.setString(4, policy);
            insert.setString(5, "run");
            insert.setString(6, run);
            insert.setString(7, run + "-0001");
            insert.setLong(8, rows);
            insert.setString(9, "[\"" + key + "\"]");
            insert.setString(10, "{\"objectSha256\":\"" + "b".repeat(64) + "\"}");
            insert.setString(11, null);
            insert.executeUpdate();
        }
    }

    private static String bearer(String subject, Roles role) {
        return "Bearer " + TestTokens.token(subject, role);
    }
}
