package io.archiver.policy;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import io.archiver.events.ArchiveMode;
import io.archiver.support.policy.ColumnTypes;
import io.archiver.support.policy.TableFactsSql;

/**
 * Whether a policy fits its live table, checked when it is applied (archivectl policy apply, and its --dry-run): the table
 * exists; the key is its whole primary key, in key order, each column of a kind a range can be carried in ({@code ColumnTypes#keyFit}); every column is of a type
 * Archiver writes exactly ({@code ColumnTypes#exportable}); the date column exists, has a SQL type of the declared kind
 * ({@code DateKind#accepts}, the rule the scanner's {@code PolicyTableCheck} uses before each run) and leads an index; a MOVE
 * policy's archive table has the same columns (names, order, types); the connected account holds SELECT and DELETE on the table
 * and INSERT on the archive table. The SQL is {@link TableFactsSql}'s, shared with the scanner's {@code TableFactsReader}.
 * Every problem names the policy, the table, the column and the fix. Reads only information_schema, never the table.
 * The scanner runs the same check before each run ({@code TableFit}), with the privileges it needs itself.
 */
public final class LiveTableCheck {

    /** The current database's name. */
    static final String DATABASE = "SELECT DATABASE()";

    /** One information_schema query the check asks: its SQL ({@link TableFactsSql}'s), the columns it reads, its parameters. */
    public record FactQuery(String sql, int width, List<String> parameters) {
        public FactQuery {
            parameters = List.copyOf(parameters);
        }
    }

    /** Answers a {@link FactQuery}: JDBC here; the scanner answers from what it read with the Vert.x client ({@link #answers}). */
    public interface Facts {
        List<String[]> rows(FactQuery query) throws SQLException;
    }

    private final Facts facts;
    private final Set<String> tablePrivileges;
    private final Set<String> archivePrivileges;

    /** The check of archivectl: over JDBC, the connected account needing SELECT and DELETE on the table, INSERT on a MOVE table. */
    public LiveTableCheck(Connection connection) {
        this(jdbc(connection), Set.of("SELECT", "DELETE"), Set.of("INSERT"));
    }

    /** The check with the privileges the connected account needs on the table and on a MOVE table (none: not checked). */
    public LiveTableCheck(Facts facts, Set<String> tablePrivileges, Set<String> archivePrivileges) {
        this.facts = facts;
        this.tablePrivileges = Set.copyOf(tablePrivileges);
        this.archivePrivileges = Set.copyOf(archivePrivileges);
    }

    /**
     * Every query the check may ask about {@code spec}: a client that cannot block (the scanner's) reads them all first, then
     * checks over {@link #answers}.
     */
    public static List<FactQuery> queries(PolicySpec spec) {
        String table = spec.table();
        String archive = spec.archiveTable();
        return List.of(new FactQuery(TableFactsSql.TABLE_EXISTS, 1, List.of(table)), new FactQuery(TableFactsSql.PRIMARY_KEY, 1, List.of(table)),
                new FactQuery(TableFactsSql.KEY_COLUMN_TYPES, 4, List.of(table)),
                new FactQuery(TableFactsSql.COLUMN_TYPES, 3, List.of(table)),
                new FactQuery(TableFactsSql.COLUMN_TYPE, 2, List.of(table, spec.dateColumn())),
                new FactQuery(TableFactsSql.LEADING_INDEXES, 2, List.of(table, spec.dateColumn(), spec.dateColumn())),
                new FactQuery(TableFactsSql.TABLE_EXISTS, 1, List.of(archive)), new FactQuery(TableFactsSql.COLUMNS, 2, List.of(table)),
                new FactQuery(TableFactsSql.COLUMNS, 2, List.of(archive)), new FactQuery(TableFactsSql.PRIVILEGES, 1, List.of(table)),
                new FactQuery(TableFactsSql.PRIVILEGES, 1, List.of(archive)), new FactQuery(TableFactsSql.GRANTEE, 1, List.of()),
                new FactQuery(DATABASE, 1, List.of()));
    }

