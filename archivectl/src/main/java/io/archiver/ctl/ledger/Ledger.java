package io.archiver.ctl.ledger;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

import io.archiver.ctl.cli.CtlException;
import io.archiver.ctl.cli.Settings;
import io.archiver.operations.runs.BatchRow;
import io.archiver.operations.runs.LedgerReader;
import io.archiver.operations.runs.RunRow;
import io.archiver.operations.runs.ThrottleSummary;

/**
 * The run ledger ({@code archive_run}, {@code archive_batch}, written by the scanner and the
 * deleter) opened over JDBC with MariaDB Connector/J from archivectl's settings, read with {@link LedgerReader}. Read-only: archivectl never writes it.
 */
public final class Ledger implements AutoCloseable {

    private final Connection connection;
    private final LedgerReader reader;

    private Ledger(Connection connection, String where) {
        this.connection = connection;
        this.reader = new LedgerReader(connection, where);
    }

    public static Ledger open(Settings settings) {
        String url = settings.requireJdbcUrl();
        return new Ledger(connect(settings, true), url.replaceAll("\\?.*$", ""));
    }

    /** A connection to the control database (the ledger's, where the policies live too); read-only unless archivectl writes. */
    public static Connection connect(Settings settings, boolean readOnly) {
        String url = settings.requireJdbcUrl();
        Properties props = new Properties();
        if (settings.dbUser() != null) {
            props.put("user", settings.dbUser());
        }
        if (settings.dbPassword() != null) {
            props.put("password", settings.dbPassword());
        }
        props.putIfAbsent("connectTimeout", "10000");
        props.putIfAbsent("socketTimeout", "60000");
        String where = url.replaceAll("\\?.*$", "");
        try {
            Connection connection = new org.mariadb.jdbc.Driver().connect(url, props);
            if (connection == null) {
                throw new CtlException("not a MariaDB/MySQL JDBC URL: " + where + " (expected jdbc:mariadb://HOST:PORT/DATABASE)");
            }
            connection.setReadOnly(readOnly);
            return connection;
        } catch (SQLException e) {
            throw new CtlException("cannot connect to the ledger database " + where
                    + (settings.dbUser() == null ? " (no user given)" : " as " + settings.dbUser()) + ": " + e.getMessage());
        }
    }

    /** The ledger's reads ({@link LedgerReader}, shared with the API). */
    public LedgerReader reader() {
        return reader;
    }

    public List<RunRow> latestRuns(int limit, String policy, String scheduleSlot) {
        return reader.latestRuns(limit, policy, scheduleSlot);
    }

    public Optional<RunRow> run(String runId) {
        return reader.run(runId);
    }

    public Optional<RunRow> runOfSlot(String policy, String scheduleSlot) {
        return reader.runOfSlot(policy, scheduleSlot);
    }

    public List<BatchRow> batches(String runId) {
        return reader.batches(runId);
    }

    public List<ThrottleSummary> throttlePauses(String runId) {
        return reader.throttlePauses(runId);
    }

    public Optional<Long> averageRowLength(String table) {
        return reader.averageRowLength(table);
    }

    public Map<String, Map<String, Long>> batchStates(Collection<String> runIds) {
        return reader.batchStates(runIds);
    }

    @Override
    public void close() {
        try {
            connection.close();
        } catch (SQLException e) {
            // closing a read-only session: nothing to lose
        }
    }
}
