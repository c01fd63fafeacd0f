package io.archiver.support.messaging;

import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.util.Set;

import io.vertx.mysqlclient.MySQLException;
import io.vertx.sqlclient.ClosedConnectionException;

/**
 * MySQL and MariaDB failures worth retrying, by their error codes: the statement's transaction was rolled back by a lock
 * conflict, or the server went away, is shutting down or has no connection to spare. The Vert.x client reports the
 * server's errors as {@link MySQLException} with the server's code; JDBC (Hibernate Reactive's converted errors, Flyway)
 * as {@link SQLException} with the code and the SQLState. Every other server error (syntax, a missing table, a
 * constraint) is permanent.
 */
final class MySqlErrors {

    /** Server error codes after which the same statement, run again, may succeed. */
    static final Set<Integer> TRANSIENT_CODES = Set.of(
            1205, // ER_LOCK_WAIT_TIMEOUT: the statement was rolled back (or the transaction, with innodb_rollback_on_timeout)
            1213, // ER_LOCK_DEADLOCK: the transaction was chosen as the deadlock victim and rolled back
            1040, // ER_CON_COUNT_ERROR: too many connections
            1053, // ER_SERVER_SHUTDOWN: server shutdown in progress
            1158, 1159, 1160, 1161, // ER_NET_READ_ERROR, ER_NET_READ_INTERRUPTED, ER_NET_ERROR_ON_WRITE, ER_NET_WRITE_INTERRUPTED
            1927, // ER_CONNECTION_KILLED (MariaDB): the connection was killed, e.g. by a failover
            2002, 2003, // CR_CONNECTION_ERROR, CR_CONN_HOST_ERROR: cannot connect
            2006, // CR_SERVER_GONE_ERROR: MySQL server has gone away
            2013); // CR_SERVER_LOST: lost connection during query

    private MySqlErrors() {
    }

    /** The Vert.x MySQL client's failures; call only where that client is on the class path. */
    static boolean isTransientVertx(Throwable t) {
        if (t instanceof ClosedConnectionException) {
            return true;
        }
        return t instanceof MySQLException e && TRANSIENT_CODES.contains(e.getErrorCode());
    }

    /** JDBC's: by code, by SQLState class 08 (connection exception) or 40001 (serialization failure, a deadlock), or by type. */
    static boolean isTransientJdbc(Throwable t) {
        if (!(t instanceof SQLException e)) {
            return false;
        }
        String state = e.getSQLState();
        return TRANSIENT_CODES.contains(e.getErrorCode()) || (state != null && (state.startsWith("08") || state.equals("40001")))
                || e instanceof SQLTransientException || e instanceof SQLRecoverableException;
    }
}
