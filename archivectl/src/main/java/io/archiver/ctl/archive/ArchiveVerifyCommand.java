package io.archiver.ctl.archive;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;

import io.archiver.ctl.cli.Archivectl;
import io.archiver.ctl.cli.ConnectionOptions;
import io.archiver.ctl.cli.UsageException;
import io.archiver.manifest.ArchiveManifest;
import io.archiver.objectstore.ArchiveReader;
import io.archiver.objectstore.ObjectStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code archivectl archive verify}: re-reads a policy's objects (all, or a random sample) and holds each to its manifest:
 * present, size, SHA-256, header and rows ({@link ArchiveReader#read}). Every mismatch is printed; the exit code is 1 when
 * there is one. With {@code --metrics-file} the counts are also written in the Prometheus text format (for node_exporter's
 * textfile collector, as a CronJob runs it).
 */
@Command(name = "verify", mixinStandardHelpOptions = true, sortOptions = false,
        description = { "Re-read the policy's archive objects and check each against its manifest: present, size, SHA-256, "
                + "header and row count. Prints every mismatch; exit code 1 if there is any." },
        footer = { "", "Examples:", "  archivectl archive verify --policy run", "  archivectl archive verify --policy run --sample 10%" })
public class ArchiveVerifyCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    BucketOptions bucket;

    @Mixin
    ConnectionOptions connection;

    @Option(names = "--policy", paramLabel = "P", required = true, description = "The policy whose objects are verified.")
    String policy;

    @Option(names = "--prefix", paramLabel = "PREFIX", description = "The policy's key prefix; default: the policy's, from the control database.")
    String prefix;

    @Option(names = "--sample", paramLabel = "N%", description = "Verify a random N% of the objects (at least one), default 100%.")
    String sample = "100%";

    @Option(names = "--metrics-file", paramLabel = "FILE", description = "Also write the counts as Prometheus text to FILE (replaced atomically).")
    Path metricsFile;

    @Override
    public Integer call() throws IOException {
        double share = share(sample);
        String keyPrefix = prefix != null ? prefix : ArchiveDdlCommand.policyPrefix(connection, policy);
        PrintWriter out = spec.commandLine().getOut();
        ObjectStore store = bucket.open();
        try (var s3 = store.client()) {
            ArchiveReader reader = new ArchiveReader(store);
            List<ArchiveManifest> manifests = new ArrayList<>(
                    reader.objectManifests(keyPrefix).stream().filter(m -> m.policy().equals(policy)).toList());
            int chosen = manifests.isEmpty() ? 0 : Math.max(1, (int) Math.ceil(manifests.size() * share));
            if (chosen < manifests.size()) {
                Collections.shuffle(manifests, new Random());
            }
            long intact = 0;
            long mismatched = 0;
            long missing = 0;
            for (ArchiveManifest manifest : manifests.subList(0, chosen)) {
                for (ArchiveManifest.ObjectEntry entry : manifest.objects()) {
                    ArchiveReader.ObjectCheck check = reader.read(manifest, entry, null);
                    if (check.intact()) {
                        intact++;
                    } else {
                        if (check.present()) {
                            mismatched++;
                        } else {
                            missing++;
                        }
                        out.printf("MISMATCH %s: %s%n", entry.key(), String.join("; ", check.mismatches()));
                    }
                }
            }
            out.printf("verified %d of %d objects of policy %s under s3://%s/%s: %d intact, %d differ from their manifests, %d missing%n",
                    chosen, manifests.size(), policy, store.bucket(), keyPrefix, intact, mismatched, missing);
            out.flush();
            if (metricsFile != null) {
                writeMetrics(intact, mismatched, missing);
            }
            return mismatched + missing == 0 ? Archivectl.OK : Archivectl.FAILED;
        }
    }

    private void writeMetrics(long intact, long mismatched, long missing) throws IOException {
        String labels = "policy=\"" + policy.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
        String text = "# HELP archiver_archive_verify_objects Archive objects checked against their manifests by the last archivectl archive verify.\n"
                + "# TYPE archiver_archive_verify_objects gauge\n"
                + "archiver_archive_verify_objects{" + labels + ",result=\"intact\"} " + intact + "\n"
                + "archiver_archive_verify_objects{" + labels + ",result=\"mismatch\"} " + mismatched + "\n"
                + "archiver_archive_verify_objects{" + labels + ",result=\"missing\"} " + missing + "\n"
                + "# HELP archiver_archive_verify_timestamp_seconds When the last archivectl archive verify ended.\n"
                + "# TYPE archiver_archive_verify_timestamp_seconds gauge\n"
                + "archiver_archive_verify_timestamp_seconds{" + labels + "} " + System.currentTimeMillis() / 1000 + "\n";
        Path target = metricsFile.toAbsolutePath();
        Path temp = Files.createTempFile(target.getParent(), "." + target.getFileName(), ".tmp");
        Files.writeString(temp, text, StandardCharsets.UTF_8);
        Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    static double share(String sample) {
        String text = sample.trim();
        if (!text.endsWith("%")) {
            throw new UsageException("--sample takes a percentage such as 10%, not " + sample);
        }
        double percent;
        try {
            percent = Double.parseDouble(text.substring(0, text.length() - 1));
        } catch (NumberFormatException e) {
            throw new UsageException("--sample takes a percentage such as 10%, not " + sample);
        }
        if (percent <= 0 || percent > 100) {
            throw new UsageException("--sample must be above 0% and at most 100%, not " + sample);
        }
        return percent / 100;
    }
}
