package io.archiver.ctl.archive;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code archivectl archive}: the archive in the bucket, read with the bucket alone (docs/archive.md). */
@Command(name = "archive", mixinStandardHelpOptions = true,
        description = { "Read the archive in the bucket through its manifests: find archived rows, download an object verified, print table "
                + "definitions that query it in place, verify the objects against their manifests, show or install lifecycle rules." },
        subcommands = { ArchiveFindCommand.class, ArchiveGetCommand.class, ArchiveDdlCommand.class, ArchiveVerifyCommand.class, ArchiveLifecycleCommand.class,
                CommandLine.HelpCommand.class })
public class ArchiveCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "a command is required: find, get, ddl, verify or lifecycle");
    }
}
