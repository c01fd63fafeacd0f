package io.archiver.ctl.archive;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import io.archiver.ctl.cli.Archivectl;
import io.archiver.ctl.cli.CtlException;
import io.archiver.manifest.ArchiveManifest;
import io.archiver.manifest.ManifestKeys;
import io.archiver.objectstore.ArchiveReader;
import io.archiver.objectstore.ObjectStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code archivectl archive get KEY [-o FILE]}: one object, downloaded and verified against its manifest before it is kept. */
@Command(name = "get", mixinStandardHelpOptions = true, sortOptions = false,
        description = { "Download one archive object and verify its size and SHA-256 against the manifest beside it "
                + "(KEY.manifest.json). A file is written only when they match; otherwise nothing is left and the exit code is 1." },
        footer = { "", "Example:", "  archivectl archive get run-archive/run_archive_20261206_run_0000000000000000006-0000000000000040002_"
                + "run-20261206T095234Z-c54c834f.csv.gz -o batch.csv.gz" })
public class ArchiveGetCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    BucketOptions bucket;

    @Parameters(index = "0", paramLabel = "KEY", description = "The object's key in the bucket.")
    String key;

    @Option(names = { "-o", "--output" }, paramLabel = "FILE", description = "Where to write it (default: the key's file name, here).")
    Path output;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        Path target = output != null ? output : Path.of(key.substring(key.lastIndexOf('/') + 1));
        ObjectStore store = bucket.open();
        try (var s3 = store.client()) {
            ArchiveReader reader = new ArchiveReader(store);
            ArchiveManifest.ObjectEntry entry = reader.entryOf(key).orElseThrow(() -> new CtlException("s3://" + store.bucket() + "/" + key
                    + " has no manifest beside it that describes it (" + ManifestKeys.ofObject(key) + "): it cannot be verified, nothing was"
                    + " downloaded"));
            ArchiveReader.ObjectCheck check = reader.download(entry, target);
            if (!check.intact()) {
                throw new CtlException("refused s3://" + store.bucket() + "/" + key + ": " + String.join("; ", check.mismatches())
                        + "; nothing was written to " + target);
            }
            out.printf("%s -> %s: %d bytes, %d rows, SHA-256 %s verified%n", key, target, check.bytes(), entry.rows(), check.sha256());
            return Archivectl.OK;
        }
    }
}
