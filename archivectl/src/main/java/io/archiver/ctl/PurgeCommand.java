package io.archiver.ctl;

import java.io.PrintWriter;
import java.sql.Connection;
import java.time.Clock;
import java.util.concurrent.Callable;

import io.archiver.ctl.archive.BucketOptions;
import io.archiver.ctl.cli.Archivectl;
import io.archiver.ctl.cli.ConnectionOptions;
import io.archiver.ctl.cli.CtlException;
import io.archiver.ctl.format.Json;
import io.archiver.ctl.ledger.Ledger;
import io.archiver.ctl.ledger.SourceDatabases;
import io.archiver.objectstore.ObjectStore;
import io.archiver.operations.Texts;
import io.archiver.operations.purge.PurgeReport;
import io.archiver.operations.purge.Purger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code archivectl purge}: shows (--dry-run) or does what is due under the policies' retentions, through {@link Purger}
 * (the one place purge is decided; a CronJob in deploy/ runs this command). Objects are purged only when a bucket is given.
 */
@Command(name = "purge", mixinStandardHelpOptions = true, sortOptions = false,
        description = { "Purge archived data past its retention: MOVE-table rows older than the policy's archive-table-retention and "
                + "objects older than its object-retention. Data under a legal hold (archivectl hold) or still under S3 Object Lock "
                + "is kept and reported. Every removal is audited (archivectl audit)." },
        footer = { "", "Examples:", "  archivectl purge --dry-run", "  archivectl purge --policy run" })
public class PurgeCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ConnectionOptions connection;

    @Mixin
    BucketOptions bucket;

    @Mixin
    PolicyCommand.ActorOption actor;

    @Option(names = "--policy", paramLabel = "P", description = "Only this policy (default: every policy).")
    String policy;

    @Option(names = "--dry-run", description = "Show what is due, held and locked; remove nothing.")
    boolean dryRun;

    @Option(names = "--batch-rows", paramLabel = "N", description = "Archive-table rows removed per transaction (default ${DEFAULT-VALUE}).")
    int batchRows = Purger.DEFAULT_BATCH_ROWS;

    @Option(names = "--json", description = "Print the report as one JSON object.")
    boolean json;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        String who = actor.resolve(spec);
        ObjectStore store = bucket.given() ? bucket.open() : null;
        try (Connection jdbc = Ledger.connect(connection.settings(), false)) {
            PurgeReport report = new Purger(jdbc, store, Clock.systemUTC(), who, batchRows,
                    source -> SourceDatabases.connectForWrites(source, PolicyCommand.environment(spec))).purge(policy, dryRun);
            if (json) {
                out.println(Json.line(report.toJson()));
            } else {
                print(out, report);
            }
            out.flush();
            return Archivectl.OK;
        } catch (java.sql.SQLException e) {
            throw new CtlException("cannot close the control database connection: " + e.getMessage(), e);
        } finally {
            if (store != null) {
                store.client().close();
            }
        }
    }

    static void print(PrintWriter out, PurgeReport report) {
        String verb = report.dryRun() ? "would purge" : "purged";
        long rows = 0;
        long objects = 0;
        for (PurgeReport.PolicyPurge p : report.policies()) {
            PurgeReport.Rows r = p.rows();
            if (r.note() != null) {
                out.printf("%s rows: %s%n", p.policy(), r.note());
            } else {
                out.printf("%s rows of %s before %s: %s due, %s %s, %s held%n", p.policy(), r.table(), Texts.time(r.cutoff()), Texts.count(r.due()),
                        verb, Texts.count(r.purged()), Texts.count(r.held()));
                rows += r.purged();
            }
            PurgeReport.Objects o = p.objects();
            if (o.note() != null) {
                out.printf("%s objects: %s%n", p.policy(), o.note());
                continue;
            }
            out.printf("%s objects: %d within retention, %s %d, %d held, %d locked%n", p.policy(), o.notYetDue(), verb, o.purged().size(),
                    o.held().size(), o.locked().size());
            objects += o.purged().size();
            o.purged().forEach(k -> out.printf("  %s %s%n", report.dryRun() ? "DUE" : "PURGED", k));
            o.held().forEach(k -> out.printf("  HELD %s%n", k));
            o.locked().forEach(l -> out.printf("  LOCKED %s: %s%n", l.key(), l.legalHold() ? "S3 legal hold ON"
                    : "Object Lock retention until " + Texts.time(l.retainUntil())));
        }
        out.printf("%s %s rows and %d objects of %d policies%n", verb, Texts.count(rows), objects, report.policies().size());
    }
}
