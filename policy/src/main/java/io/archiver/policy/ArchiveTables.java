package io.archiver.policy;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import io.archiver.events.ArchiveMode;
import io.archiver.support.policy.TableFactsSql;

/**
 * Creates the archive table of each MOVE policy where it is missing, as {@code CREATE TABLE <archive> LIKE <table>} in the
 * policy's database: asked for with {@code --create-archive-tables}, never on its own, so that a policy never changes a schema
 * unless its operator said so. A table that exists is left as it is (the live check then compares its columns); a policy whose
 * table is missing is left to the live check, which reports it.
 */
public final class ArchiveTables {

    private final Connection connection;

    /** Over a connection to the policies' database that may run DDL (its user needs CREATE there). */
    public ArchiveTables(Connection connection) {
        this.connection = connection;
    }

    /** Creates what is missing; returns one line per table created, naming it, its model and its database. */
    public List<String> createMissing(List<PolicySpec> specs) {
        List<String> created = new ArrayList<>();
        for (PolicySpec spec : specs) {
            if (spec.mode() != ArchiveMode.MOVE || !exists(spec.table()) || exists(spec.archiveTable())) {
                continue;
            }
            try {
                // a source's connection is opened read-only; this one statement is the DDL the operator asked for
                connection.setReadOnly(false);
                try (Statement statement = connection.createStatement()) {
                    statement.execute("CREATE TABLE " + quoted(spec.archiveTable()) + " LIKE " + quoted(spec.table()));
                }
                created.add("policy " + spec.name() + ": created archive table " + spec.archiveTable() + " LIKE " + spec.table() + " in database "
                        + database());
            } catch (SQLException e) {
                throw new PolicyFileException("policy " + spec.name(), List.of("cannot create archive table " + spec.archiveTable() + " LIKE "
                        + spec.table() + ": " + e.getMessage() + "; grant CREATE on the database to the user, or create the table yourself"));
            }
        }
        return created;
    }

    private boolean exists(String table) {
        try (PreparedStatement statement = connection.prepareStatement(TableFactsSql.TABLE_EXISTS)) {
            statement.setString(1, table);
            try (ResultSet rs = statement.executeQuery()) {
                return rs.next() && rs.getLong(1) > 0;
            }
        } catch (SQLException e) {
            throw new PolicyStoreException("cannot read information_schema for table " + table, e);
        }
    }

    private String database() throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery(LiveTableCheck.DATABASE)) {
            return rs.next() ? rs.getString(1) : "?";
        }
    }

    /** A policy's table names are identifiers ({@link PolicySpec#problems()}), so backquotes suffice. */
    private static String quoted(String identifier) {
        return "`" + identifier.replace("`", "``") + "`";
    }
}
