package io.archiver.policy;

import java.time.Duration;
import java.time.ZoneId;
import java.util.function.Function;

import io.archiver.events.ArchiveMode;
import io.archiver.support.policy.DateKind;

/**
 * A row of {@code archive_policy} as a policy, from any SQL client (JDBC in archivectl, the Vert.x client in the services):
 * one reading of the stored form for every reader.
 */
public final class PolicyColumns {

    /** The columns every reader selects, in this order. */
    public static final String SELECT = "SELECT name, table_name, key_columns, date_column, date_kind, date_zone, min_age, batch_size, mode,"
            + " archive_table, object_prefix, max_share_per_run, max_rows_per_run, allow_whole_table, confirm_first_run, enabled, source_name,"
            + " archive_table_retention, object_retention, schedule, version,"
            + " updated_by, updated_at_ms FROM archive_policy";

    private PolicyColumns() {
    }

    /** The policy of a row whose columns {@code column} gives by name (numbers and booleans in whatever type the client has). */
    public static StoredPolicy read(Function<String, Object> column) {
        Object maxRows = column.apply("max_rows_per_run");
        Object tableRetention = column.apply("archive_table_retention");
        PolicySpec spec = new PolicySpec(text(column, "name"), text(column, "table_name"), PolicyStore.keyColumns(text(column, "key_columns")),
                text(column, "date_column"), DateKind.valueOf(text(column, "date_kind")),
                ZoneId.of(text(column, "date_zone")), Duration.parse(text(column, "min_age")),
                (int) number(column, "batch_size"), ArchiveMode.valueOf(text(column, "mode")), text(column, "archive_table"),
                text(column, "object_prefix"), ((Number) column.apply("max_share_per_run")).doubleValue(),
                maxRows == null ? null : ((Number) maxRows).longValue(), bool(column, "allow_whole_table"), bool(column, "confirm_first_run"),
                bool(column, "enabled"), text(column, "source_name"), tableRetention == null ? null : Duration.parse(tableRetention.toString()),
                Duration.parse(text(column, "object_retention")), (String) column.apply("schedule"));
        return new StoredPolicy(spec, (int) number(column, "version"), text(column, "updated_by"), number(column, "updated_at_ms"));
    }

    static String text(Function<String, Object> column, String name) {
        return String.valueOf(column.apply(name));
    }

    static long number(Function<String, Object> column, String name) {
        return ((Number) column.apply(name)).longValue();
    }

    static boolean bool(Function<String, Object> column, String name) {
        Object value = column.apply(name);
        return value instanceof Boolean b ? b : ((Number) value).intValue() != 0;
    }
}
