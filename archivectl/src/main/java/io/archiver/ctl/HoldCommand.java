package io.archiver.ctl;

import java.io.PrintWriter;
import java.sql.Connection;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import io.archiver.ctl.archive.BucketOptions;
import io.archiver.ctl.cli.Archivectl;
import io.archiver.ctl.cli.ConnectionOptions;
import io.archiver.ctl.cli.InstantConverter;
import io.archiver.ctl.cli.UsageException;
import io.archiver.ctl.format.Json;
import io.archiver.ctl.format.Table;
import io.archiver.ctl.ledger.Ledger;
import io.archiver.objectstore.ObjectStore;
import io.archiver.operations.Texts;
import io.archiver.operations.holds.Hold;
import io.archiver.operations.holds.HoldOperations;
import io.archiver.operations.holds.HoldOrder;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code archivectl hold place | release | list}: legal holds ({@link HoldOperations} does each, as the API will). A hold keeps
 * the archived data it covers from being purged; where the bucket has Object Lock its objects also get an S3 legal hold.
 */
@Command(name = "hold", mixinStandardHelpOptions = true,
        description = { "Legal holds: keep a policy's archived data (all of it, one run, one object or a key range) from being purged.",
                "Every place and release is audited (archivectl audit)." },
        subcommands = { HoldCommand.Place.class, HoldCommand.Release.class, HoldCommand.ListHolds.class },
        footer = { "", "Examples:", "  archivectl hold place --policy run --key-range 40000..40999 --reason \"case 2026-117\"",
                "  archivectl hold place --policy run --key-range 1..5000 --keep-in-source --reason \"case 2026-118\"",
                "  archivectl hold place --policy run --run run-20261206T095234Z-c54c834f --reason audit --until 2027-06-30T00:00:00Z",
                "  archivectl hold list --policy run", "  archivectl hold release 3 --actor alice" })