    /** Facts read beforehand ({@link #queries}); a query not among them is a bug, not an answer. */
    public static Facts answers(java.util.Map<FactQuery, List<String[]>> read) {
        return query -> {
            List<String[]> rows = read.get(query);
            if (rows == null) {
                throw new IllegalStateException("not read beforehand: " + query);
            }
            return rows;
        };
    }

    private static Facts jdbc(Connection connection) {
        return query -> {
            try (PreparedStatement statement = connection.prepareStatement(query.sql())) {
                for (int i = 0; i < query.parameters().size(); i++) {
                    statement.setString(i + 1, query.parameters().get(i));
                }
                List<String[]> rows = new ArrayList<>();
                try (ResultSet result = statement.executeQuery()) {
                    while (result.next()) {
                        String[] row = new String[query.width()];
                        for (int c = 0; c < query.width(); c++) {
                            row[c] = result.getString(c + 1);
                        }
                        rows.add(row);
                    }
                }
                return rows;
            }
        };
    }

    /** What is wrong with each policy against its live table, in order; empty when every one may be applied. */
    public List<String> problems(List<PolicySpec> specs) {
        List<String> problems = new ArrayList<>();
        for (PolicySpec spec : specs) {
            problems.addAll(problems(spec));
        }
        return problems;
    }

    public List<String> problems(PolicySpec spec) {
        try {
            return check(spec);
        } catch (SQLException e) {
            throw new PolicyStoreException("cannot read information_schema to check policy " + spec.name(), e);
        }
    }

    private List<String> check(PolicySpec spec) throws SQLException {
        List<String> problems = new ArrayList<>();
        String at = "policy " + spec.name() + (SourceSpec.CONTROL.equals(spec.source()) ? "" : " (source " + spec.source() + ")") + ": ";
        String table = spec.table();
        if (!exists(table)) {
            problems.add(at + "table " + table + " does not exist in database " + database() + "; create it, or point table: at an"
                    + " existing table");
            return problems;
        }
        List<String> primaryKey = strings(TableFactsSql.PRIMARY_KEY, table);
        if (!lower(primaryKey).equals(lower(spec.key()))) {
            problems.add(at + "key " + spec.key() + " is not the whole primary key of " + table + " ("
                    + (primaryKey.isEmpty() ? "it has none" : "PRIMARY KEY (" + String.join(", ", primaryKey) + ")") + "); "
                    + (primaryKey.isEmpty() ? "ALTER TABLE " + table + " ADD PRIMARY KEY (" + String.join(", ", spec.key()) + ")"
                            : "write key: [" + String.join(", ", primaryKey) + "]"));
        } else {
            // every key column must have a kind a range can be carried in (ColumnTypes#keyFit, the rule of KeyColumnsReader)
            for (String[] column : rows(TableFactsSql.KEY_COLUMN_TYPES, 4, table)) {
                ColumnTypes.KeyFit fit = ColumnTypes.keyFit(column[1], column[2], column[3] == null ? null : Long.valueOf(column[3]));
                if (!fit.fits()) {
                    problems.add(at + "key column " + table + "." + column[0] + " is " + column[2].toUpperCase(Locale.ROOT) + ": " + fit.whyNot());
                }
            }
        }
        for (String[] column : rows(TableFactsSql.COLUMN_TYPES, 3, table)) {
            unsupportedColumn(table, column[0], column[1], column[2]).ifPresent(why -> problems.add(at + why));
        }
        List<String[]> dateType = rows(TableFactsSql.COLUMN_TYPE, 2, table, spec.dateColumn());
        if (dateType.isEmpty()) {
            problems.add(at + "table " + table + " has no date column " + spec.dateColumn() + "; point date-column at one of its columns");
        } else if (!spec.dateKind().accepts(dateType.get(0)[0])) {
            problems.add(at + "date column " + table + "." + spec.dateColumn() + " is " + dateType.get(0)[1].toUpperCase(Locale.ROOT)
                    + ", but date-kind " + spec.dateKind() + " means " + spec.dateKind().description() + " (" + String.join(" or ",
                            spec.dateKind().sqlTypes()).toUpperCase(Locale.ROOT) + "); set date-kind to the column's kind, or point"
                    + " date-column at a column of " + spec.dateKind().description());
        } else if (!leadsIndex(table, spec.dateColumn())) {
            problems.add(at + "date column " + spec.dateColumn() + " of " + table + " is not indexed: CREATE INDEX idx_" + table + "_"
                    + spec.dateColumn() + " ON " + table + " (" + spec.dateColumn() + ")");
        }
        if (spec.mode() == ArchiveMode.MOVE) {
            moveTable(spec, at, problems);
        }
        privileges(at, table, tablePrivileges, problems);
        return problems;
    }

