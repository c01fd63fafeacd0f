package io.archiver.ctl;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import io.archiver.ctl.cli.Archivectl;
import io.archiver.ctl.cli.ConnectionOptions;
import io.archiver.ctl.cli.CtlException;
import io.archiver.ctl.cli.InstantConverter;
import io.archiver.ctl.format.Formats;
import io.archiver.ctl.format.Json;
import io.archiver.ctl.format.Table;
import io.archiver.ctl.ledger.Ledger;
import io.archiver.ledger.LedgerSql;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code archivectl audit}: the append-only audit trail of the control database (docs/archive.md#audit), read only. */
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
        List<Map<String, Object>> entries = new ArrayList<>();
        try (Connection jdbc = Ledger.connect(connection.settings(), true);
                PreparedStatement query = jdbc.prepareStatement(LedgerSql.AUDIT_SINCE)) {
            query.setString(1, policy);
            query.setString(2, policy);
            query.setLong(3, since == null ? 0 : since.toEpochMilli());
            query.setInt(4, limit);
            try (ResultSet rs = query.executeQuery()) {
                while (rs.next()) {
                    Map<String, Object> entry = new LinkedHashMap<>();
                    entry.put("id", rs.getLong("id"));
                    entry.put("at", Instant.ofEpochMilli(rs.getLong("at_ms")).toString());
                    entry.put("actor", rs.getString("actor"));
                    entry.put("action", rs.getString("action"));
                    entry.put("policy", rs.getString("policy"));
                    entry.put("table", rs.getString("table_name"));
                    entry.put("runId", rs.getString("run_id"));
                    entry.put("batchId", rs.getString("batch_id"));
                    entry.put("rows", rs.getLong("row_count"));
                    entry.put("objectKeys", jsonOrText(rs.getString("object_keys")));
                    entry.put("digests", jsonOrText(rs.getString("digests")));
                    entry.put("detail", rs.getString("detail"));
                    entries.add(entry);
                }
            }
        } catch (SQLException e) {
            throw new CtlException("cannot read the audit trail: " + e.getMessage(), e);
        }
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            entries.forEach(entry -> out.println(Json.line(entry)));
        } else {
            Table table = new Table("AT", "ACTOR", "ACTION", "POLICY", "RUN", "BATCH", "ROWS", "OBJECTS").alignRight(6);
            for (Map<String, Object> entry : entries) {
                table.row((String) entry.get("at"), (String) entry.get("actor"), (String) entry.get("action"), text(entry.get("policy")),
                        text(entry.get("runId")), text(entry.get("batchId")), Formats.count((Long) entry.get("rows")),
                        text(entry.get("objectKeys")));
            }
            table.print(out);
            out.printf("%d entries%n", entries.size());
        }
        out.flush();
        return Archivectl.OK;
    }

    private static Object jsonOrText(String value) {
        if (value == null) {
            return null;
        }
        Object tree = Json.tree(value);
        return tree != null ? tree : value;
    }

    private static String text(Object value) {
        return value == null ? "-" : value.toString();
    }
}