public class HoldCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a hold command is required: place, release or list");
    }

    interface HoldWork {
        int run(HoldOperations holds, PrintWriter out);
    }

    /** Runs {@code work} on the control database, and on the bucket when one is given (else the hold is the ledger's alone). */
    static int withHolds(CommandSpec spec, ConnectionOptions connection, BucketOptions bucket, HoldWork work) {
        PrintWriter out = spec.commandLine().getOut();
        ObjectStore store = bucket != null && bucket.given() ? bucket.open() : null;
        try (Connection jdbc = Ledger.connect(connection.settings(), false)) {
            int code = work.run(new HoldOperations(jdbc, store, Clock.systemUTC()), out);
            out.flush();
            return code;
        } catch (java.sql.SQLException e) {
            throw new io.archiver.ctl.cli.CtlException("cannot close the control database connection: " + e.getMessage(), e);
        } finally {
            if (store != null) {
                store.client().close();
            }
        }
    }

    @Command(name = "place", mixinStandardHelpOptions = true, sortOptions = false,
            description = { "Place a hold on a policy's archived data: with none of --run, --object and --key-range, all of it." })
    static class Place implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        ConnectionOptions connection;
        @Mixin
        BucketOptions bucket;
        @Mixin
        PolicyCommand.ActorOption actor;

        @Option(names = "--policy", paramLabel = "P", required = true, description = "The policy whose data is held.")
        String policy;
        @Option(names = "--run", paramLabel = "RUN", description = "Hold one run: its objects and its batches' keys.")
        String run;
        @Option(names = "--object", paramLabel = "KEY", description = "Hold one object (its S3 key) and the keys of its batch.")
        String object;
        @Option(names = "--key-range", paramLabel = "A..B", description = "Hold the keys A..B (inclusive): the objects whose range meets it, and those rows.")
        String keyRange;
        @Option(names = "--reason", paramLabel = "TEXT", required = true, description = "Why (a case, a request); kept with the hold and in the audit.")
        String reason;
        @Option(names = "--until", paramLabel = "T", converter = InstantConverter.class, description = "The hold ends at T (default: when released).")
        Instant until;
        @Option(names = "--keep-in-source", description = { "With --key-range: also keep those rows in the source table while the hold is"
                + " in force (the scanner plans none of them, the deleter deletes none); the run after its release archives them." })
        boolean keepInSource;
        @Option(names = "--json", description = "Print the hold as JSON.")
        boolean json;

        @Override
        public Integer call() {
            Long first = null;
            Long last = null;
            if (keyRange != null) {
                String[] ends = keyRange.split("\\.\\.", -1);
                try {
                    if (ends.length != 2) {
                        throw new NumberFormatException();
                    }
                    first = Long.parseLong(ends[0].trim());
                    last = Long.parseLong(ends[1].trim());
                } catch (NumberFormatException e) {
                    throw new UsageException("--key-range takes FIRST..LAST, two integer keys, e.g. 40000..40999; not " + keyRange);
                }
            }
            HoldOrder order = new HoldOrder(policy, run, object, first, last, reason, until, actor.resolve(spec), keepInSource);
            return withHolds(spec, connection, bucket, (holds, out) -> {
                HoldOperations.Outcome outcome = holds.place(order);
                print(out, outcome, json);
                return Archivectl.OK;
            });
        }
    }

    @Command(name = "release", mixinStandardHelpOptions = true, sortOptions = false,
            description = { "Release a hold by its id: its data may be purged again once no other hold covers it." })
    static class Release implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        ConnectionOptions connection;
        @Mixin
        BucketOptions bucket;
        @Mixin
        PolicyCommand.ActorOption actor;

        @Parameters(paramLabel = "ID", description = "The hold's id (archivectl hold list).")
        long id;
        @Option(names = "--json", description = "Print the hold as JSON.")
        boolean json;

        @Override
        public Integer call() {
            String who = actor.resolve(spec);
            return withHolds(spec, connection, bucket, (holds, out) -> {
                print(out, holds.release(id, who), json);
                return Archivectl.OK;
            });
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, sortOptions = false,
            description = { "List the holds in force (with --all, also the released and ended ones), oldest first." })
    static class ListHolds implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        ConnectionOptions connection;

        @Option(names = "--policy", paramLabel = "P", description = "Only this policy's holds.")
        String policy;
        @Option(names = "--all", description = "Also the holds released or past their end.")
        boolean all;
        @Option(names = "--json", description = "One JSON object per hold and line.")
        boolean json;

        @Override
        public Integer call() {
            return withHolds(spec, connection, null, (holds, out) -> {
                List<Hold> list = holds.list(policy, all);
                if (json) {
                    list.forEach(h -> out.println(Json.line(h.toJson())));
                    return Archivectl.OK;
                }
                Table table = new Table("ID", "POLICY", "COVERS", "REASON", "PLACED BY", "PLACED", "UNTIL", "RELEASED").alignRight(0);
                for (Hold h : list) {
                    table.row(Long.toString(h.id()), h.policy(), covers(h), h.reason(), h.placedBy(), Texts.time(h.placedAt()),
                            h.until() == null ? "until released" : Texts.time(h.until()),
                            h.releasedAt() == null ? "-" : Texts.time(h.releasedAt()) + " by " + h.releasedBy());
                }
                table.print(out);
                out.printf("%d hold(s)%n", list.size());
                return Archivectl.OK;
            });
        }
    }

    private static void print(PrintWriter out, HoldOperations.Outcome outcome, boolean json) {
        Hold h = outcome.hold();
        if (json) {
            Map<String, Object> view = h.toJson();
            view.put("legalHoldsSet", outcome.legalHoldsSet());
            view.put("legalHoldsKept", outcome.legalHoldsKept());
            view.put("bucket", outcome.bucketNote());
            out.println(Json.line(view));
            return;
        }
        out.printf("hold %d %s on %s: %s%n", h.id(), h.releasedAt() == null ? "placed" : "released", h.what(), h.reason());
        out.println(outcome.bucketNote());
    }

    private static String covers(Hold h) {
        return switch (h.scope()) {
            case POLICY -> "all";
            case RUN -> "run " + h.runId();
            case OBJECT -> "object " + h.objectKey();
            case KEY_RANGE -> "keys " + h.firstKey() + ".." + h.lastKey() + (h.keepInSource() ? " (kept in source)" : "");
        };
    }
}
