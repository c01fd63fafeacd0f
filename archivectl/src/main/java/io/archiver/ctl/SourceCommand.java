package io.archiver.ctl;

import java.nio.file.Path;
import java.sql.Connection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

import io.archiver.ctl.cli.Archivectl;
import io.archiver.ctl.cli.ConnectionOptions;
import io.archiver.ctl.format.Formats;
import io.archiver.ctl.format.Table;
import io.archiver.ctl.ledger.SourceDatabases;
import io.archiver.operations.sources.SourceOperations;
import io.archiver.policy.PolicyChange;
import io.archiver.policy.PolicyFileException;
import io.archiver.policy.SourceFile;
import io.archiver.policy.SourceSpec;
import io.archiver.policy.StoredSource;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * The sources in the control database through {@link SourceOperations} (as the API's /api/v1/sources), with {@link PolicyCommand}'s machinery:
 * apply a source file, list, show, diff, history, disable, enable. A password is shown only as where it is.
 */
@Command(name = "source", mixinStandardHelpOptions = true,
        description = { "Manage the source databases policies archive from, kept in the control database, versioned with their history.",
                "A source file is YAML: sources: {NAME: {host: ..., port: 3306, database: ..., user: ..., tls: REQUIRED,"
                        + " password-env: VARIABLE | password-file: /path | password-encrypted-from-env: VARIABLE}}; see docs/policies.md." },
        subcommands = { SourceCommand.Apply.class, SourceCommand.ListSources.class, SourceCommand.Show.class, SourceCommand.Diff.class,
                SourceCommand.History.class, SourceCommand.Disable.class, SourceCommand.Enable.class },
        footer = { "", "Examples:", "  archivectl source apply -f sources.yaml --dry-run", "  archivectl source list",
                "  archivectl source history shop" })
public class SourceCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(),
                "a source command is required: apply, list, show, diff, history, disable or enable");
    }

    static List<SourceSpec> read(CommandSpec spec, Path file) {
        try {
            return SourceFile.read(file, PolicyCommand.environment(spec));
        } catch (PolicyFileException e) {
            throw PolicyCommand.usage(e);
        }
    }

    /** Every enabled source of the file must answer as its user: a source that cannot be reached is refused with the reason. */
    static void checkReachable(CommandSpec spec, String where, List<SourceSpec> sources) {
        try {
            SourceOperations.checkReachable(where, sources, source -> SourceDatabases.connect(source, PolicyCommand.environment(spec)));
        } catch (PolicyFileException e) {
            throw PolicyCommand.usage(e);
        }
    }

    @Command(name = "apply", mixinStandardHelpOptions = true, description = { "Create or update each source of a file (declarative, "
            + "idempotent), all in one transaction, or none. Each enabled source is first connected to as its user with its password"
            + " (read here: set its variable, or mount its file, where archivectl runs); one that does not answer refuses the file (exit 2).",
            "--dry-run checks, prints the changes and changes nothing." })
    static class Apply implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        ConnectionOptions connection;
        @Mixin
        PolicyCommand.ActorOption actor;
        @Option(names = { "-f", "--file" }, paramLabel = "FILE", required = true, description = "The source file (YAML).")
        Path file;
        @Option(names = "--dry-run", description = "Print what would change; change nothing.")
        boolean dryRun;

        @Override
        public Integer call() {
            List<SourceSpec> sources = read(spec, file);
            String who = actor.resolve(spec);
            checkReachable(spec, file.toString(), sources);
            return PolicyCommand.withControl(spec, connection, dryRun, (control, out) -> {
                PolicyCommand.printChanges(out, new SourceOperations(control).apply(sources, who, dryRun), dryRun, "source");
                return Archivectl.OK;
            });
        }
    }

    @Command(name = "diff", mixinStandardHelpOptions = true, description = "What applying FILE would change (the same as apply --dry-run).")
    static class Diff implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        ConnectionOptions connection;
        @Option(names = { "-f", "--file" }, paramLabel = "FILE", required = true, description = "The source file (YAML).")
        Path file;

        @Override
        public Integer call() {
            List<SourceSpec> sources = read(spec, file);
            return PolicyCommand.withControl(spec, connection, true, (control, out) -> {
                PolicyCommand.printChanges(out, new SourceOperations(control).apply(sources, null, true), true, "source");
                return Archivectl.OK;
            });
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Every source with where it is, its user, TLS mode, where its password is, state and version.")
    static class ListSources implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        ConnectionOptions connection;

        @Override
        public Integer call() {
            return PolicyCommand.withControl(spec, connection, true, (control, out) -> {
                Table table = new Table("SOURCE", "HOST", "PORT", "DATABASE", "USER", "TLS", "PASSWORD", "ENABLED", "VERSION", "UPDATED-BY",
                        "UPDATED-AT");
                for (StoredSource stored : new SourceOperations(control).list()) {
                    SourceSpec s = stored.spec();
                    table.row(s.name(), s.host(), String.valueOf(s.port()), s.database(), s.user(), s.tls().name(), s.password().describe(),
                            s.enabled() ? "yes" : "no", String.valueOf(stored.version()), stored.updatedBy(), Formats.time(stored.updatedAtMs()));
                }
                table.print(out);
                return Archivectl.OK;
            });
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "A source's settings (its password only as where it is).")
    static class Show extends PolicyCommand.OnNamed {

        @Override
        public Integer call() {
            return PolicyCommand.withControl(spec, connection, true, (control, out) -> {
                StoredSource source = new SourceOperations(control).show(name);
                PolicyCommand.printSettings(out, "sources", name, source.version(), source.updatedBy(), source.updatedAtMs(),
                        source.spec().settings());
                return Archivectl.OK;
            });
        }
    }

    @Command(name = "history", mixinStandardHelpOptions = true, description = "Every change of a source, oldest first: version, kind, who, when, and what changed.")
    static class History extends PolicyCommand.OnNamed {

        @Override
        public Integer call() {
            return PolicyCommand.withControl(spec, connection, true, (control, out) -> {
                PolicyCommand.printHistory(out, "source", name, new SourceOperations(control).history(name));
                return Archivectl.OK;
            });
        }
    }

    /** A source disabled or enabled in the control database. */
    abstract static class SourceToggle extends PolicyCommand.Toggle {
        SourceToggle(boolean enabled) {
            super("source", enabled);
        }

        @Override
        Optional<PolicyChange> setEnabled(Connection control, String name, boolean enabled, String who) {
            return new SourceOperations(control).setEnabled(name, enabled, who);
        }
    }

    @Command(name = "disable", mixinStandardHelpOptions = true, description = "Disable a source: no policy of it is applied or run (kept, with its history).")
    static class Disable extends SourceToggle {
        Disable() {
            super(false);
        }
    }

    @Command(name = "enable", mixinStandardHelpOptions = true, description = "Enable a disabled source again.")
    static class Enable extends SourceToggle {
        Enable() {
            super(true);
        }
    }
}
