package io.archiver.ctl;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.archiver.ctl.cli.Archivectl;
import io.archiver.ctl.cli.ConnectionOptions;
import io.archiver.ctl.cli.CtlException;
import io.archiver.ctl.cli.UsageException;
import io.archiver.ctl.format.Formats;
import io.archiver.ctl.format.Table;
import io.archiver.ctl.ledger.Ledger;
import io.archiver.operations.NotFound;
import io.archiver.operations.policies.PolicyOperations;
import io.archiver.ctl.ledger.SourceDatabases;
import io.archiver.policy.CronSchedule;
import io.archiver.policy.PolicyChange;
import io.archiver.policy.PolicyFile;
import io.archiver.policy.PolicyFileException;
import io.archiver.policy.PolicyHistoryEntry;
import io.archiver.policy.PolicySpec;
import io.archiver.policy.StoredPolicy;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * The policies in the control database ({@link PolicyOperations} does each, as the API does): apply a policy file, list, show, diff,
 * history, disable, enable. The services see a change within their refresh interval (docs/policies.md).
 */
@Command(name = "policy", mixinStandardHelpOptions = true,
        description = { "Manage the archival policies kept in the control database (the ledger's), versioned with their history.",
                "A policy file is YAML: policies: {NAME: {table: ..., date-column: ..., min-age: P60D, ...}}; see docs/policies.md." },
        subcommands = { PolicyCommand.Apply.class, PolicyCommand.ListPolicies.class, PolicyCommand.Show.class, PolicyCommand.Diff.class,
                PolicyCommand.History.class, PolicyCommand.Disable.class, PolicyCommand.Enable.class },
        footer = { "", "Examples:", "  archivectl policy apply -f policies.yaml --dry-run", "  archivectl policy apply -f policies.yaml",
                "  archivectl policy history run", "  archivectl policy disable events --actor alice" })
