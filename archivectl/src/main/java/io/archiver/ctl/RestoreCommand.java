package io.archiver.ctl;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

import io.archiver.ctl.cli.Archivectl;
import io.archiver.ctl.cli.ConnectionOptions;
import io.archiver.ctl.cli.CtlException;
import io.archiver.ctl.cli.DurationConverter;
import io.archiver.ctl.cli.InstantConverter;
import io.archiver.ctl.cli.UsageException;
import io.archiver.ctl.format.Formats;
import io.archiver.ctl.format.Json;
import io.archiver.operations.kafka.KafkaAccess;
import io.archiver.ctl.ledger.Ledger;
import io.archiver.events.RestoreRequested;
import io.archiver.ledger.RestoreRecord;
import io.archiver.operations.OperationRefused;
import io.archiver.operations.requests.RequestPublisher;
import io.archiver.operations.restores.RestoreOrder;
import io.archiver.operations.restores.RestoreReader;
import io.archiver.operations.restores.RestoreRequests;
import io.archiver.policy.PolicySpec;
import io.archiver.policy.PolicyStore;
import io.archiver.policy.StoredPolicy;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code archivectl restore}: publishes a RestoreRequested (through the operations module, as the API does) and, with
 * {@code --wait}, follows the restore's record in the ledger to its end; {@code restore status} shows a restore or the latest.
 */
@Command(name = "restore", mixinStandardHelpOptions = true, sortOptions = false,
        description = { "Restore archived rows of a policy: publish a RestoreRequested to archive.restores (key = restore id) and print the"
                + " restore id. The deleter verifies each object in scope against its manifest before it writes a row, inserts in short"
                + " transactions, skips a row already there with the same values and reports (never overwrites) one with other values.",
                "The target is another table (--into, created like the policy's table if absent); the policy's own table only with"
                        + " --into-source, and only while the policy is disabled (docs/archive.md#restore)." },
        subcommands = { RestoreCommand.Status.class, CommandLine.HelpCommand.class },
        footer = { "", "Examples:", "  archivectl restore --policy run --run run-20261206T095234Z-c54c834f --into run_restored --wait",
                "  archivectl restore --policy run --key-range 40000..40100 --into run_restored --dry-run --wait",
                "  archivectl policy disable run && archivectl restore --policy run --from 2025-12-01T00:00:00Z --to 2025-12-02T00:00:00Z --into-source --wait",
                "  archivectl restore status restore-20261206T161500Z-5f3725ea" })
