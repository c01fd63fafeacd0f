package io.archiver.ctl;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.archiver.ctl.Cli.Result;
import io.archiver.policy.ControlDatabase;

/** archivectl policy apply, diff, list, show, history, disable and enable on a real migrated control database. */
class PolicyCommandTest {

    private static ControlDatabase db;

    @BeforeAll
    static void start() {
        db = ControlDatabase.start("archivectl-policy-test");
    }

    @AfterAll
    static void stop() {
        if (db != null) {
            db.close();
        }
    }

    private static Result ctl(String... args) {
        return Cli.run(Map.of("ARCHIVER_DB_URL", db.mysql.jdbcUrl(), "ARCHIVER_DB_USER", db.mysql.user(), "ARCHIVER_DB_PASSWORD",
                db.mysql.password(), "ARCHIVER_ACTOR", "env-actor"), args);
    }

    @Test
    void applyIsDeclarativeIdempotentAndKeepsWhoChangedWhat(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("policies.yaml"), """
                policies:
                  orders:
                    table: orders
                    date-column: created_ms
                    min-age: P90D
                """);
        Result dry = ctl("policy", "apply", "-f", file.toString(), "--dry-run");
        assertThat(dry.exitCode()).as(dry.toString()).isZero();
        assertThat(dry.out()).contains("would apply: policy orders: CREATE version 1", "+ table: orders", "+ min-age: P90D");
        assertThat(ctl("policy", "show", "orders").exitCode()).isEqualTo(1);

        Result applied = ctl("policy", "apply", "-f", file.toString(), "--actor", "alice");
        assertThat(applied.exitCode()).as(applied.toString()).isZero();
        assertThat(applied.out()).contains("policy orders: CREATE version 1");
        Result again = ctl("policy", "apply", "-f", file.toString());
        assertThat(again.out()).contains("no change: every policy is as given");

        Files.writeString(file, Files.readString(file).replace("P90D", "P120D"));
        Result diff = ctl("policy", "diff", "-f", file.toString());
        assertThat(diff.out()).contains("would apply: policy orders: UPDATE to version 2", "~ min-age: P90D -> P120D");
        assertThat(ctl("policy", "apply", "-f", file.toString()).exitCode()).isZero();

        Result list = ctl("policy", "list");
        assertThat(list.out()).containsPattern("orders\\s+orders\\s+DELETE\\s+P120D\\s+orders-archive\\s+yes\\s+2\\s+env-actor")
                .containsPattern("run\\s+run\\s+DELETE\\s+P60D\\s+run-archive\\s+yes\\s+1\\s+migration V9");
        Result show = ctl("policy", "show", "orders");
        assertThat(show.out()).contains("# version 2, by env-actor", "    date-column: created_ms", "    key: [\"id\"]");

        assertThat(ctl("policy", "disable", "orders", "--actor", "bob").out()).contains("policy orders: DISABLE to version 3");
        assertThat(ctl("policy", "disable", "orders").out()).contains("no change");
        Result history = ctl("policy", "history", "orders");
        assertThat(history.out()).contains("version 1  CREATE  by alice", "version 2  UPDATE  by env-actor", "  ~ min-age: P90D -> P120D",
                "version 3  DISABLE  by bob", "  ~ enabled: true -> false");
        assertThat(ctl("policy", "enable", "orders").out()).contains("ENABLE to version 4");
    }

    @Test
    void aBadFileIsAUsageErrorNamingTheSettingAndChangesNothing(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("bad.yaml"), """
                policies:
                  shipments:
                    table: shipments
                    min-age: 90 days
                    colour: blue
                """);
        Result bad = ctl("policy", "apply", "-f", file.toString());
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.err()).contains("policies.shipments.min-age: '90 days' is not an ISO-8601 duration; write e.g. P60D",
                "policies.shipments.colour: unknown setting");
        assertThat(ctl("policy", "history", "shipments").exitCode()).isEqualTo(1);
    }
}
