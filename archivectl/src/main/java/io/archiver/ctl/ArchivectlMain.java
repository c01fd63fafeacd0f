package io.archiver.ctl;

import java.util.Map;

import jakarta.inject.Inject;

import io.archiver.ctl.cli.Archivectl;
import io.quarkus.runtime.QuarkusApplication;
import io.quarkus.runtime.annotations.QuarkusMain;
import picocli.CommandLine;

/** The jar's entry point: runs one command and exits with its code (0 success, 1 failure, 2 usage error). */
@QuarkusMain
public class ArchivectlMain implements QuarkusApplication {

    @Inject
    CommandLine.IFactory factory;

    @Override
    public int run(String... args) {
        Map<String, String> environment = System.getenv();
        return Archivectl.commandLine(factory, environment).execute(args);
    }
}
