package io.archiver.table;

import java.util.Optional;

import io.archiver.support.policy.ArchivePolicies;
import io.archiver.support.policy.TableFacts;
import io.archiver.support.policy.TableFactsSql;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Reads what the safety rails judge a policy's table by: from information_schema the date column's SQL type
 * and an index it leads, whether the id column leads the primary key; then, only where that index exists,
 * the column's smallest and largest values ({@link EligibleRows#dateBounds()}: one index lookup at each end).
 * The information_schema SQL is {@link TableFactsSql}'s, shared with archivectl's check when a policy is applied.
 * After planning, the figures of a run's plan ({@link #figures}). Never a statement that scans the table.
 */
public final class TableFactsReader {

    /** What a plan needs beyond its batches: the table's rows that stay, and the newest date that goes. */
    public record PlanFigures(long rowsNotEligible, Optional<String> newestEligible) {
    }

    private final Pool pool;

    public TableFactsReader(Pool pool) {
        this.pool = pool;
    }

    public Uni<TableFacts> read(ArchivePolicies.Policy policy) {
        String table = policy.table();
        Uni<Boolean> exists = pool.preparedQuery(TableFactsSql.TABLE_EXISTS).execute(Tuple.of(table)).map(rows -> first(rows).getLong(0) > 0);
        Uni<Optional<Row>> column = pool.preparedQuery(TableFactsSql.COLUMN_TYPE).execute(Tuple.of(table, policy.dateColumn()))
                .map(rows -> rows.size() == 0 ? Optional.<Row> empty() : Optional.of(first(rows)));
        // B-tree indexes by their first column: the date index, and the primary key the id walk plans on
        Uni<RowSet<Row>> leading = pool.preparedQuery(TableFactsSql.LEADING_INDEXES).execute(Tuple.of(table, policy.dateColumn(), policy.idColumn()));
        return Uni.combine().all().unis(exists, column, leading).asTuple().chain(found -> {
            Optional<Row> date = found.getItem2();
            String dateIndex = dateIndexOf(found.getItem3(), policy).orElse(null);
            boolean idLeadsPrimaryKey = false;
            for (Row index : found.getItem3()) {
                if (index.getString(1).equalsIgnoreCase(policy.idColumn()) && index.getString(0).equals("PRIMARY")) {
                    idLeadsPrimaryKey = true;
                }
            }
            String dataType = date.map(r -> r.getString(0).toLowerCase(java.util.Locale.ROOT)).orElse(null);
            String columnType = date.map(r -> r.getString(1)).orElse(null);
            TableFacts withoutValues = new TableFacts(table, found.getItem1(), policy.dateColumn(), dataType, columnType, dateIndex,
                    policy.idColumn(), idLeadsPrimaryKey, null, null);
            if (dateIndex == null || dataType == null) {
                return Uni.createFrom().item(withoutValues); // no index to read the ends with: never scan the table for them
            }
            EligibleRows sql = new EligibleRows(policy);
            // a TIMESTAMP's ends read in UTC, as the rails read them (PolicyTableCheck#instant)
            return UtcSession.query(pool, sql.comparesInUtc(), sql.dateBounds(), Tuple.tuple()).map(rows -> {
                Row bounds = first(rows);
                return new TableFacts(table, true, policy.dateColumn(), dataType, columnType, withoutValues.dateIndex(), policy.idColumn(),
                        withoutValues.idLeadsPrimaryKey(), text(bounds.getValue(0)), text(bounds.getValue(1)));
            });
        });
    }

    /** The first (by name) B-tree index the policy's date column leads, as {@link #read} names it; empty when there is none. */
    public Uni<Optional<String>> dateIndex(ArchivePolicies.Policy policy) {
        return pool.preparedQuery(TableFactsSql.LEADING_INDEXES).execute(Tuple.of(policy.table(), policy.dateColumn(), policy.idColumn()))
                .map(rows -> dateIndexOf(rows, policy));
    }

    private static Optional<String> dateIndexOf(RowSet<Row> leading, ArchivePolicies.Policy policy) {
        for (Row index : leading) {
            if (index.getString(1).equalsIgnoreCase(policy.dateColumn())) {
                return Optional.of(index.getString(0));
            }
        }
        return Optional.empty();
    }

    /** The rows a run with {@code cutoff} leaves (a range scan of {@code dateIndex}) and the newest date it takes (one lookup). */
    public Uni<PlanFigures> figures(ArchivePolicies.Policy policy, String dateIndex, long cutoff) {
        EligibleRows sql = new EligibleRows(policy);
        Tuple atCutoff = Tuple.of(sql.cutoff(cutoff));
        Uni<Long> staying = UtcSession.query(pool, sql.comparesInUtc(), sql.notEligibleCount(dateIndex), atCutoff)
                .map(rows -> first(rows).getLong(0));
        Uni<Optional<String>> newest = UtcSession.query(pool, sql.comparesInUtc(), sql.newestEligible(), atCutoff)
                .map(rows -> Optional.ofNullable(text(first(rows).getValue(0))));
        return Uni.combine().all().unis(staying, newest).asTuple().map(t -> new PlanFigures(t.getItem1(), t.getItem2()));
    }

    private static Row first(RowSet<Row> rows) {
        return rows.iterator().next();
    }

    /** A value as the rails read it: numbers in decimal, dates and date-times in ISO-8601. */
    private static String text(Object value) {
        if (value instanceof io.vertx.sqlclient.data.Numeric numeric) {
            return numeric.bigDecimalValue().toPlainString();
        }
        return value == null ? null : value.toString();
    }
}
