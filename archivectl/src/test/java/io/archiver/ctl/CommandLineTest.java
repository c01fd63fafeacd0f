package io.archiver.ctl;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.archiver.ctl.Cli.Result;

/** Help, exit codes and error messages, without any server. */
class CommandLineTest {

    private static final List<List<String>> COMMANDS = List.of(List.of(), List.of("trigger"), List.of("status"), List.of("events"),
            List.of("replay"), List.of("dlq"), List.of("dlq", "list"), List.of("dlq", "replay"));

    @Test
    void everyCommandHasHelpAndExitsZero() {
        for (List<String> command : COMMANDS) {
            String[] args = java.util.stream.Stream.concat(command.stream(), java.util.stream.Stream.of("--help")).toArray(String[]::new);
            Result result = Cli.run(Map.of(), args);
            assertThat(result.exitCode()).as("%s --help: %s", command, result).isZero();
            assertThat(result.out()).as("%s --help", command).startsWith("Usage: archivectl" + (command.isEmpty() ? "" : " " + String.join(" ", command)));
        }
        assertThat(Cli.run(Map.of(), "help", "trigger").out()).contains("--schedule-slot", "--wait", "--confirm=RUN");
        assertThat(Cli.run(Map.of(), "--help").out()).contains("trigger", "status", "events", "replay", "dlq", "Exit codes:")
                .contains("3   the run awaits confirmation");
    }

    @Test
    void usageErrorsExitTwoWithAHint() {
        Result noCommand = Cli.run(Map.of());
        assertThat(noCommand.exitCode()).isEqualTo(2);
        assertThat(noCommand.err()).contains("a command is required");

        Result unknownOption = Cli.run(Map.of(), "trigger", "--polciy", "run");
        assertThat(unknownOption.exitCode()).isEqualTo(2);
        assertThat(unknownOption.err()).contains("'--polciy'", "Possible solutions: --policy").contains("Try 'archivectl trigger --help'");

        Result badDuration = Cli.run(Map.of("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:1"), "trigger", "--min-age", "sixty days");
        assertThat(badDuration.exitCode()).isEqualTo(2);
        assertThat(badDuration.err()).contains("is not a duration");

        Result badMode = Cli.run(Map.of(), "trigger", "--mode", "SHRED");
        assertThat(badMode.exitCode()).isEqualTo(2);

        Result badTable = Cli.run(Map.of("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:1"), "trigger", "--table", "run; drop table run", "--mode",
                "DELETE");
        assertThat(badTable.exitCode()).isEqualTo(2);
        assertThat(badTable.err()).contains("SQL identifier");

        // the policy's mode is read from the control database: without its settings the mode must be given, never assumed
        Result noMode = Cli.run(Map.of("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:1"), "trigger", "--policy", "orders");
        assertThat(noMode.exitCode()).isEqualTo(2);
        assertThat(noMode.err()).contains("--mode is required without the control database settings (ARCHIVER_DB_URL",
                "--mode DELETE|MOVE as policy orders says");

        Result noFrom = Cli.run(Map.of(), "replay", "--topic", "archive.batches", "--partition", "0", "--group", "g");
        assertThat(noFrom.exitCode()).isEqualTo(2);
        assertThat(noFrom.err()).contains("--from-offset", "--from-timestamp");

        Result both = Cli.run(Map.of(), "replay", "--topic", "t", "--partition", "0", "--group", "g", "--from-offset", "1", "--from-timestamp",
                "2026-11-23");
        assertThat(both.exitCode()).isEqualTo(2);

        Result watchWithoutRun = Cli.run(Map.of("ARCHIVER_DB_URL", "jdbc:mariadb://127.0.0.1:1/x"), "status", "--watch");
        assertThat(watchWithoutRun.exitCode()).isEqualTo(2);
        assertThat(watchWithoutRun.err()).contains("--watch needs a RUN");

        Result confirmAndRequest = Cli.run(Map.of("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:1"), "trigger", "--confirm", "run-x", "--dry-run");
        assertThat(confirmAndRequest.exitCode()).isEqualTo(2);
        assertThat(confirmAndRequest.err()).contains("--confirm RUN confirms a run already requested: --dry-run does not go with it");

        Result blankConfirm = Cli.run(Map.of("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:1"), "trigger", "--confirm", " ");
        assertThat(blankConfirm.exitCode()).isEqualTo(2);
        assertThat(blankConfirm.err()).contains("--confirm: runId must not be blank");

        Result badDlqTopic = Cli.run(Map.of("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:1"), "dlq", "list", "--topic", "archive.runs");
        assertThat(badDlqTopic.exitCode()).isEqualTo(2);
        assertThat(badDlqTopic.err()).contains("not a consumed topic");
    }

    @Test
    void missingConnectionSettingsAreUsageErrorsThatSayWhereToPutThem(@TempDir Path dir) throws Exception {
        Result noKafka = Cli.run(Map.of(), "events", "run-x");
        assertThat(noKafka.exitCode()).isEqualTo(2);
        assertThat(noKafka.err()).contains("--bootstrap-servers", "KAFKA_BOOTSTRAP_SERVERS", "kafka.bootstrap.servers");

        Result noDb = Cli.run(Map.of(), "status");
        assertThat(noDb.exitCode()).isEqualTo(2);
        assertThat(noDb.err()).contains("--jdbc-url", "ARCHIVER_DB_URL", "archiver.db.url");

        Result missingFile = Cli.run(Map.of(), "status", "--config", dir.resolve("nope.properties").toString());
        assertThat(missingFile.exitCode()).isEqualTo(2);
        assertThat(missingFile.err()).contains("nope.properties", "does not exist");
    }

    @Test
    void anUnreachableLedgerIsAFailureAndThePasswordIsNeverPrinted(@TempDir Path dir) throws Exception {
        Result flag = Cli.run(Map.of(), "status", "--jdbc-url", "jdbc:mariadb://127.0.0.1:1/archiver", "--db-user", "archiver",
                "--db-password", "s3cr3t-from-flag");
        assertThat(flag.exitCode()).isEqualTo(1);
        assertThat(flag.err()).contains("cannot connect to the ledger database jdbc:mariadb://127.0.0.1:1/archiver").doesNotContain("s3cr3t");

        Path config = dir.resolve("ctl.properties");
        Files.writeString(config, "archiver.db.url=jdbc:mariadb://127.0.0.1:1/archiver?password=s3cr3t-in-url\narchiver.db.password=s3cr3t-from-file\n");
        Result file = Cli.run(Map.of(), "status", "run-x", "--config", config.toString());
        assertThat(file.exitCode()).isEqualTo(1);
        assertThat(file.out() + file.err()).doesNotContain("s3cr3t");

        Result env = Cli.run(Map.of("ARCHIVER_DB_URL", "jdbc:mariadb://127.0.0.1:1/archiver", "ARCHIVER_DB_PASSWORD", "s3cr3t-from-env"),
                "status");
        assertThat(env.exitCode()).isEqualTo(1);
        assertThat(env.out() + env.err()).doesNotContain("s3cr3t");
    }
}
