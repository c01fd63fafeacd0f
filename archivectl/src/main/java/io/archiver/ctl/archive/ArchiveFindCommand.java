package io.archiver.ctl.archive;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import org.apache.commons.csv.CSVPrinter;

import io.archiver.ctl.cli.Archivectl;
import io.archiver.ctl.cli.ConnectionOptions;
import io.archiver.ctl.cli.CtlException;
import io.archiver.ctl.cli.InstantConverter;
import io.archiver.ctl.cli.UsageException;
import io.archiver.ctl.format.Json;
import io.archiver.objectstore.ArchiveFinder;
import io.archiver.objectstore.ArchiveQuery;
import io.archiver.objectstore.ArchiveReader;
import io.archiver.objectstore.ObjectStore;
import io.archiver.rows.ShardFormat;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code archivectl archive find}: archived rows by key, key range or date range, with the objects they came from. Only
 * objects whose manifest ranges can hold such a row are opened ({@link ArchiveFinder}, as the API's find); each opened object
 * is read through its SHA-256 and its rows are printed only if it is intact.
 */
@Command(name = "find", mixinStandardHelpOptions = true, sortOptions = false,
        description = { "Print archived rows of a policy by key (--key), key range (--key-range A..B) or date range "
                + "(--from, --to: from inclusive, to exclusive), each with the object it came from. Reads the objects' manifests "
                + "under the policy's prefix and opens only the objects whose key or date range can hold a row asked for; "
                + "stderr says how many were opened and skipped. An opened object whose size, SHA-256 or rows differ from its "
                + "manifest is refused (exit code 1) and none of its rows is printed.",
                "The prefix comes from --prefix, else from the policy in the control database (--jdbc-url ...)." },
        footer = { "", "Examples:", "  archivectl archive find --policy run --key 40002",
                "  archivectl archive find --policy run --from 2025-12-01T00:00:00Z --to 2025-12-02T00:00:00Z --format json" })
public class ArchiveFindCommand implements Callable<Integer> {

    /** What is asked for: exactly one of these. */
    static final class Selection {
        @Option(names = "--key", paramLabel = "K", description = "One key.")
        String key;

        @Option(names = "--key-range", paramLabel = "A..B", description = "Keys from A to B, both included.")
        String keyRange;

        @ArgGroup(exclusive = false)
        Dates dates;
    }

    static final class Dates {
        @Option(names = "--from", paramLabel = "T", converter = InstantConverter.class, description = "Rows dated at or after T.")
        Instant from;

        @Option(names = "--to", paramLabel = "T", converter = InstantConverter.class, description = "Rows dated before T.")
        Instant to;
    }

    enum Format {
        csv, json
    }

    @Spec
    CommandSpec spec;

    @Mixin
    BucketOptions bucket;

    @Mixin
    ConnectionOptions connection;

    @Option(names = "--policy", paramLabel = "P", required = true, description = "The policy whose archive is searched.")
    String policy;

    @Option(names = "--prefix", paramLabel = "PREFIX", description = "The policy's key prefix (for example run-archive/); default: "
            + "the policy's, from the control database.")
    String prefix;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Selection selection;

    @Option(names = "--format", paramLabel = "csv|json", description = "csv (default: a header, then object and values per row; "
            + "NULL an unquoted empty field) or json (one object per line).")
    Format format = Format.csv;

    @Override
    public Integer call() throws IOException {
        ArchiveQuery query = query();
        String keyPrefix = prefix != null ? prefix : ArchiveDdlCommand.policyPrefix(connection, policy);
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ObjectStore store = bucket.open();
        try (var s3 = store.client()) {
            boolean[] headerPrinted = { false };
            ArchiveFinder.Result result = new ArchiveFinder(new ArchiveReader(store)).find(policy, keyPrefix, query, (key, columns, rows) -> {
                if (format == Format.csv && !headerPrinted[0]) {
                    List<String> header = new ArrayList<>();
                    header.add("archive_object");
                    header.addAll(columns);
                    out.print(csv(header));
                    headerPrinted[0] = true;
                }
                for (List<String> row : rows) {
                    out.print(format == Format.csv ? csv(withObject(key, row)) : json(key, columns, row) + "\n");
                }
            });
            out.flush();
            err.printf("%d rows found; opened %d of %d objects of policy %s under %s, %d skipped by their manifests' ranges%n", result.found(),
                    result.opened(), result.objects(), policy, keyPrefix, result.skipped());
            if (!result.refused().isEmpty()) {
                throw new CtlException("refused " + result.refused().size() + " objects that differ from their manifests (their rows not printed): "
                        + String.join(" | ", result.refused()));
            }
            return Archivectl.OK;
        }
    }

    private ArchiveQuery query() {
        if (selection.key != null) {
            return ArchiveQuery.key(selection.key);
        }
        if (selection.keyRange != null) {
            int dots = selection.keyRange.indexOf("..");
            if (dots <= 0 || dots + 2 >= selection.keyRange.length()) {
                throw new UsageException("--key-range takes A..B, not " + selection.keyRange);
            }
            return ArchiveQuery.keyRange(selection.keyRange.substring(0, dots), selection.keyRange.substring(dots + 2));
        }
        if (selection.dates == null || selection.dates.from == null && selection.dates.to == null) {
            throw new UsageException("give --key, --key-range or --from/--to");
        }
        return ArchiveQuery.dates(selection.dates.from, selection.dates.to);
    }

    private static List<String> withObject(String key, List<String> row) {
        List<String> values = new ArrayList<>(row.size() + 1);
        values.add(key);
        values.addAll(row);
        return values;
    }

    private static String csv(List<String> values) throws IOException {
        StringWriter text = new StringWriter();
        try (CSVPrinter printer = new CSVPrinter(text, ShardFormat.CSV)) {
            printer.printRecord(values);
        }
        return text.toString();
    }

    private static String json(String key, List<String> columns, List<String> row) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (int i = 0; i < columns.size(); i++) {
            values.put(columns.get(i), row.get(i));
        }
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("object", key);
        line.put("values", values);
        return Json.line(line);
    }
}
