package io.archiver.ctl;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;

import io.archiver.ctl.cli.Archivectl;
import picocli.CommandLine;

/** Runs archivectl in this JVM, as the jar would, with the environment given, capturing what it prints. */
final class Cli {

    record Result(int exitCode, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    private Cli() {
    }

    static Result run(Map<String, String> environment, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine commandLine = Archivectl.commandLine(CommandLine.defaultFactory(), environment);
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        int code = commandLine.execute(args);
        return new Result(code, out.toString(), err.toString());
    }
}
