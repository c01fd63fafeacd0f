package io.archiver.ctl.archive;

import java.io.PrintWriter;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

import io.archiver.ctl.cli.Archivectl;
import io.archiver.ctl.cli.ConnectionOptions;
import io.archiver.ctl.cli.CtlException;
import io.archiver.ctl.cli.DurationConverter;
import io.archiver.ctl.cli.UsageException;
import io.archiver.ctl.ledger.Ledger;
import io.archiver.objectstore.ObjectStore;
import io.archiver.objectstore.lifecycle.LifecycleCheck;
import io.archiver.objectstore.lifecycle.LifecycleRules;
import io.archiver.objectstore.lifecycle.RetainedPrefix;
import io.archiver.policy.PolicyStore;
import io.archiver.policy.PolicySpec;
import io.archiver.policy.StoredPolicy;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.services.s3.model.LifecycleRule;

/**
 * {@code archivectl archive lifecycle show | install}: the bucket's lifecycle rules held against the policies' object-retention,
 * and the opt-in safety net (docs/archive.md#lifecycle-rules): one rule per policy prefix that expires its objects a margin
 * after the retention, behind purge.
 */
@Command(name = "lifecycle", mixinStandardHelpOptions = true,
        description = { "The bucket's lifecycle rules: show them with any that would expire a policy's objects before its object-retention,"
                + " or install Archiver's safety net (one rule per policy prefix, expiring after object-retention + margin)." },
        subcommands = { ArchiveLifecycleCommand.Show.class, ArchiveLifecycleCommand.Install.class },
        footer = { "", "Examples:", "  archivectl archive lifecycle show", "  archivectl archive lifecycle install --dry-run",
                "  archivectl archive lifecycle install --margin P60D" })
public class ArchiveLifecycleCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "a lifecycle command is required: show or install");
    }

    @Command(name = "show", mixinStandardHelpOptions = true, sortOptions = false,
            description = { "Print the bucket's lifecycle rules and each one that would expire a policy's objects before its"
                    + " object-retention (exit code 1 when there is any: the uploader refuses to start then)." })
    static class Show implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        BucketOptions bucket;
        @Mixin
        ConnectionOptions connection;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            List<RetainedPrefix> policies = policies(connection);
            ObjectStore store = bucket.open();
            try (var s3 = store.client()) {
                Optional<List<LifecycleRule>> rules = new LifecycleRules(s3, store.bucket()).read();
                if (rules.isEmpty()) {
                    out.println("bucket " + store.bucket() + ": the S3 server does not implement lifecycle rules (501 NotImplemented)");
                    out.flush();
                    return Archivectl.OK;
                }
                print(out, store.bucket(), rules.get());
                return conflicts(out, rules.get(), policies);
            }
        }
    }

    @Command(name = "install", mixinStandardHelpOptions = true, sortOptions = false,
            description = { "Install (or bring up to date) one rule per policy prefix, id archiver-safety-net-<policy>, expiring its objects"
                    + " --margin after the policy's object-retention; every other rule of the bucket is kept as it is." })
    static class Install implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        BucketOptions bucket;
        @Mixin
        ConnectionOptions connection;

        @Option(names = "--margin", paramLabel = "DURATION", converter = DurationConverter.class, defaultValue = "P30D",
                description = "How long after a policy's object-retention its objects expire (default P30D, at least P1D): purge's turn comes first.")
        Duration margin;
        @Option(names = "--dry-run", description = "Print the rules it would install; change nothing.")
        boolean dryRun;

        @Override
        public Integer call() {
            if (margin.compareTo(Duration.ofDays(1)) < 0) {
                throw new UsageException("--margin must be at least P1D (one day after the object-retention), not " + margin);
            }
            PrintWriter out = spec.commandLine().getOut();
            List<RetainedPrefix> policies = policies(connection);
            if (policies.isEmpty()) {
                throw new CtlException("no policy in the control database: nothing to install");
            }
            ObjectStore store = bucket.open();
            try (var s3 = store.client()) {
                LifecycleRules lifecycle = new LifecycleRules(s3, store.bucket());
                List<LifecycleRule> existing = lifecycle.read().orElseThrow(() -> new CtlException("bucket " + store.bucket()
                        + ": the S3 server does not implement lifecycle rules (501 NotImplemented); nothing installed"));
                List<LifecycleRule> rules = LifecycleRules.withSafetyNet(existing, policies, margin);
                if (!dryRun) {
                    lifecycle.write(rules);
                }
                out.println((dryRun ? "would install" : "installed") + " the safety net of " + policies.size() + " policies (margin " + PolicySpec.text(margin)
                        + "):");
                print(out, store.bucket(), rules);
                return conflicts(out, rules, policies);
            }
        }
    }

    private static void print(PrintWriter out, String bucket, List<LifecycleRule> rules) {
        out.println("bucket " + bucket + ": " + rules.size() + " lifecycle rule(s)");
        for (LifecycleRule rule : rules) {
            List<String> what = new ArrayList<>();
            if (rule.expiration() != null && rule.expiration().days() != null) {
                what.add("expire after " + rule.expiration().days() + " days");
            }
            if (rule.expiration() != null && rule.expiration().date() != null) {
                what.add("expire on " + rule.expiration().date());
            }
            if (rule.noncurrentVersionExpiration() != null && rule.noncurrentVersionExpiration().noncurrentDays() != null) {
                what.add("expire noncurrent versions after " + rule.noncurrentVersionExpiration().noncurrentDays() + " days");
            }
            out.printf("  %s  %s  prefix '%s'  %s%n", rule.id(), rule.statusAsString(), LifecycleCheck.prefix(rule),
                    what.isEmpty() ? "(no expiration)" : String.join(", ", what));
        }
    }

    /** Prints the rules that would expire a policy's objects early; exit code 1 when there is any. */
    private static int conflicts(PrintWriter out, List<LifecycleRule> rules, List<RetainedPrefix> policies) {
        List<LifecycleCheck.Conflict> conflicts = LifecycleCheck.conflicts(rules, policies, Instant.now());
        conflicts.forEach(c -> out.println("EARLY " + c.message()));
        out.println(conflicts.isEmpty() ? "no rule expires an object of the " + policies.size() + " policies before its object-retention"
                : conflicts.size() + " rule(s) would expire objects early: the uploader refuses to start until they are changed");
        out.flush();
        return conflicts.isEmpty() ? Archivectl.OK : Archivectl.FAILED;
    }

    /** Every policy's key prefix and object-retention, from the control database. */
    private static List<RetainedPrefix> policies(ConnectionOptions connection) {
        try (Connection jdbc = Ledger.connect(connection.settings(), true)) {
            List<RetainedPrefix> policies = new ArrayList<>();
            for (StoredPolicy stored : new PolicyStore(jdbc).list()) {
                PolicySpec spec = stored.spec();
                policies.add(new RetainedPrefix(spec.name(), spec.prefix() + "/", spec.objectRetention()));
            }
            return policies;
        } catch (java.sql.SQLException e) {
            throw new CtlException("cannot read the policies: " + e.getMessage(), e);
        }
    }
}
