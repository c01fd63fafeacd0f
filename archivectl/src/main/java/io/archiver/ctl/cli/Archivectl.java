package io.archiver.ctl.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

import io.archiver.ctl.DlqCommand;
import io.archiver.ctl.EventsCommand;
import io.archiver.ctl.PolicyCommand;
import io.archiver.ctl.ReplayCommand;
import io.archiver.ctl.SourceCommand;
import io.archiver.ctl.StatusCommand;
import io.archiver.ctl.TokenCommand;
import io.archiver.ctl.TriggerCommand;
import io.archiver.operations.OperationFailed;
import io.archiver.operations.OperationRefused;
import io.quarkus.picocli.runtime.annotations.TopCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** The {@code archivectl} command: the operator's view of and hand on the archival flow. */
@TopCommand
@Command(name = "archivectl", mixinStandardHelpOptions = true, versionProvider = Archivectl.Version.class,
        description = { "Operate the Archiver: trigger runs, follow them in the ledger and on the topics, replay a topic partition "
                + "for a consumer group, list and replay dead letters.",
                "Connection settings come from flags, then environment variables (KAFKA_BOOTSTRAP_SERVERS, ARCHIVER_DB_URL, "
                        + "ARCHIVER_DB_USER, ARCHIVER_DB_PASSWORD), then a --config properties file." },
        subcommands = { TriggerCommand.class, StatusCommand.class, EventsCommand.class, ReplayCommand.class, DlqCommand.class, PolicyCommand.class,
                SourceCommand.class, TokenCommand.class, io.archiver.ctl.archive.ArchiveCommand.class, io.archiver.ctl.AuditCommand.class,
                io.archiver.ctl.RestoreCommand.class, io.archiver.ctl.HoldCommand.class, io.archiver.ctl.PurgeCommand.class,
                CommandLine.HelpCommand.class },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = { "0:success", "1:failure (a server refused or is unreachable, a run did not succeed, a wait timed out)",
                "2:usage error (unknown option, missing setting, bad value)",
                "3:the run awaits confirmation (a safety rail holds it: archivectl trigger --confirm RUN)" })
public class Archivectl implements Runnable {

    public static final int OK = 0;
    public static final int FAILED = 1;
    public static final int USAGE = 2;
    public static final int AWAITING_CONFIRMATION = 3;

    @Spec
    CommandSpec spec;

    private final Map<String, String> environment;

    public Archivectl() {
        this(System.getenv());
    }

    public Archivectl(Map<String, String> environment) {
        this.environment = Map.copyOf(environment);
    }

    public String environment(String name) {
        return environment.get(name);
    }

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "a command is required: trigger, status, events, replay, dlq, policy, source, token, archive or audit");
    }

    /** The command line with Archiver's exit codes and error messages, with the environment given. */
    public static CommandLine commandLine(CommandLine.IFactory factory, Map<String, String> environment) {
        CommandLine commandLine = new CommandLine(new Archivectl(environment), factory);
        commandLine.setCaseInsensitiveEnumValuesAllowed(true);
        commandLine.setExecutionExceptionHandler(Archivectl::handle);
        commandLine.setParameterExceptionHandler(Archivectl::usage);
        return commandLine;
    }

    /** A usage error: the message, suggestions for a mistyped option or command, and where the help is; exit code 2. */
    private static int usage(ParameterException e, String[] args) {
        CommandLine commandLine = e.getCommandLine();
        PrintWriter err = commandLine.getErr();
        String name = commandLine.getCommandSpec().qualifiedName();
        err.println(name + ": " + Secrets.mask(e.getMessage()));
        CommandLine.UnmatchedArgumentException.printSuggestions(e, err);
        err.println("Try '" + name + " --help' for more information.");
        err.flush();
        return USAGE;
    }

    private static int handle(Exception e, CommandLine commandLine, CommandLine.ParseResult parseResult) {
        PrintWriter err = commandLine.getErr();
        String name = commandLine.getCommandSpec().qualifiedName();
        if (e instanceof UsageException || e instanceof OperationRefused) {
            err.println(name + ": " + Secrets.mask(e.getMessage()));
            err.println("Try '" + name + " --help' for more information.");
            err.flush();
            return USAGE;
        }
        err.println(name + ": error: " + Secrets.mask(describe(e)));
        err.flush();
        return FAILED;
    }

    /** A one-line account of a failure, with its causes where they add something. */
    public static String describe(Throwable e) {
        Throwable t = e;
        while ((t instanceof ExecutionException || t instanceof CompletionException) && t.getCause() != null) {
            t = t.getCause();
        }
        if ((t instanceof CtlException || t instanceof OperationFailed) && t.getCause() == null) {
            return t.getMessage();
        }
        StringBuilder text = new StringBuilder(message(t));
        Throwable cause = t.getCause();
        int depth = 0;
        while (cause != null && cause != t && depth++ < 4) {
            String more = message(cause);
            if (!text.toString().contains(more)) {
                text.append(": ").append(more);
            }
            t = cause;
            cause = cause.getCause();
        }
        return text.toString();
    }

    private static String message(Throwable t) {
        if (t instanceof CtlException || t instanceof OperationFailed) {
            return t.getMessage();
        }
        String message = t.getMessage();
        return message == null || message.isBlank() ? t.getClass().getSimpleName() : t.getClass().getSimpleName() + ": " + message;
    }

    /** The version from the build. */
    public static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() {
            Properties properties = new Properties();
            try (InputStream in = Archivectl.class.getResourceAsStream("/archivectl-version.properties")) {
                if (in != null) {
                    properties.load(in);
                }
            } catch (IOException e) {
                // no version to show
            }
            return new String[] { "archivectl " + properties.getProperty("version", "(development build)") };
        }
    }
}