    /**
     * Why a column of {@code dataType} keeps its table from being archived, or empty: a type whose values Archiver cannot write
     * exactly (VECTOR of MySQL 9 and MariaDB 11.7, a type added later) would fail every batch at export.
     */
    static Optional<String> unsupportedColumn(String table, String column, String dataType, String columnType) {
        if (ColumnTypes.exportable(dataType)) {
            return Optional.empty();
        }
        return Optional.of("column " + table + "." + column + " is " + columnType.toUpperCase(Locale.ROOT) + ", a type Archiver cannot"
                + " write exactly (docs/csv-format.md lists the types it can): every batch would fail at export; drop or convert the"
                + " column, or archive another table");
    }

    private void moveTable(PolicySpec spec, String at, List<String> problems) throws SQLException {
        String archive = spec.archiveTable();
        if (!exists(archive)) {
            problems.add(at + "archive table " + archive + " (MOVE) does not exist: CREATE TABLE " + archive + " LIKE " + spec.table()
                    + ", or apply with --create-archive-tables (archivectl policy apply, ./archiver-demo), which does that");
            return;
        }
        List<String> source = columns(spec.table());
        List<String> target = columns(archive);
        if (!source.equals(target)) {
            problems.add(at + "archive table " + archive + " has columns (" + String.join(", ", target) + ") but " + spec.table()
                    + " has (" + String.join(", ", source) + "); MOVE copies rows column for column: give " + archive
                    + " the same columns, names, order and types, e.g. CREATE TABLE " + archive + " LIKE " + spec.table());
            return;
        }
        privileges(at, archive, archivePrivileges, problems);
    }

    private void privileges(String at, String table, Set<String> needed, List<String> problems) throws SQLException {
        if (needed.isEmpty()) {
            return;
        }
        Set<String> held = new LinkedHashSet<>(strings(TableFactsSql.PRIVILEGES, table));
        List<String> missing = new ArrayList<>();
        for (String privilege : List.of("SELECT", "INSERT", "DELETE")) {
            if (needed.contains(privilege) && !held.contains(privilege)) {
                missing.add(privilege);
            }
        }
        if (!missing.isEmpty()) {
            String grantee = strings(TableFactsSql.GRANTEE).get(0);
            problems.add(at + "user " + grantee + " lacks " + String.join(" and ", missing) + " on " + table + ": GRANT "
                    + String.join(", ", missing) + " ON " + database() + "." + table + " TO " + grantee);
        }
    }

    private boolean exists(String table) throws SQLException {
        return Long.parseLong(strings(TableFactsSql.TABLE_EXISTS, table).get(0)) > 0;
    }

    private boolean leadsIndex(String table, String column) throws SQLException {
        for (String[] index : rows(TableFactsSql.LEADING_INDEXES, 2, table, column, column)) {
            if (index[1].equalsIgnoreCase(column)) {
                return true;
            }
        }
        return false;
    }

    private List<String> columns(String table) throws SQLException {
        List<String> columns = new ArrayList<>();
        for (String[] column : rows(TableFactsSql.COLUMNS, 2, table)) {
            columns.add(column[0] + " " + column[1].toUpperCase(Locale.ROOT));
        }
        return columns;
    }

    private static List<String> lower(List<String> names) {
        return names.stream().map(n -> n.toLowerCase(Locale.ROOT)).toList();
    }

    private String database() throws SQLException {
        return strings(DATABASE).get(0);
    }

    private List<String> strings(String sql, String... parameters) throws SQLException {
        List<String> values = new ArrayList<>();
        for (String[] row : rows(sql, 1, parameters)) {
            values.add(row[0]);
        }
        return values;
    }

    private List<String[]> rows(String sql, int width, String... parameters) throws SQLException {
        return facts.rows(new FactQuery(sql, width, List.of(parameters)));
    }
}