public class PolicyCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(),
                "a policy command is required: apply, list, show, diff, history, disable or enable");
    }

    /** Who changes a policy: --actor, else $ARCHIVER_ACTOR, else the OS user. */
    static final class ActorOption {
        @Option(names = "--actor", paramLabel = "WHO", description = "Who makes the change, kept in the history (default: $ARCHIVER_ACTOR, else the OS user).")
        String actor;

        String resolve(CommandSpec spec) {
            if (actor != null && !actor.isBlank()) {
                return actor;
            }
            String env = ((Archivectl) spec.root().userObject()).environment("ARCHIVER_ACTOR");
            return env != null && !env.isBlank() ? env : System.getProperty("user.name", "unknown");
        }
    }

    interface StoreWork<T> {
        T run(PolicyOperations policies, PrintWriter out);
    }

    interface ControlWork<T> {
        T run(Connection control, PrintWriter out);
    }

    /** Opens the control database, runs {@code work} on its store, and turns a store's refusal into a usage error or a failure. */
    static <T> T withStore(CommandSpec spec, ConnectionOptions connection, boolean readOnly, StoreWork<T> work) {
        return withControl(spec, connection, readOnly, (jdbc, out) -> work.run(new PolicyOperations(jdbc,
                source -> SourceDatabases.connect(source, environment(spec))), out));
    }

    /** Opens the control database, runs {@code work} on it, and turns a file's or store's refusal into a usage error or a failure. */
    static <T> T withControl(CommandSpec spec, ConnectionOptions connection, boolean readOnly, ControlWork<T> work) {
        PrintWriter out = spec.commandLine().getOut();
        try (Connection jdbc = Ledger.connect(connection.settings(), readOnly)) {
            T result = work.run(jdbc, out);
            out.flush();
            return result;
        } catch (PolicyFileException e) {
            throw usage(e);
        } catch (NotFound e) {
            throw new CtlException(e.getMessage() + ": see 'archivectl " + spec.parent().name() + " list'");
        } catch (SQLException e) {
            throw new CtlException("cannot close the control database connection: " + e.getMessage());
        }
    }

    private static List<String> prepend(String first, List<String> rest) {
        java.util.ArrayList<String> all = new java.util.ArrayList<>();
        all.add(first);
        all.addAll(rest);
        return all;
    }

    static UsageException usage(PolicyFileException e) {
        return new UsageException(String.join("\n  ", prepend(e.where() + ":", e.problems())));
    }

    /** The environment archivectl runs in (a test's, when it gives one): where source passwords and the source key are read. */
    static java.util.function.Function<String, String> environment(CommandSpec spec) {
        return ((Archivectl) spec.root().userObject())::environment;
    }

    static void printChanges(PrintWriter out, List<PolicyChange> changes, boolean dryRun) {
        printChanges(out, changes, dryRun, "policy");
    }

    static void printChanges(PrintWriter out, List<PolicyChange> changes, boolean dryRun, String subject) {
        if (changes.isEmpty()) {
            out.println("no change: every " + subject + " is as given");
            return;
        }
        for (PolicyChange change : changes) {
            out.println((dryRun ? "would apply: " : "") + change.headline());
            change.diff().forEach(line -> out.println("  " + line));
        }
    }

    @Command(name = "apply", mixinStandardHelpOptions = true, description = { "Create or update each policy of a file (declarative, "
            + "idempotent: a policy already as given is not touched and gets no history). All policies change in one transaction, or none.",
            "Each policy is first checked against its live table (table, primary key, date column's type and index, MOVE table's"
                    + " columns, privileges); a failed check refuses the whole file (exit 2).",
            "--dry-run checks, prints the changes and changes nothing." })
    static class Apply implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        ConnectionOptions connection;
        @Mixin
        ActorOption actor;
        @Option(names = { "-f", "--file" }, paramLabel = "FILE", required = true, description = "The policy file (YAML).")
        Path file;
        @Option(names = "--dry-run", description = "Print what would change; change nothing.")
        boolean dryRun;
        @Option(names = "--create-archive-tables", description = "Create the archive table of each MOVE policy where it is missing, as "
                + "CREATE TABLE <archive-table> LIKE <table> in the policy's database (its user needs CREATE there), before the check; "
                + "each table created is printed. Without it a missing archive table refuses the file.")
        boolean createArchiveTables;
        @Option(names = "--source", paramLabel = "SOURCE", description = "The source of each policy of the file that names none "
                + "(default: the control database). The source must be applied first (archivectl source apply).")
        String source;

        @Override
        public Integer call() {
            if (createArchiveTables && dryRun) {
                throw new UsageException("--create-archive-tables changes the database and --dry-run changes nothing: apply without"
                        + " --dry-run, or check without --create-archive-tables (a missing archive table is then reported)");
            }
            List<PolicySpec> specs = read(file).stream().map(p -> source == null ? p : p.inSourceIfNone(source)).toList();
            String who = actor.resolve(spec);
            return withStore(spec, connection, dryRun, (policies, out) -> {
                if (createArchiveTables) {
                    policies.createArchiveTables(specs).forEach(out::println);
                }
                // checked against the live tables before anything is applied, and in --dry-run
                printChanges(out, policies.apply(file.toString(), specs, who, dryRun), dryRun);
                return Archivectl.OK;
            });
        }
    }

    static List<PolicySpec> read(Path file) {
        try {
            return PolicyFile.read(file);
        } catch (PolicyFileException e) {
            throw usage(e);
        }
    }

    @Command(name = "diff", mixinStandardHelpOptions = true, description = "What applying FILE would change (the same as apply --dry-run).")
    static class Diff implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        ConnectionOptions connection;
        @Option(names = { "-f", "--file" }, paramLabel = "FILE", required = true, description = "The policy file (YAML).")
        Path file;

        @Override
        public Integer call() {
            List<PolicySpec> specs = read(file);
            return withStore(spec, connection, true, (policies, out) -> {
                printChanges(out, policies.diff(file.toString(), specs), true);
                return Archivectl.OK;
            });
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Every policy with its table, mode, minimum age, state and version.")
    static class ListPolicies implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        ConnectionOptions connection;

        @Override
        public Integer call() {
            return withStore(spec, connection, true, (policies, out) -> {
                Table table = new Table("POLICY", "TABLE", "MODE", "MIN-AGE", "PREFIX", "SCHEDULE", "ENABLED", "VERSION", "UPDATED-BY",
                        "UPDATED-AT");
                for (StoredPolicy policy : policies.list()) {
                    PolicySpec p = policy.spec();
                    table.row(p.name(), p.table(), p.mode().name(), PolicySpec.text(p.minAge()), p.prefix(),
                            p.schedule() == null ? CronSchedule.OFF : p.schedule(), p.enabled() ? "yes" : "no",
                            String.valueOf(policy.version()), policy.updatedBy(), Formats.time(policy.updatedAtMs()));
                }
                table.print(out);
                return Archivectl.OK;
            });
        }
    }

    /** A command on one policy or source, by name: the options every such command has. */
    abstract static class OnNamed implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        ConnectionOptions connection;
        @Parameters(index = "0", paramLabel = "NAME")
        String name;
    }

    /** Disables or enables one policy or source, as the actor: the commands differ only in the store they change. */
    abstract static class Toggle extends OnNamed {
        @Mixin
        ActorOption actor;
        private final boolean enabled;
        private final String subject;

        Toggle(String subject, boolean enabled) {
            this.subject = subject;
            this.enabled = enabled;
        }

        abstract Optional<PolicyChange> setEnabled(Connection control, String name, boolean enabled, String who);

        @Override
        public Integer call() {
            String who = actor.resolve(spec);
            return withControl(spec, connection, false, (control, out) -> {
                printChanges(out, setEnabled(control, name, enabled, who).map(List::of).orElse(List.of()), false, subject);
                return Archivectl.OK;
            });
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "A policy's settings, as a policy file would write them.")
    static class Show extends OnNamed {

        @Override
        public Integer call() {
            return withStore(spec, connection, true, (policies, out) -> {
                StoredPolicy policy = policies.show(name);
                printSettings(out, "policies", name, policy.version(), policy.updatedBy(), policy.updatedAtMs(), policy.spec().settings());
                return Archivectl.OK;
            });
        }
    }

    /** Stored settings as a file writes them, under a comment with their version and author. */
    static void printSettings(PrintWriter out, String rootKey, String name, int version, String by, long atMs, Map<String, Object> settings) {
        out.printf("# version %d, by %s at %s%n", version, by, Formats.time(atMs));
        out.println(rootKey + ":");
        out.println("  " + name + ":");
        for (Map.Entry<String, Object> setting : settings.entrySet()) {
            if (setting.getValue() != null) {
                out.println("    " + setting.getKey() + ": " + yaml(setting.getValue()));
            }
        }
    }

    private static String yaml(Object value) {
        try {
            return value instanceof String text ? plainOrQuoted(text) : new ObjectMapper().writeValueAsString(value).replace(",", ", ");
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return String.valueOf(value);
        }
    }

    /** A text as YAML reads it back: quoted when it begins like a YAML indicator (a schedule's '*' or '?') or holds ': ' or ' #'. */
    private static String plainOrQuoted(String text) {
        boolean plain = !text.isEmpty() && "*?&!|>'\"%@`#,[]{}-:".indexOf(text.charAt(0)) < 0 && !text.contains(": ") && !text.contains(" #");
        return plain ? text : "'" + text.replace("'", "''") + "'";
    }

    @Command(name = "history", mixinStandardHelpOptions = true, description = "Every change of a policy, oldest first: version, kind, who, when, and what changed.")
    static class History extends OnNamed {

        @Override
        public Integer call() {
            return withStore(spec, connection, true, (policies, out) -> {
                printHistory(out, "policy", name, policies.history(name));
                return Archivectl.OK;
            });
        }
    }

    /** Every change of a policy or source, oldest first: version, kind, who, when, and each changed setting. */
    static void printHistory(PrintWriter out, String subject, String name, List<PolicyHistoryEntry> entries) {
        if (entries.isEmpty()) {
            throw new CtlException("no history for a " + subject + " named '" + name + "': see 'archivectl " + subject + " list'");
        }
        for (PolicyHistoryEntry entry : entries) {
            out.printf("version %d  %s  by %s at %s%n", entry.version(), entry.kind(), entry.actor(), Formats.time(entry.atMs()));
            PolicyChange change = new PolicyChange(subject, name, entry.kind(), entry.version(), map(entry.oldValue()), map(entry.newValue()));
            change.diff().forEach(line -> out.println("  " + line));
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(String json) {
        if (json == null) {
            return null;
        }
        try {
            return new ObjectMapper().readValue(json, java.util.LinkedHashMap.class);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new CtlException("a history value is not JSON: " + json);
        }
    }

    /** A policy disabled or enabled through the operations the API shares. */
    abstract static class PolicyToggle extends Toggle {
        PolicyToggle(boolean enabled) {
            super("policy", enabled);
        }

        @Override
        Optional<PolicyChange> setEnabled(Connection control, String name, boolean enabled, String who) {
            return new PolicyOperations(control).setEnabled(name, enabled, who);
        }
    }

    @Command(name = "disable", mixinStandardHelpOptions = true, description = "Disable a policy: no new run of it is planned (kept, with its history).")
    static class Disable extends PolicyToggle {
        Disable() {
            super(false);
        }
    }

    @Command(name = "enable", mixinStandardHelpOptions = true, description = "Enable a disabled policy again.")
    static class Enable extends PolicyToggle {
        Enable() {
            super(true);
        }
    }
}
