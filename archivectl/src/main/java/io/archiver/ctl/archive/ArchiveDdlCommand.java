package io.archiver.ctl.archive;

import java.io.IOException;
import java.io.PrintWriter;
import java.sql.Connection;
import java.util.List;
import java.util.concurrent.Callable;

import io.archiver.ctl.cli.Archivectl;
import io.archiver.ctl.cli.ConnectionOptions;
import io.archiver.ctl.cli.CtlException;
import io.archiver.ctl.ledger.Ledger;
import io.archiver.manifest.ArchiveManifest;
import io.archiver.objectstore.ArchiveDdl;
import io.archiver.objectstore.ArchiveReader;
import io.archiver.objectstore.ObjectStore;
import io.archiver.policy.PolicyStore;
import io.archiver.policy.StoredPolicy;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code archivectl archive ddl}: DuckDB and Athena / Trino definitions that query a policy's archive in place. */
@Command(name = "ddl", mixinStandardHelpOptions = true, sortOptions = false,
        description = { "Print a DuckDB view and an Athena / Trino table over the policy's objects in the bucket, with the columns "
                + "and SQL types of its newest object's manifest (docs/archive.md shows a query)." },
        footer = { "", "Example:", "  archivectl archive ddl --policy run" })
public class ArchiveDdlCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    BucketOptions bucket;

    @Mixin
    ConnectionOptions connection;

    @Option(names = "--policy", paramLabel = "P", required = true, description = "The policy whose archive is described.")
    String policy;

    @Option(names = "--prefix", paramLabel = "PREFIX", description = "The policy's key prefix (for example run-archive/); default: "
            + "the policy's, from the control database.")
    String prefix;

    @Option(names = "--name", paramLabel = "NAME", description = "The table's name (default: the policy's, with _archive).")
    String name;

    @Override
    public Integer call() throws IOException {
        String keyPrefix = prefix != null ? prefix : policyPrefix(connection, policy);
        PrintWriter out = spec.commandLine().getOut();
        ObjectStore store = bucket.open();
        try (var s3 = store.client()) {
            ArchiveReader reader = new ArchiveReader(store);
            List<String> keys = reader.objectManifestKeys(keyPrefix);
            ArchiveManifest newest = null;
            // keys sort by table and run day: the newest object's manifest describes the table as it is archived now
            for (int i = keys.size() - 1; i >= 0 && newest == null; i--) {
                ArchiveManifest manifest = reader.manifest(keys.get(i));
                if (manifest.policy().equals(policy)) {
                    newest = manifest;
                }
            }
            if (newest == null) {
                throw new CtlException("no object manifest of policy " + policy + " under s3://" + store.bucket() + "/" + keyPrefix);
            }
            String table = name != null ? name : policy.replaceAll("[^A-Za-z0-9_]", "_") + "_archive";
            out.println(ArchiveDdl.duckDb(newest, store.bucket(), keyPrefix, table));
            out.print(ArchiveDdl.athena(newest, store.bucket(), keyPrefix, table));
            return Archivectl.OK;
        }
    }

    /** The policy's key prefix from the control database. */
    static String policyPrefix(ConnectionOptions connection, String policy) {
        try (Connection jdbc = Ledger.connect(connection.settings(), true)) {
            StoredPolicy stored = new PolicyStore(jdbc).find(policy)
                    .orElseThrow(() -> new CtlException("no policy " + policy + " in the control database"));
            return stored.spec().prefix() + "/";
        } catch (java.sql.SQLException e) {
            throw new CtlException("cannot read policy " + policy + ": " + e.getMessage(), e);
        }
    }
}