public class RestoreCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ConnectionOptions connection;

    @Option(names = "--policy", paramLabel = "P", description = "The policy whose archive is read.")
    String policy;

    @Option(names = "--run", paramLabel = "R", description = "Every row archived by run R.")
    String run;

    @Option(names = "--object", paramLabel = "KEY", description = "Every row of one archive object.")
    String objectKey;

    @Option(names = "--key-range", paramLabel = "A..B", description = "The rows whose key is in A..B (inclusive).")
    String keyRange;

    @Option(names = "--from", paramLabel = "T", converter = InstantConverter.class, description = "The rows dated at or after T (with --to).")
    Instant from;

    @Option(names = "--to", paramLabel = "T", converter = InstantConverter.class, description = "The rows dated before T (with --from).")
    Instant to;

    @Option(names = "--into", paramLabel = "TABLE", description = "The table to restore into, in the policy's database; created like the"
            + " policy's table if absent. No table a policy archives.")
    String into;

    @Option(names = "--into-source", description = "Restore into the policy's own table (the policy must be disabled: its next run would"
            + " archive the rows again).")
    boolean intoSource;

    @Option(names = "--dry-run", description = "Read and verify the objects and count what would be restored, skipped and in conflict; write no row.")
    boolean dryRun;

    @Option(names = "--restore-id", paramLabel = "ID", description = "The restore id (default: restore-<yyyyMMdd'T'HHmmss'Z'>-<8 hex>).")
    String restoreId;

    @Option(names = "--requested-by", paramLabel = "WHO", description = "Who asks, recorded with the restore and in the audit trail"
            + " (default: archivectl:<user>).")
    String requestedBy;

    @Option(names = "--wait", paramLabel = "DURATION", arity = "0..1", fallbackValue = "PT1H", converter = DurationConverter.class,
            description = "Wait for the restore to end, at most DURATION (default PT1H), print its figures; exit 1 unless it COMPLETED.")
    Duration wait;

    @Option(names = "--json", description = "Print the restore's record as JSON.")
    boolean json;

    Clock clock = Clock.systemUTC();

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (policy == null) {
            throw new UsageException("--policy is required (or: archivectl restore status [ID])");
        }
        String keyFrom = null;
        String keyTo = null;
        if (keyRange != null) {
            int dots = keyRange.indexOf("..");
            if (dots <= 0 || dots + 2 >= keyRange.length()) {
                throw new UsageException("--key-range must be A..B, not '" + keyRange + "'");
            }
            keyFrom = keyRange.substring(0, dots);
            keyTo = keyRange.substring(dots + 2);
        }
        RestoreOrder order = new RestoreOrder(policy, run, objectKey, keyFrom, keyTo, from, to, into, intoSource, dryRun,
                requestedBy != null ? requestedBy : "archivectl:" + System.getProperty("user.name", "unknown"), restoreId);
        RestoreRequested request;
        try (Connection jdbc = Ledger.connect(connection.settings(), true)) {
            Optional<StoredPolicy> stored = new PolicyStore(jdbc).find(policy);
            PolicySpec spec = stored.map(StoredPolicy::spec).orElse(null);
            request = RestoreRequests.request(order, spec, clock.instant());
        } catch (OperationRefused e) {
            throw new UsageException((e.field() == null ? "" : option(e.field()) + ": ") + e.reason());
        } catch (SQLException e) {
            throw new CtlException("cannot close the control database connection: " + e.getMessage());
        }
        try (KafkaAccess kafka = connection.settings().kafka()) {
            RequestPublisher.Published sent = new RequestPublisher((topic, key, value) -> {
                RecordMetadata meta = kafka.send(new ProducerRecord<>(topic, key, value));
                return new RequestPublisher.Published(meta.topic(), meta.partition(), meta.offset(), value);
            }).publish(request);
            if (!json || wait == null) {
                out.println(request.runId());
                out.flush();
            }
            err.printf("requested restore %s: policy %s, %s into %s%s (%s-%d@%d)%n", request.runId(), request.policy(), request.scope().describe(),
                    request.targetTable(), request.dryRun() ? ", dry run" : "", sent.topic(), sent.partition(), sent.offset());
            err.flush();
        }
        if (wait == null) {
            return Archivectl.OK;
        }
        RestoreRecord record = awaitEnd(request.runId(), wait);
        Status.print(out, record, json);
        return record.state() == io.archiver.ledger.RestoreState.COMPLETED ? Archivectl.OK : Archivectl.FAILED;
    }

    private static String option(String field) {
        return switch (field) {
            case "intoSource" -> "--into-source";
            case "keyRange" -> "--key-range";
            case "restoreId" -> "--restore-id";
            case "requestedBy" -> "--requested-by";
            case "objectKey" -> "--object";
            case "scope" -> "the scope";
            default -> "--" + field;
        };
    }

    /** Polls the restore's record until it ends; the deleter writes it, so the ledger is the answer (a restore has no closing event). */
    private RestoreRecord awaitEnd(String id, Duration atMost) {
        Instant deadline = clock.instant().plus(atMost);
        while (true) {
            try (Connection jdbc = Ledger.connect(connection.settings(), true)) {
                Optional<RestoreRecord> record = new RestoreReader(jdbc, "the control database").find(id);
                if (record.isPresent() && record.get().state().ended()) {
                    return record.get();
                }
            } catch (SQLException e) {
                throw new CtlException("cannot close the control database connection: " + e.getMessage());
            }
            if (clock.instant().isAfter(deadline)) {
                throw new CtlException("restore " + id + " has not ended within " + atMost + ": see archivectl restore status " + id);
            }
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CtlException("interrupted while waiting for restore " + id);
            }
        }
    }

    /** {@code archivectl restore status [ID]}: one restore with its objects and conflicts, or the latest restores. */
    @Command(name = "status", mixinStandardHelpOptions = true, description = "Show a restore (state, objects, rows restored, skipped and"
            + " conflicting, the conflicting keys), or without ID the latest restores.")
    static class Status implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Mixin
        ConnectionOptions connection;

        @Parameters(index = "0", arity = "0..1", paramLabel = "ID", description = "The restore id.")
        String id;

        @Option(names = "--policy", paramLabel = "P", description = "Without ID: only this policy's restores.")
        String policy;

        @Option(names = "--limit", paramLabel = "N", description = "Without ID: at most N restores; with ID: at most N conflicts (default ${DEFAULT-VALUE}).")
        int limit = 20;

        @Option(names = "--json", description = "JSON.")
        boolean json;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            try (Connection jdbc = Ledger.connect(connection.settings(), true)) {
                RestoreReader reader = new RestoreReader(jdbc, "the control database");
                if (id == null) {
                    for (RestoreRecord r : reader.latest(policy, limit)) {
                        if (json) {
                            out.println(Json.line(doc(r)));
                        } else {
                            out.printf("%s  %-9s %s %s -> %s  restored %s, skipped %s, conflicting %s, objects %d/%d%s%n", r.restoreId(), r.state(),
                                    r.policy(), r.scope(), r.targetTable(), Formats.count(r.rowsRestored()), Formats.count(r.rowsSkipped()),
                                    Formats.count(r.rowsConflicting()), r.objectsDone(), r.objectsTotal(), r.dryRun() ? " (dry run)" : "");
                        }
                    }
                    out.flush();
                    return Archivectl.OK;
                }
                RestoreRecord record = reader.find(id).orElseThrow(() -> new CtlException("no restore " + id + " in the ledger"
                        + " (a request not yet handled by the deleter has no record yet)"));
                Map<String, Object> doc = doc(record);
                List<RestoreReader.Conflict> conflicts = reader.conflicts(id, limit);
                if (json) {
                    doc.put("objects", reader.objects(id));
                    doc.put("conflicts", conflicts);
                    out.println(Json.pretty(doc));
                } else {
                    print(out, record, false);
                    for (RestoreReader.ObjectProgress o : reader.objects(id)) {
                        out.printf("  %s %s: %d records, restored %d, skipped %d, conflicting %d%n", o.done() ? "done" : "....", o.objectKey(),
                                o.recordsDone(), o.restored(), o.skipped(), o.conflicting());
                    }
                    for (RestoreReader.Conflict c : conflicts) {
                        out.printf("  conflict: key %s (archived in %s) holds other values in %s: kept%n", c.key(), c.objectKey(), record.targetTable());
                    }
                }
                out.flush();
                return record.state() == io.archiver.ledger.RestoreState.FAILED ? Archivectl.FAILED : Archivectl.OK;
            } catch (SQLException e) {
                throw new CtlException("cannot close the control database connection: " + e.getMessage());
            }
        }

        static Map<String, Object> doc(RestoreRecord r) {
            return RestoreReader.toJson(r);
        }

        static void print(PrintWriter out, RestoreRecord r, boolean json) {
            if (json) {
                out.println(Json.pretty(doc(r)));
                out.flush();
                return;
            }
            out.printf("restore %s: %s%s%n", r.restoreId(), r.state(), r.dryRun() ? " (dry run: nothing written)" : "");
            out.printf("  policy %s, %s, from %s into %s, requested by %s%n", r.policy(), r.scope(), r.table(), r.targetTable(), r.requestedBy());
            out.printf("  objects %d/%d, rows restored %s, skipped (same values) %s, conflicting (other values, kept) %s%n", r.objectsDone(),
                    r.objectsTotal(), Formats.count(r.rowsRestored()), Formats.count(r.rowsSkipped()), Formats.count(r.rowsConflicting()));
            if (r.error() != null) {
                out.printf("  error: %s%n", r.error());
            }
            out.flush();
        }
    }
}
