package io.archiver.table;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.archiver.events.KeyColumns;
import io.archiver.support.policy.ColumnTypes;
import io.archiver.support.policy.PolicyViolation;
import io.archiver.support.policy.TableFactsSql;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * A table's whole primary key as the server defines it, each column with its {@link io.archiver.events.KeyKind}
 * ({@link ColumnTypes#keyFit}): what a policy's batches are ranges of. Refuses, before anything is read, a table without a
 * primary key, a policy whose key is not the whole primary key, and a key column of a type no range can be carried in, naming
 * the column and why.
 */
public final class KeyColumnsReader {

    private KeyColumnsReader() {
    }

    /** The key of {@code table}, which must be the columns {@code policyKey} in that order. */
    public static KeyColumns read(SqlConnection connection, String table, List<String> policyKey, Duration timeout) {
        return of(table, policyKey, connection.preparedQuery(TableFactsSql.KEY_COLUMN_TYPES).execute(Tuple.of(table)).await().atMost(timeout));
    }

    /** {@link #read} without blocking (the scanner's event loop); fails with the same {@link PolicyViolation}. */
    public static Uni<KeyColumns> read(Pool pool, String table, List<String> policyKey) {
        return pool.preparedQuery(TableFactsSql.KEY_COLUMN_TYPES).execute(Tuple.of(table)).map(rows -> of(table, policyKey, rows));
    }

    private static KeyColumns of(String table, List<String> policyKey, Iterable<Row> rows) {
        List<KeyColumns.Column> columns = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (Row row : rows) {
            String name = row.getString(0);
            ColumnTypes.KeyFit fit = ColumnTypes.keyFit(row.getString(1), row.getString(2), (Number) row.getValue(3));
            if (fit.fits()) {
                columns.add(new KeyColumns.Column(name, fit.kind()));
            } else {
                problems.add("key column " + table + "." + name + " is " + row.getString(2).toUpperCase(Locale.ROOT) + ": "
                        + fit.whyNot());
                columns.add(null);
            }
        }
        if (columns.isEmpty()) {
            throw new PolicyViolation("UNSUPPORTED_KEY", "table " + table + " has no primary key: batches are ranges of it; ALTER TABLE "
                    + table + " ADD PRIMARY KEY (" + String.join(", ", policyKey) + ")");
        }
        List<String> names = columns.stream().map(c -> c == null ? null : c.name()).toList();
        if (problems.isEmpty() && !names.stream().map(n -> n.toLowerCase(Locale.ROOT)).toList()
                .equals(policyKey.stream().map(n -> n.toLowerCase(Locale.ROOT)).toList())) {
            problems.add("key " + policyKey + " is not the whole primary key of " + table + " (PRIMARY KEY (" + String.join(", ", names)
                    + ")); write key: [" + String.join(", ", names) + "]");
        }
        if (!problems.isEmpty()) {
            throw new PolicyViolation("UNSUPPORTED_KEY", String.join("; ", problems));
        }
        return new KeyColumns(columns);
    }
}
