package io.archiver.ctl;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.archiver.ctl.Cli.Result;
import io.archiver.policy.ControlDatabase;

/**
 * archivectl restore on a real migrated control database: status of a restore (figures, objects, conflicting keys) and the
 * latest restores; requests refused before anything is published, naming the option and the fix.
 */
class RestoreCommandTest {

    private static ControlDatabase db;

    @BeforeAll
    static void start() throws SQLException {
        db = ControlDatabase.start("archivectl-restore-test");
        try (Connection connection = db.connect(); Statement statement = connection.createStatement()) {
            statement.execute("INSERT INTO archive_restore (restore_id, policy, table_name, target_table, scope, into_source, dry_run, requested_by,"
                    + " state, objects_total, objects_done, rows_restored, rows_skipped, rows_conflicting, requested_at_ms, updated_at_ms,"
                    + " completed_at_ms) VALUES ('restore-a', 'run', 'run', 'run_restored', '--run run-1', 0, 0, 'archivectl:ops', 'COMPLETED',"
                    + " 2, 2, 1200, 3, 1, 1764547200000, 1764547260000, 1764547260000)");
            statement.execute("INSERT INTO archive_restore_object (restore_id, object_key, done, records_done, rows_restored, rows_skipped,"
                    + " rows_conflicting, sha256, updated_at_ms) VALUES ('restore-a', 'run-archive/a.csv.gz', 1, 1204, 1200, 3, 1, '"
                    + "b".repeat(64) + "', 1764547260000)");
            statement.execute("INSERT INTO archive_restore_conflict (restore_id, key_value, object_key, recorded_at_ms)"
                    + " VALUES ('restore-a', '40002', 'run-archive/a.csv.gz', 1764547260000)");
            statement.execute("INSERT INTO archive_restore (restore_id, policy, table_name, target_table, scope, into_source, dry_run, requested_by,"
                    + " state, error, requested_at_ms, updated_at_ms, completed_at_ms) VALUES ('restore-b', 'run', 'run', 'run', '--run run-2', 1, 0,"
                    + " 'archivectl:ops', 'FAILED', 'POLICY_ENABLED: disable it first', 1764547300000, 1764547300000, 1764547300000)");
        }
    }

    @AfterAll
    static void stop() {
        if (db != null) {
            db.close();
        }
    }

    private static Result ctl(String... args) {
        return Cli.run(Map.of("ARCHIVER_DB_URL", db.mysql.jdbcUrl(), "ARCHIVER_DB_USER", db.mysql.user(), "ARCHIVER_DB_PASSWORD",
                db.mysql.password()), args);
    }

    @Test
    void statusShowsTheFiguresTheObjectsAndTheConflictingKeys() {
        Result a = ctl("restore", "status", "restore-a");
        assertThat(a.exitCode()).as(a.toString()).isZero();
        assertThat(a.out()).contains("restore restore-a: COMPLETED").contains("--run run-1").contains("into run_restored")
                .contains("objects 2/2, rows restored 1,200, skipped (same values) 3, conflicting (other values, kept) 1")
                .contains("done run-archive/a.csv.gz: 1204 records").contains("conflict: key 40002");
        Result b = ctl("restore", "status", "restore-b", "--json");
        assertThat(b.exitCode()).as("a failed restore").isEqualTo(1);
        assertThat(b.out()).contains("\"state\" : \"FAILED\"").contains("POLICY_ENABLED");
        Result latest = ctl("restore", "status");
        assertThat(latest.out().indexOf("restore-b")).as("newest first").isLessThan(latest.out().indexOf("restore-a")).isNotNegative();
    }

    @Test
    void requestsAreRefusedBeforeAnythingIsPublishedNamingTheOption() {
        Result noTarget = ctl("restore", "--policy", "run", "--run", "run-1");
        assertThat(noTarget.exitCode()).as(noTarget.toString()).isEqualTo(2);
        assertThat(noTarget.err()).contains("--into: is required").contains("--into-source");
        Result enabled = ctl("restore", "--policy", "run", "--run", "run-1", "--into-source");
        assertThat(enabled.exitCode()).isEqualTo(2);
        assertThat(enabled.err()).contains("--into-source: policy 'run' is enabled").contains("archivectl policy disable run");
        Result twoScopes = ctl("restore", "--policy", "run", "--run", "run-1", "--key-range", "1..9", "--into", "t");
        assertThat(twoScopes.err()).contains("the scope: name exactly one of --run R, --object KEY, --key-range A..B, --from T --to T (2 given)");
        Result unknown = ctl("restore", "--policy", "nope", "--run", "run-1", "--into", "t");
        assertThat(unknown.err()).contains("--policy: no policy 'nope'");
    }
}
