package io.archiver.ctl;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;

import io.archiver.ctl.cli.Archivectl;
import io.archiver.ctl.cli.ConnectionOptions;
import io.archiver.ctl.cli.CtlException;
import io.archiver.ctl.cli.InstantConverter;
import io.archiver.ctl.cli.UsageException;
import io.archiver.ctl.format.Formats;
import io.archiver.ctl.format.Json;
import io.archiver.ctl.format.Table;
import io.archiver.ctl.ledger.Ledger;
import io.archiver.operations.audit.AuditEntry;
import io.archiver.operations.audit.AuditTrail;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code archivectl audit}: the append-only audit trail of the control database (docs/archive.md#audit), read through {@link AuditTrail} as the API's. */
@Command(name = "audit", mixinStandardHelpOptions = true, sortOptions = false,
        description = { "Show the audit trail (archive_audit), oldest first: every deleted or moved batch, hold placed or released and "
                + "purge, with who, when, how many rows, which objects and their digests." },
        footer = { "", "Examples:", "  archivectl audit --policy run --since 2026-12-01T00:00:00Z", "  archivectl audit --json" })
public class AuditCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ConnectionOptions connection;

    @Option(names = "--policy", paramLabel = "P", description = "Only this policy's entries.")
    String policy;

    @Option(names = "--since", paramLabel = "T", converter = InstantConverter.class, description = "Only entries at or after T.")
    Instant since;

    @Option(names = "--limit", paramLabel = "N", description = "At most N entries (default ${DEFAULT-VALUE}).")
    int limit = 1000;

    @Option(names = "--json", description = "One JSON object per entry and line.")
    boolean json;

    @Override
    public Integer call() {
        if (limit < 1) {
            throw new UsageException("--limit must be 1 or more, not " + limit);
        }
        List<AuditEntry> entries;
        try (Connection jdbc = Ledger.connect(connection.settings(), true)) {
            entries = new AuditTrail(jdbc).read(policy, since, 0, limit);
        } catch (SQLException e) {
            throw new CtlException("cannot close the control database connection: " + e.getMessage());
        }
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            entries.forEach(entry -> out.println(Json.line(entry)));
        } else {
            Table table = new Table("AT", "ACTOR", "ACTION", "POLICY", "RUN", "BATCH", "ROWS", "OBJECTS").alignRight(6);
            for (AuditEntry entry : entries) {
                table.row(entry.at(), entry.actor(), entry.action(), text(entry.policy()), text(entry.runId()), text(entry.batchId()),
                        Formats.count(entry.rows()), text(entry.objectKeys()));
            }
            table.print(out);
            out.printf("%d entries%n", entries.size());
        }
        out.flush();
        return Archivectl.OK;
    }

    private static String text(Object value) {
        return value == null ? "-" : value.toString();
    }
}
